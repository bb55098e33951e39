using EvalKit.Projects;

namespace EvalKit.Storage;

/// <summary>One row of <see cref="IUsageStorage.AggregateAsync"/>: what one run used and cost (on one UTC day, when split by day).</summary>
public sealed record RunUsage
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the UTC day the counted results completed, when the query splits by day; else <see langword="null"/>.</summary>
    public DateOnly? Day { get; init; }

    /// <summary>Gets the usage of the model calls under evaluation (one per result).</summary>
    public UsageTotals Evaluation { get; init; } = UsageTotals.Empty;

    /// <summary>Gets the usage of judge calls that scorers recorded (<see cref="Scoring.ScoreUsageKind.Judge"/>).</summary>
    public UsageTotals Judge { get; init; } = UsageTotals.Empty;

    /// <summary>Gets the usage of embeddings that scorers recorded (<see cref="Scoring.ScoreUsageKind.Embedding"/>).</summary>
    public UsageTotals Embedding { get; init; } = UsageTotals.Empty;
}
