using EvalKit.Datasets;

namespace EvalKit.Storage;

/// <summary>Stores immutable dataset versions and their cases.</summary>
public interface IDatasetStorage
{
    /// <summary>
    /// Stores a dataset in one transaction: its cases, streamed from <paramref name="import"/>, then its header.
    /// When the import's enumeration throws (a malformed case), nothing is written.
    /// </summary>
    /// <param name="import">The dataset being imported.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored dataset.</returns>
    /// <exception cref="DatasetFormatException">A case is malformed or duplicated; nothing was written.</exception>
    /// <exception cref="EvalKitException">A dataset with the same id exists.</exception>
    ValueTask<DatasetInfo> CreateAsync(DatasetImport import, CancellationToken cancellationToken = default);

    /// <summary>Gets a dataset's header.</summary>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The dataset, or <see langword="null"/>.</returns>
    ValueTask<DatasetInfo?> GetAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Lists every dataset, ordered by id.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The datasets.</returns>
    IAsyncEnumerable<DatasetInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams a dataset's cases in ordinal order, starting at <paramref name="fromOrdinal"/>.</summary>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="fromOrdinal">The first ordinal to read.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases with their ordinals.</returns>
    IAsyncEnumerable<StoredCase> ReadCasesAsync(string datasetId, long fromOrdinal = 0, CancellationToken cancellationToken = default);
}
