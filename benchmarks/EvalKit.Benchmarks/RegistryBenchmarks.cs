using BenchmarkDotNet.Attributes;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace EvalKit.Benchmarks;

/// <summary>
/// What a registry read costs: from the cached snapshot (the default), with a change-counter check on every read
/// (<c>CacheRefreshInterval = 0</c>), and the store reads behind them (the counter, one model, the whole list), over
/// 50 models in memory and in a SQLite file.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class RegistryBenchmarks
{
    private const int Models = 50;
    private const string Id = "bench/model-25";
    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-registry-bench-").FullName;
    private InMemoryEvalKitStorage _memory = null!;
    private SqliteEvalKitStorage _sqlite = null!;
    private ModelRegistry _memoryCached = null!;
    private ModelRegistry _memoryChecked = null!;
    private ModelRegistry _sqliteCached = null!;
    private ModelRegistry _sqliteChecked = null!;

    /// <summary>Registers the models in both stores and warms the registries.</summary>
    /// <returns>A task that completes when ready.</returns>
    [GlobalSetup]
    public async Task Setup()
    {
        _memory = new InMemoryEvalKitStorage();
        _sqlite = new SqliteEvalKitStorage($"Data Source={Path.Combine(_folder, "registry.db")}");
        _memoryCached = Create(_memory, TimeSpan.FromSeconds(1));
        _memoryChecked = Create(_memory, TimeSpan.Zero);
        _sqliteCached = Create(_sqlite, TimeSpan.FromSeconds(1));
        _sqliteChecked = Create(_sqlite, TimeSpan.Zero);
        for (var i = 0; i < Models; i++)
        {
            var model = new ModelDescriptor
            {
                Id = $"bench/model-{i}",
                Provider = "bench",
                Capabilities = new HashSet<string> { ModelCapabilities.Chat, i % 2 == 0 ? ModelCapabilities.Json : ModelCapabilities.Tools },
                Pricing = new ModelPricing { InputPerMillionTokens = i, OutputPerMillionTokens = 2 * i },
                ContextWindow = 8_192 * (1 + (i % 16)),
            };
            await _memoryCached.RegisterAsync(model);
            await _sqliteCached.RegisterAsync(model);
        }

        foreach (var registry in new[] { _memoryCached, _memoryChecked, _sqliteCached, _sqliteChecked })
        {
            await registry.GetSnapshotAsync();
        }
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A cached read from the in-memory store's registry.</summary>
    /// <returns>The model.</returns>
    [Benchmark(Baseline = true)]
    public ValueTask<ModelDescriptor?> CachedGetInMemory() => _memoryCached.GetAsync(Id);

    /// <summary>A cached read from the SQLite store's registry.</summary>
    /// <returns>The model.</returns>
    [Benchmark]
    public ValueTask<ModelDescriptor?> CachedGetSqlite() => _sqliteCached.GetAsync(Id);

    /// <summary>A read that checks the in-memory store's change counter first.</summary>
    /// <returns>The model.</returns>
    [Benchmark]
    public ValueTask<ModelDescriptor?> CheckedGetInMemory() => _memoryChecked.GetAsync(Id);

    /// <summary>A read that checks the SQLite store's change counter first.</summary>
    /// <returns>The model.</returns>
    [Benchmark]
    public ValueTask<ModelDescriptor?> CheckedGetSqlite() => _sqliteChecked.GetAsync(Id);

    /// <summary>The SQLite change counter alone.</summary>
    /// <returns>The counter.</returns>
    [Benchmark]
    public ValueTask<long> CounterSqlite() => _sqlite.Models.GetChangeCounterAsync();

    /// <summary>One model straight from SQLite (what every read cost before the cache).</summary>
    /// <returns>The model.</returns>
    [Benchmark]
    public ValueTask<ModelDescriptor?> StoreGetSqlite() => _sqlite.Models.GetAsync(Id);

    /// <summary>The whole list from SQLite (what a reload costs).</summary>
    /// <returns>The number of models.</returns>
    [Benchmark]
    public async Task<int> StoreListSqlite()
    {
        var count = 0;
        await foreach (var model in _sqlite.Models.ListAsync())
        {
            count += model.Revision;
        }

        return count;
    }

    private static ModelRegistry Create(IEvalKitStorage storage, TimeSpan interval) =>
        new(storage, TimeProvider.System, SystemActorContext.Instance, Options.Create(new ModelRegistryOptions { CacheRefreshInterval = interval }));
}
