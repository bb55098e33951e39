namespace EvalKit.Datasets;

/// <summary>Stores datasets (immutable versions) and benchmark suites.</summary>
public interface IDatasetStore
{
    /// <summary>Imports a dataset held in memory.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored dataset. Importing identical content again returns the stored version.</returns>
    /// <exception cref="DatasetFormatException">The dataset has no cases, a duplicate id or an invalid case; nothing was written.</exception>
    /// <exception cref="EvalKitException">The id is taken by a version with different content.</exception>
    ValueTask<DatasetInfo> ImportAsync(Dataset dataset, CancellationToken cancellationToken = default);

    /// <summary>Imports a dataset from a stream of cases, without holding it in memory.</summary>
    /// <param name="name">The name.</param>
    /// <param name="version">The version.</param>
    /// <param name="cases">The cases, enumerated once (twice when the id already exists, to compare content).</param>
    /// <param name="description">A description.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored dataset.</returns>
    /// <exception cref="DatasetFormatException">A case is malformed; nothing was written.</exception>
    /// <exception cref="EvalKitException">The id is taken by a version with different content.</exception>
    ValueTask<DatasetInfo> ImportAsync(string name, string version, IAsyncEnumerable<EvalCase> cases, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Gets a stored dataset.</summary>
    /// <param name="datasetId">The id (<c>name@version</c>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The dataset, or <see langword="null"/>.</returns>
    ValueTask<DatasetInfo?> GetAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Lists stored datasets by id.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The datasets.</returns>
    IAsyncEnumerable<DatasetInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams a stored dataset's cases in order.</summary>
    /// <param name="datasetId">The id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases.</returns>
    /// <exception cref="NotFoundException">No dataset has that id.</exception>
    IAsyncEnumerable<EvalCase> ReadCasesAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Stores a benchmark suite (replacing one with the same id).</summary>
    /// <param name="benchmark">The benchmark; its dataset must be stored.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored benchmark.</returns>
    /// <exception cref="NotFoundException">The benchmark's dataset is not stored.</exception>
    ValueTask<Benchmark> SaveBenchmarkAsync(Benchmark benchmark, CancellationToken cancellationToken = default);

    /// <summary>Gets a benchmark suite.</summary>
    /// <param name="benchmarkId">The id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The benchmark, or <see langword="null"/>.</returns>
    ValueTask<Benchmark?> GetBenchmarkAsync(string benchmarkId, CancellationToken cancellationToken = default);

    /// <summary>Lists benchmark suites by id.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The benchmarks.</returns>
    IAsyncEnumerable<Benchmark> ListBenchmarksAsync(CancellationToken cancellationToken = default);
}
