using System.Globalization;
using EvalKit.Projects;

namespace EvalKit;

/// <summary>
/// Raised when a project's hard budget limit stops a run: before it starts (or resumes), when its estimate would exceed
/// what is left of the budget, or while it runs, before a call whose estimated cost would exceed it. A stopped run keeps
/// what it stored and fails with this message; raise the budget (<see cref="IProjectService.SetBudgetAsync"/>) and
/// resume it.
/// </summary>
public sealed class BudgetExceededException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class.</summary>
    /// <param name="projectId">The project whose budget is exceeded.</param>
    /// <param name="limit">The hard limit.</param>
    /// <param name="spent">What the project has spent in the budget's period, including the run's calls so far.</param>
    /// <param name="estimate">The estimated cost of the run (before it starts) or of its next call (while it runs).</param>
    /// <param name="period">The budget's period.</param>
    /// <param name="periodStart">The start of the period, for monthly budgets.</param>
    /// <param name="runId">The run that was refused or stopped, if it has an id.</param>
    public BudgetExceededException(string projectId, decimal limit, decimal spent, decimal estimate, BudgetPeriod period, DateTimeOffset? periodStart, string? runId)
        : base(Describe(projectId, limit, spent, estimate, period, periodStart, runId))
    {
        ProjectId = projectId;
        Limit = limit;
        Spent = spent;
        Estimate = estimate;
        Period = period;
        PeriodStart = periodStart;
        RunId = runId;
    }

    /// <summary>Gets the project whose budget is exceeded.</summary>
    public string ProjectId { get; }

    /// <summary>Gets the hard limit.</summary>
    public decimal Limit { get; }

    /// <summary>Gets what the project has spent in the period.</summary>
    public decimal Spent { get; }

    /// <summary>Gets the estimated cost that would exceed the limit.</summary>
    public decimal Estimate { get; }

    /// <summary>Gets the budget's period.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>Gets the start of the period, for monthly budgets.</summary>
    public DateTimeOffset? PeriodStart { get; }

    /// <summary>Gets the run that was refused or stopped.</summary>
    public string? RunId { get; }

    private static string Describe(string projectId, decimal limit, decimal spent, decimal estimate, BudgetPeriod period, DateTimeOffset? periodStart, string? runId)
    {
        var scope = period == BudgetPeriod.Monthly && periodStart is { } start
            ? string.Create(CultureInfo.InvariantCulture, $"the month from {start:yyyy-MM-dd}")
            : "all time";
        var run = runId is null ? "the run" : $"run '{runId}'";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"The budget of project '{projectId}' is exceeded: limit {limit} ({scope}), spent {spent}, estimate {estimate} for {run}; {spent + estimate} would exceed the limit. Raise the project's budget (IProjectService.SetBudgetAsync) and resume the run.");
    }
}
