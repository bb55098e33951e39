using EvalKit.Evaluation;

namespace EvalKit.Projects;

/// <summary>A project at a glance, for dashboards (<see cref="IProjectService.GetSummaryAsync"/>).</summary>
public sealed record ProjectSummary
{
    /// <summary>Gets the project.</summary>
    public required Project Project { get; init; }

    /// <summary>Gets the number of runs of the project.</summary>
    public required long RunCount { get; init; }

    /// <summary>Gets the most recent runs, newest first.</summary>
    public required IReadOnlyList<EvaluationRun> RecentRuns { get; init; }

    /// <summary>Gets the best model per benchmark (or dataset), ordered by benchmark then dataset.</summary>
    public required IReadOnlyList<BenchmarkLeader> BestModels { get; init; }

    /// <summary>Gets the spending of each day of the window, oldest first, days without spending included.</summary>
    public required IReadOnlyList<DailySpend> SpendByDay { get; init; }

    /// <summary>Gets everything the project's results used and cost, all time.</summary>
    public required CostLine TotalSpend { get; init; }

    /// <summary>Gets where the project stands against its budget.</summary>
    public required BudgetStatus Budget { get; init; }
}
