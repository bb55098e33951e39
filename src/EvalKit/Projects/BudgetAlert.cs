namespace EvalKit.Projects;

/// <summary>A budget alert (see <see cref="IBudgetObserver"/>).</summary>
public sealed record BudgetAlert
{
    /// <summary>Gets what happened.</summary>
    public required BudgetAlertKind Kind { get; init; }

    /// <summary>Gets the project.</summary>
    public required string ProjectId { get; init; }

    /// <summary>Gets the run that caused the alert.</summary>
    public string? RunId { get; init; }

    /// <summary>Gets the budget.</summary>
    public required ProjectBudget Budget { get; init; }

    /// <summary>Gets the limit that was reached: the soft or the hard one.</summary>
    public required decimal Limit { get; init; }

    /// <summary>Gets what the project has spent in the period when the alert was raised.</summary>
    public required decimal Spent { get; init; }

    /// <summary>Gets the estimate that would have exceeded the hard limit, for <see cref="BudgetAlertKind.HardLimitReached"/>.</summary>
    public decimal? Estimate { get; init; }

    /// <summary>Gets the start of the budget's period, for monthly budgets.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>Gets when the alert was raised.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}
