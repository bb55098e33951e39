namespace EvalKit.Projects;

/// <summary>
/// One line of a <see cref="CostReport"/>: the keys of its group (each <see langword="null"/> when the report does not
/// group by it) and what the group's calls used and cost, evaluation apart from judges and embeddings.
/// </summary>
public sealed record CostLine
{
    /// <summary>Gets the project, when grouping by project (<see langword="null"/> also for runs without one).</summary>
    public string? ProjectId { get; init; }

    /// <summary>Gets the evaluated model, when grouping by model.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the benchmark, when grouping by benchmark (<see langword="null"/> also for runs without one).</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the dataset, when grouping by dataset.</summary>
    public string? DatasetId { get; init; }

    /// <summary>Gets the first day of the period (UTC), when grouping by period.</summary>
    public DateOnly? PeriodStart { get; init; }

    /// <summary>Gets the usage of the evaluated model's calls.</summary>
    public UsageTotals Evaluation { get; init; } = UsageTotals.Empty;

    /// <summary>Gets the usage of judge calls.</summary>
    public UsageTotals Judge { get; init; } = UsageTotals.Empty;

    /// <summary>Gets the usage of embedding calls.</summary>
    public UsageTotals Embedding { get; init; } = UsageTotals.Empty;

    /// <summary>Gets the known cost of every kind of call.</summary>
    public decimal Cost => Evaluation.Cost + Judge.Cost + Embedding.Cost;

    /// <summary>Gets the calls of every kind whose cost is unknown (not in <see cref="Cost"/>).</summary>
    public long UnknownCostCalls => Evaluation.UnknownCostCalls + Judge.UnknownCostCalls + Embedding.UnknownCostCalls;
}
