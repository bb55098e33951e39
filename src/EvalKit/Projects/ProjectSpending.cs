using EvalKit.Storage;

namespace EvalKit.Projects;

/// <summary>What a project spent in its budget's current period, read from the store's usage aggregates.</summary>
internal static class ProjectSpending
{
    /// <summary>Sums the known cost (and counts the calls of unknown cost) of a project's results in the budget period containing <paramref name="now"/>.</summary>
    /// <param name="storage">The store.</param>
    /// <param name="project">The project; all time when it has no budget.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The status.</returns>
    public static async Task<BudgetStatus> StatusAsync(IEvalKitStorage storage, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var budget = project.Budget;
        var query = new UsageQuery { ProjectId = project.Id, From = budget?.PeriodStart(now), To = budget?.PeriodEnd(now) };
        decimal spent = 0;
        long unknown = 0;
        await foreach (var row in storage.Usage.AggregateAsync(query, cancellationToken).ConfigureAwait(false))
        {
            spent += row.Evaluation.Cost + row.Judge.Cost + row.Embedding.Cost;
            unknown += row.Evaluation.UnknownCostCalls + row.Judge.UnknownCostCalls + row.Embedding.UnknownCostCalls;
        }

        return new BudgetStatus
        {
            ProjectId = project.Id,
            Budget = budget,
            PeriodStart = query.From,
            PeriodEnd = query.To,
            Spent = spent,
            UnknownCostCalls = unknown,
        };
    }
}
