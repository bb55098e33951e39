namespace EvalKit.Selection;

/// <summary>Where a number behind a selection decision comes from.</summary>
public enum EvidenceOrigin
{
    /// <summary>The summary of a completed evaluation run.</summary>
    EvaluationRun,

    /// <summary>Runtime metric points (such as those <c>SelectingChatClient</c> records) in the request's recency window.</summary>
    RuntimeMetrics,

    /// <summary>The registry's pricing applied to the request's typical token counts.</summary>
    Pricing,
}
