using System.Globalization;

namespace EvalKit.Projects;

/// <summary>
/// The spending limits of a project, in the currency of the models' pricing: a soft limit that notifies (an
/// <see cref="IBudgetObserver"/> callback, a log warning and an audit entry) and a hard limit that the evaluation engine
/// enforces (it refuses to start a run whose estimate would exceed what is left, and stops a run before a call would
/// exceed it; see <see cref="BudgetExceededException"/>).
/// </summary>
/// <remarks>
/// Spending is the known cost of the project's stored results (evaluation calls, judge calls and embeddings) within the
/// <see cref="Period"/>. A call whose cost is unknown (a model without pricing, a provider that reports no usage) adds
/// nothing, and a run whose cost cannot be estimated is started with a warning.
/// </remarks>
public sealed record ProjectBudget
{
    /// <summary>Gets the hard limit, or <see langword="null"/> for none; positive.</summary>
    public decimal? HardLimit { get; init; }

    /// <summary>Gets the soft limit, or <see langword="null"/> for none; positive, and at most <see cref="HardLimit"/> when both are set.</summary>
    public decimal? SoftLimit { get; init; }

    /// <summary>Gets the period the limits apply to.</summary>
    /// <value>The default value is <see cref="BudgetPeriod.Total"/>.</value>
    public BudgetPeriod Period { get; init; } = BudgetPeriod.Total;

    /// <summary>Checks the limits.</summary>
    /// <param name="paramName">The parameter named in the error.</param>
    /// <exception cref="ArgumentException">No limit is set, a limit is not positive, the soft limit exceeds the hard limit, or the period is unknown.</exception>
    public void Validate(string paramName)
    {
        if (HardLimit is null && SoftLimit is null)
        {
            throw new ArgumentException("The budget sets neither a hard nor a soft limit.", paramName);
        }

        if (HardLimit is <= 0 || SoftLimit is <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Budget limits must be positive; got hard {HardLimit}, soft {SoftLimit}."), paramName);
        }

        if (HardLimit is { } hard && SoftLimit is { } soft && soft > hard)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The soft limit {soft} exceeds the hard limit {hard}."), paramName);
        }

        if (!Enum.IsDefined(Period))
        {
            throw new ArgumentException($"Unknown budget period '{Period}'.", paramName);
        }
    }

    /// <summary>Gets the start of the period that contains a time.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The first instant of the period (UTC), or <see langword="null"/> for <see cref="BudgetPeriod.Total"/>.</returns>
    public DateTimeOffset? PeriodStart(DateTimeOffset now) => Period switch
    {
        BudgetPeriod.Monthly => new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero),
        _ => null,
    };

    /// <summary>Gets the end (exclusive) of the period that contains a time.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The first instant after the period (UTC), or <see langword="null"/> for <see cref="BudgetPeriod.Total"/>.</returns>
    public DateTimeOffset? PeriodEnd(DateTimeOffset now) => PeriodStart(now)?.AddMonths(1);
}
