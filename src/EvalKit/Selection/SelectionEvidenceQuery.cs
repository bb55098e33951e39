namespace EvalKit.Selection;

/// <summary>What evidence the selection engine asks an <see cref="ISelectionEvidenceSource"/> for.</summary>
public sealed record SelectionEvidenceQuery
{
    /// <summary>Gets the benchmark whose latest completed run gives the quality, or <see langword="null"/> for the latest completed run of any benchmark or dataset.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the quality metric, or <see langword="null"/> for the run's primary metric.</summary>
    public string? QualityMetric { get; init; }

    /// <summary>Gets the inclusive start of the runtime window.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end of the runtime window.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the minimum number of runtime samples for runtime metrics to count as evidence.</summary>
    public required int MinRuntimeSamples { get; init; }
}
