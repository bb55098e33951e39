using EvalKit.Evaluation;

namespace EvalKit.Storage;

/// <summary>Stores per-case results. A result's key is (run, case ordinal, repetition); writes are idempotent.</summary>
public interface IResultStorage
{
    /// <summary>Appends results in one transaction; a result whose key is already stored is ignored, never written twice.</summary>
    /// <param name="results">The results.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of results written (those not already stored).</returns>
    /// <exception cref="StorageException">The batch could not be written; none of it was.</exception>
    ValueTask<int> AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default);

    /// <summary>Streams a run's results ordered by case ordinal, then repetition.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The results.</returns>
    IAsyncEnumerable<CaseResult> ReadAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Streams the keys of a run's stored results, for resuming.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The (case ordinal, repetition) keys, in no particular order.</returns>
    IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the keys of a run's stored results for the cases with ordinals in [<paramref name="fromOrdinal"/>,
    /// <paramref name="toOrdinal"/>), for resuming one shard. The default filters <see cref="ReadKeysAsync(string, CancellationToken)"/>;
    /// SQL providers read the range through the results' key.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="fromOrdinal">The first case ordinal.</param>
    /// <param name="toOrdinal">The case ordinal after the last (exclusive).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The (case ordinal, repetition) keys in the range, in no particular order.</returns>
    IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, long fromOrdinal, long toOrdinal, CancellationToken cancellationToken = default) =>
        ReadKeysAsync(runId, cancellationToken).Where(k => k.CaseOrdinal >= fromOrdinal && k.CaseOrdinal < toOrdinal);

    /// <summary>Counts a run's stored results.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The counts.</returns>
    ValueTask<ResultCounts> CountAsync(string runId, CancellationToken cancellationToken = default);
}
