namespace EvalKit.Projects;

/// <summary>Where a project stands against its budget in the current period (<see cref="IProjectService.GetBudgetStatusAsync"/>).</summary>
public sealed record BudgetStatus
{
    /// <summary>Gets the project.</summary>
    public required string ProjectId { get; init; }

    /// <summary>Gets the budget, or <see langword="null"/> when the project has none (spending is still reported).</summary>
    public ProjectBudget? Budget { get; init; }

    /// <summary>Gets the start of the period, for monthly budgets (or <see langword="null"/>: all time).</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>Gets the end (exclusive) of the period, for monthly budgets.</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>Gets the known cost of the project's results in the period: evaluation, judge and embedding calls.</summary>
    public required decimal Spent { get; init; }

    /// <summary>Gets the calls of the period whose cost is unknown (not counted in <see cref="Spent"/>).</summary>
    public long UnknownCostCalls { get; init; }

    /// <summary>Gets what is left under the hard limit (never negative), or <see langword="null"/> without one.</summary>
    public decimal? Remaining => Budget?.HardLimit is { } hard ? Math.Max(0, hard - Spent) : null;

    /// <summary>Gets whether spending reached the soft limit.</summary>
    public bool SoftLimitReached => Budget?.SoftLimit is { } soft && Spent >= soft;

    /// <summary>Gets whether spending reached the hard limit.</summary>
    public bool HardLimitReached => Budget?.HardLimit is { } hard && Spent >= hard;
}
