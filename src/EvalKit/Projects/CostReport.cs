namespace EvalKit.Projects;

/// <summary>
/// Cost and tokens from stored results, grouped as asked (<see cref="CostQuery"/>). Costs are in the currency of the
/// models' pricing (EvalKit does not convert currencies: price every model in one currency); calls whose cost is unknown
/// are counted apart, never as zero.
/// </summary>
public sealed record CostReport
{
    /// <summary>Gets the query the report answers.</summary>
    public required CostQuery Query { get; init; }

    /// <summary>Gets the lines, ordered by period, project, model, benchmark and dataset (ordinal; no key first).</summary>
    public required IReadOnlyList<CostLine> Lines { get; init; }

    /// <summary>Gets the totals over every line.</summary>
    public required CostLine Total { get; init; }
}
