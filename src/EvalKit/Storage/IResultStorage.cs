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

    /// <summary>Counts a run's stored results.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The counts.</returns>
    ValueTask<ResultCounts> CountAsync(string runId, CancellationToken cancellationToken = default);
}
