namespace EvalKit.Selection;

/// <summary>A criterion the selection engine scores models on.</summary>
public enum SelectionCriterion
{
    /// <summary>The mean of the quality metric in the latest completed evaluation run on the requested benchmark (higher is better).</summary>
    Quality,

    /// <summary>The cost per 1,000 requests (lower is better).</summary>
    Cost,

    /// <summary>The 95th percentile of the latency, in milliseconds (lower is better).</summary>
    Latency,

    /// <summary>The success rate of calls (higher is better); scored through the error rate.</summary>
    Reliability,
}
