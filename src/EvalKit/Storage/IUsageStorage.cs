namespace EvalKit.Storage;

/// <summary>
/// Reads what runs used and cost, aggregated in the store: the per-call usage of the results (tokens, cost, calls whose
/// cost is unknown) and the usage that scorers recorded in their scores (<see cref="Scoring.Score.Usage"/>: judge calls
/// and embeddings), per run and, on request, per UTC day. Cost accounting and budgets join runs to their projects, models
/// and benchmarks from these rows, so no per-case result leaves the store.
/// </summary>
public interface IUsageStorage
{
    /// <summary>Aggregates the usage of the current tenant's results.</summary>
    /// <param name="query">Which results: of one project, of one model or of given runs, and within a time range.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>One row per run (and per UTC day with <see cref="UsageQuery.ByDay"/>) that has results in the range, in no particular order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The range is empty (<see cref="UsageQuery.From"/> not before <see cref="UsageQuery.To"/>).</exception>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<RunUsage> AggregateAsync(UsageQuery query, CancellationToken cancellationToken = default);
}
