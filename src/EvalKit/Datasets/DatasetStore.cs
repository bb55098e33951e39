using System.Runtime.CompilerServices;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Datasets;

/// <summary>The dataset and benchmark service over the configured store.</summary>
public sealed class DatasetStore : IDatasetStore
{
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly InputLimits _limits;
    private readonly OperationGuard _guard;

    /// <summary>Initializes a new instance of the <see cref="DatasetStore"/> class that checks imports against the default <see cref="InputLimits"/>.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock.</param>
    public DatasetStore(IEvalKitStorage storage, TimeProvider timeProvider)
        : this(storage, timeProvider, Options.Create(new EvalKitOptions()))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetStore"/> class that checks imports against <see cref="EvalKitOptions.InputLimits"/>.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">The options; their input limits are copied now.</param>
    /// <exception cref="ArgumentException">The input limits are out of range.</exception>
    public DatasetStore(IEvalKitStorage storage, TimeProvider timeProvider, IOptions<EvalKitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _time = timeProvider;
        _limits = (options.Value.InputLimits ?? throw new ArgumentException("The options have no input limits.", nameof(options))).Snapshot();
        _guard = new OperationGuard(storage, timeProvider);
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetStore"/> class whose imports and benchmark saves a guard authorizes and audits.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">The options; their input limits are copied now.</param>
    /// <param name="guard">Authorizes and audits dataset imports and benchmark saves.</param>
    /// <exception cref="ArgumentException">The input limits are out of range.</exception>
    public DatasetStore(IEvalKitStorage storage, TimeProvider timeProvider, IOptions<EvalKitOptions> options, OperationGuard guard)
        : this(storage, timeProvider, options)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <inheritdoc/>
    public ValueTask<DatasetInfo> ImportAsync(Dataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return ImportAsync(dataset.Name, dataset.Version, dataset.Cases.ToAsyncEnumerable(), null, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<DatasetInfo> ImportAsync(string name, string version, IAsyncEnumerable<EvalCase> cases, string? description = null, CancellationToken cancellationToken = default)
    {
        var datasetId = string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(version) ? null : DatasetInfo.MakeId(name, version);
        return await _guard.RunAsync(
            EvalKitOperationKinds.DatasetImport, EvalKitRecordTypes.Dataset, datasetId, () => ImportCoreAsync(name, version, cases, description, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DatasetInfo> ImportCoreAsync(string name, string version, IAsyncEnumerable<EvalCase> cases, string? description, CancellationToken cancellationToken)
    {
        var import = new DatasetImport(name, version, cases, _time.GetUtcNow(), description) { Limits = _limits };
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var existing = await _storage.Datasets.GetAsync(import.Id, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            try
            {
                return await _storage.Datasets.CreateAsync(import, cancellationToken).ConfigureAwait(false);
            }
            catch (DatasetExistsException)
            {
                // Another writer (another process, say) stored this version between the check and the write: compare
                // the offered content with what it stored, reading the cases again as the contract allows.
                existing = await _storage.Datasets.GetAsync(import.Id, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    throw;
                }

                import = new DatasetImport(name, version, cases, import.CreatedAt, description);
            }
        }

        await foreach (var unused in import.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Validate and hash the offered content to compare it with the stored version.
        }

        var offered = import.Complete();
        return offered.ContentHash == existing.ContentHash
            ? existing
            : throw new EvalKitException(
                $"Dataset '{import.Id}' is already stored with different content (stored hash {existing.ContentHash}, offered {offered.ContentHash}); " +
                "a stored dataset version is immutable: import the new content under a new version.");
    }

    /// <inheritdoc/>
    public async ValueTask<DatasetInfo?> GetAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Datasets.GetAsync(datasetId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<DatasetInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var info in _storage.Datasets.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<EvalCase> ReadCasesAsync(string datasetId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _ = await GetAsync(datasetId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("dataset", datasetId);
        await foreach (var stored in _storage.Datasets.ReadCasesAsync(datasetId, 0, cancellationToken).ConfigureAwait(false))
        {
            yield return stored.Case;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<Benchmark> SaveBenchmarkAsync(Benchmark benchmark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentException.ThrowIfNullOrWhiteSpace(benchmark.Id);
        return await _guard.RunAsync(
            EvalKitOperationKinds.BenchmarkSave, EvalKitRecordTypes.Benchmark, benchmark.Id, () => SaveBenchmarkCoreAsync(benchmark, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Benchmark> SaveBenchmarkCoreAsync(Benchmark benchmark, CancellationToken cancellationToken)
    {
        _ = await GetAsync(benchmark.DatasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"Benchmark '{benchmark.Id}' names dataset '{benchmark.DatasetId}', which is not stored; import it first.");
        await _storage.Benchmarks.SaveAsync(benchmark, cancellationToken).ConfigureAwait(false);
        return benchmark;
    }

    /// <inheritdoc/>
    public async ValueTask<Benchmark?> GetBenchmarkAsync(string benchmarkId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(benchmarkId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Benchmarks.GetAsync(benchmarkId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Benchmark> ListBenchmarksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var benchmark in _storage.Benchmarks.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return benchmark;
        }
    }
}
