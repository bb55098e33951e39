using EvalKit.Statistics;

namespace EvalKit.Projects;

/// <summary>The best model on one benchmark (or dataset) of a project, by the primary metric of its latest completed run.</summary>
public sealed record BenchmarkLeader
{
    /// <summary>Gets the benchmark, or <see langword="null"/> when the runs evaluated a dataset directly.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the dataset.</summary>
    public required string DatasetId { get; init; }

    /// <summary>Gets the metric compared: the runs' primary metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the leading model.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the run the figures come from.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the metric's mean.</summary>
    public required double Mean { get; init; }

    /// <summary>Gets the metric's confidence interval (see <see cref="Evaluation.MetricSummary.ConfidenceInterval"/>).</summary>
    public required Interval ConfidenceInterval { get; init; }

    /// <summary>Gets the number of scored results.</summary>
    public required int N { get; init; }

    /// <summary>Gets how many models the project evaluated on this benchmark.</summary>
    public required int Contenders { get; init; }

    /// <summary>
    /// Gets whether the leader's interval overlaps the runner-up's: when it does, the lead may be noise (compare them with an
    /// A/B test before choosing).
    /// </summary>
    public bool OverlapsRunnerUp { get; init; }
}
