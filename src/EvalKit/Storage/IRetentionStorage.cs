namespace EvalKit.Storage;

/// <summary>
/// The bulk deletes that retention (<see cref="Retention.IRetentionService"/>) runs, and nothing else does. Like every
/// store, they act on the current tenant's data only.
/// </summary>
public interface IRetentionStorage
{
    /// <summary>Deletes every per-case result of a run; the run record itself is kept.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of results deleted (0 when the run has none).</returns>
    ValueTask<long> DeleteResultsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a run, its per-case results and its shards, in one transaction.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of per-case results deleted with it.</returns>
    ValueTask<long> DeleteRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the cached responses created before a cut-off.</summary>
    /// <param name="before">The exclusive cut-off (<see cref="CachedResponse.CreatedAt"/>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of responses deleted.</returns>
    ValueTask<long> DeleteCachedResponsesOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
