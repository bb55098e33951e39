namespace EvalKit.Projects;

/// <summary>What <see cref="ICostAccounting.GetReportAsync"/> reports: which results (filters combine) and how they are grouped.</summary>
public sealed record CostQuery
{
    /// <summary>Gets the project to report on, or <see langword="null"/> for every run of the tenant.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Gets the evaluated model to report on, or <see langword="null"/> for all.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the benchmark to report on, or <see langword="null"/> for all.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the earliest completion time of the results counted (inclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the completion time before which results are counted (exclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the dimensions to group by.</summary>
    /// <value>The default value is <see cref="CostGrouping.None"/>: one line.</value>
    public CostGrouping GroupBy { get; init; }

    /// <summary>Gets the period length when grouping by <see cref="CostGrouping.Period"/>.</summary>
    /// <value>The default value is <see cref="CostPeriod.Day"/>.</value>
    public CostPeriod Period { get; init; } = CostPeriod.Day;
}
