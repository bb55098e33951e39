namespace EvalKit.Metrics;

/// <summary>The tag keys and values EvalKit writes on metric points. Tags must stay low-cardinality: run ids go in <see cref="MetricPoint.RunId"/>.</summary>
public static class MetricTags
{
    /// <summary>The tag that says where a point comes from.</summary>
    public const string Source = "source";

    /// <summary>The value of <see cref="Source"/> on points derived from a completed evaluation run.</summary>
    public const string EvaluationSource = "evaluation";

    /// <summary>The tag that holds the benchmark id of a run's points.</summary>
    public const string Benchmark = "benchmark";

    /// <summary>The tag that holds the dataset id of a run's points.</summary>
    public const string Dataset = "dataset";
}
