using EvalKit.Datasets;

namespace EvalKit.Storage;

/// <summary>Stores benchmark suites.</summary>
public interface IBenchmarkStorage
{
    /// <summary>Adds or replaces a benchmark.</summary>
    /// <param name="benchmark">The benchmark.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask SaveAsync(Benchmark benchmark, CancellationToken cancellationToken = default);

    /// <summary>Gets a benchmark.</summary>
    /// <param name="benchmarkId">The id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The benchmark, or <see langword="null"/>.</returns>
    ValueTask<Benchmark?> GetAsync(string benchmarkId, CancellationToken cancellationToken = default);

    /// <summary>Lists every benchmark, ordered by id.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The benchmarks.</returns>
    IAsyncEnumerable<Benchmark> ListAsync(CancellationToken cancellationToken = default);
}
