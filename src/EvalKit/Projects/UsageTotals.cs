namespace EvalKit.Projects;

/// <summary>
/// Counted usage and cost: calls, tokens, the cost that is known, and apart from it the calls whose cost is unknown (a
/// model without pricing, or a call that reported no usage). An unknown cost is never counted as zero.
/// </summary>
public sealed record UsageTotals
{
    /// <summary>Gets totals of nothing.</summary>
    public static UsageTotals Empty { get; } = new();

    /// <summary>
    /// Gets the number of calls made: for evaluation, the results whose model call returned an answer (not from the
    /// response cache); for scorers, the judge calls or embedded texts they recorded.
    /// </summary>
    public long Calls { get; init; }

    /// <summary>Gets the number of answers served from the response cache (evaluation only): no call, no cost.</summary>
    public long CachedCalls { get; init; }

    /// <summary>Gets the number of model calls that failed (evaluation only); their cost, if any, is unknown and not counted.</summary>
    public long FailedCalls { get; init; }

    /// <summary>Gets the input tokens of the calls that reported them.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens of the calls that reported them.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the cost of the calls whose cost is known.</summary>
    public decimal Cost { get; init; }

    /// <summary>Gets the number of calls whose cost is unknown: no pricing for the model, or no usage reported (see <see cref="CallsWithoutUsage"/>).</summary>
    public long UnknownCostCalls { get; init; }

    /// <summary>Gets the number of calls that reported no token usage (included in <see cref="UnknownCostCalls"/>).</summary>
    public long CallsWithoutUsage { get; init; }

    /// <summary>Adds two totals.</summary>
    /// <param name="left">The first totals.</param>
    /// <param name="right">The second totals.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static UsageTotals operator +(UsageTotals left, UsageTotals right) => Add(left, right);

    /// <summary>Adds two totals.</summary>
    /// <param name="left">The first totals.</param>
    /// <param name="right">The second totals.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static UsageTotals Add(UsageTotals left, UsageTotals right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new()
        {
            Calls = left.Calls + right.Calls,
            CachedCalls = left.CachedCalls + right.CachedCalls,
            FailedCalls = left.FailedCalls + right.FailedCalls,
            InputTokens = left.InputTokens + right.InputTokens,
            OutputTokens = left.OutputTokens + right.OutputTokens,
            Cost = left.Cost + right.Cost,
            UnknownCostCalls = left.UnknownCostCalls + right.UnknownCostCalls,
            CallsWithoutUsage = left.CallsWithoutUsage + right.CallsWithoutUsage,
        };
    }
}
