using System.Globalization;
using System.Text.RegularExpressions;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// Two hosts over one SQLite file stand for two processes. The reader (B) caches every kind of answer; the writer (A)
/// changes what it depends on. B may serve its cached answer until its check interval ends (1 s, on B's fake clock, which
/// only moves when told), and never after: the store's change counters say the answer is stale.
/// </summary>
public sealed partial class SqliteCrossProcessCacheTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset At = RegistryTestClock.Start;
    private readonly SqliteTestDatabase _db = new();
    private readonly RegistryTestClock _clock = new();
    private readonly ModelClientMap _clients = new();
    private readonly EvalKitHost _writer;
    private readonly EvalKitHost _reader;
    private bool _improved;

    public SqliteCrossProcessCacheTests()
    {
        // The writer runs evaluations on the system clock; the reader's check interval runs on the fake clock.
        _writer = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage: _db.Open(), clients: _clients);
        _reader = EvalKitHost.Create(storage: _db.Open(), timeProvider: _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MetricAggregateQuery Latency => new() { ModelId = "m/a", Name = "latency_ms", From = At.AddHours(-1), To = At.AddHours(1) };

    [Fact]
    public async Task RunResults_AnotherProcesssPurge_IsSeenAfterTheCheckInterval()
    {
        var bench = await BenchmarkAsync();
        var run = await RunAsync("m/a", bench, _ => true);
        var cached = await _reader.Engine.GetResultsAsync(run.Id, Ct);
        (await _reader.Engine.GetResultsAsync(run.Id, Ct)).Should().BeSameAs(cached);

        await _writer.Storage.Retention.DeleteResultsAsync(run.Id, Ct);
        await _writer.Storage.Runs.UpdateAsync(run with { ResultsPurgedAt = At }, Ct);

        (await _reader.Engine.GetResultsAsync(run.Id, Ct)).Should().BeSameAs(cached, "within the check interval the reader trusts the counters it read");
        _clock.Advance(Interval);
        var fresh = await _reader.Engine.GetResultsAsync(run.Id, Ct);
        fresh.ResultsPurged.Should().BeTrue();
        fresh.Results.Should().BeEmpty();
    }

    [Fact]
    public async Task RunComparisons_AnotherProcesssDelete_IsSeenAfterTheCheckInterval()
    {
        var bench = await BenchmarkAsync();
        var a = await RunAsync("m/a", bench, _ => true);
        var b = await RunAsync("m/b", bench, i => i % 3 != 0);
        var cached = await _reader.Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct);
        var gate = new RegressionGate { BaselineRunId = a.Id, CandidateRunId = b.Id };
        var verdict = await _reader.Experiments.CheckRegressionAsync(gate, Ct);

        await _writer.Storage.Retention.DeleteRunAsync(b.Id, Ct);

        (await _reader.Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct)).Should().BeSameAs(cached);
        (await _reader.Experiments.CheckRegressionAsync(gate, Ct)).Should().BeSameAs(verdict);
        _clock.Advance(Interval);
        var compare = () => _reader.Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct);
        var check = () => _reader.Experiments.CheckRegressionAsync(gate, Ct);
        await compare.Should().ThrowAsync<NotFoundException>();
        await check.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task MetricsQueries_AnotherProcesssPoint_IsSeenAfterTheCheckInterval()
    {
        await _writer.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);
        var cached = await _reader.Metrics.AggregateAsync(Latency, Ct);
        cached.Single().Count.Should().Be(1);

        await _writer.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 30, At)], Ct);

        (await _reader.Metrics.AggregateAsync(Latency, Ct)).Should().BeSameAs(cached);
        _clock.Advance(Interval);
        var fresh = await _reader.Metrics.AggregateAsync(Latency, Ct);
        fresh.Single().Count.Should().Be(2);
        fresh.Single().Max.Should().Be(30);
    }

    [Fact]
    public async Task MetricsQueries_AnotherProcesssRetention_IsSeenAfterTheCheckInterval()
    {
        await _writer.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);
        (await _reader.Metrics.AggregateAsync(Latency, Ct)).Should().ContainSingle();

        await _writer.Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = At.AddDays(1) }, Ct);

        _clock.Advance(Interval);
        (await _reader.Metrics.AggregateAsync(Latency, Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task RegistryReads_AnotherProcesssModel_IsSeenAfterTheRefreshInterval()
    {
        (await _reader.Registry.GetAsync("m/new", Ct)).Should().BeNull();

        await _writer.Registry.RegisterAsync(new ModelDescriptor { Id = "m/new" }, Ct);

        (await _reader.Registry.GetAsync("m/new", Ct)).Should().BeNull("within the interval the reader trusts its snapshot");
        _clock.Advance(Interval);
        (await _reader.Registry.GetAsync("m/new", Ct)).Should().NotBeNull();
    }

    [Fact]
    public async Task SelectionDecisions_AnotherProcesssRun_IsSeenAfterTheCheckInterval()
    {
        var bench = await BenchmarkAsync();
        await RunAsync("m/a", bench, i => _improved || i % 2 == 0);
        await RunAsync("m/b", bench, i => i % 10 != 0);
        var request = new SelectionRequest { BenchmarkId = bench, Weights = new SelectionWeights(1, 0, 0, 0) };
        var cached = await _reader.Selection.ExplainAsync(request, Ct);
        cached.Ranked[0].Model.Id.Should().Be("m/b");

        _improved = true;
        await _writer.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "m/a", BenchmarkId = bench }, cancellationToken: Ct);

        (await _reader.Selection.ExplainAsync(request, Ct)).Should().BeSameAs(cached);
        _clock.Advance(Interval);
        (await _reader.Selection.SelectAsync(request, Ct)).Model.Id.Should().Be("m/a");
    }

    [Fact]
    public async Task SelectionDecisions_UnchangedStore_AreKeptPastTheCheckInterval()
    {
        var bench = await BenchmarkAsync();
        await RunAsync("m/a", bench, _ => true);
        var request = new SelectionRequest { BenchmarkId = bench, Weights = new SelectionWeights(1, 0, 0, 0) };
        var cached = await _reader.Selection.ExplainAsync(request, Ct);

        _clock.Advance(Interval * 5);

        (await _reader.Selection.ExplainAsync(request, Ct)).Should().BeSameAs(cached, "the counters did not move: the decision still holds");
    }

    [Fact]
    public async Task DistributedLevel_SharesAnswersBetweenHosts_WithoutComputingThemAgain()
    {
        var bench = await BenchmarkAsync();
        var a = await RunAsync("m/a", bench, _ => true);
        var b = await RunAsync("m/b", bench, i => i % 3 != 0);
        await _writer.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);
        var l2 = new CountingDistributedCache();
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<IDistributedCache>(l2);
            services.AddEvalKit().UseSqliteStorage(_db.ConnectionString);
            return services.BuildServiceProvider();
        }

        async Task<object[]> ReadAllAsync(IServiceProvider host) =>
        [
            (await host.GetRequiredService<IModelRegistry>().GetAsync("m/a", Ct))!,
            await host.GetRequiredService<IEvaluationEngine>().GetResultsAsync(a.Id, Ct),
            await host.GetRequiredService<IExperimentService>().CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct),
            await host.GetRequiredService<IMetricsService>().AggregateAsync(Latency, Ct),
            await host.GetRequiredService<ISelectionEngine>().ExplainAsync(new SelectionRequest { BenchmarkId = bench }, Ct),
        ];

        await using var first = Build();
        await using var second = Build();
        var computed = await ReadAllAsync(first);
        await l2.WaitForWritesAsync(5);
        var (writes, hits) = (l2.Writes, l2.Hits);
        var shared = await ReadAllAsync(second);

        writes.Should().Be(5, "each answer went to the distributed level once");
        l2.Writes.Should().Be(writes, "the second host computed nothing again");
        l2.Hits.Should().Be(hits + 5);
        shared.Should().BeEquivalentTo(computed, o => o.RespectingRuntimeTypes());
        ((SelectionExplanation)shared[4]).ToString().Should().Be(((SelectionExplanation)computed[4]).ToString(), "the decision, its evidence and its time are the first host's");
        (await l2.GetAsync("evalkit:t:default:model:models", Ct)).Should().NotBeNull();
    }

    [Fact]
    public async Task DistributedLevel_OverAnEncryptingStore_KeepsRunResultsInProcess()
    {
        var bench = await BenchmarkAsync();
        var run = await RunAsync("m/a", bench, _ => true);
        await _writer.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);
        var l2 = new CountingDistributedCache();
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(l2);
        services.AddEvalKit()
            .UseSqliteStorage(_db.ConnectionString)
            .UseFieldEncryption(new EvalKit.Security.EncryptionKeyRing(new EvalKit.Security.EncryptionKey("k1", new byte[32])));
        await using var host = services.BuildServiceProvider();

        var results = await host.GetRequiredService<IEvaluationEngine>().GetResultsAsync(run.Id, Ct);
        (await host.GetRequiredService<IEvaluationEngine>().GetResultsAsync(run.Id, Ct)).Should().BeSameAs(results, "kept in process");
        l2.Writes.Should().Be(0, "decrypted answers never go to the distributed cache");

        await host.GetRequiredService<IMetricsService>().AggregateAsync(Latency, Ct);
        await l2.WaitForWritesAsync(1);
        l2.Writes.Should().Be(1, "metrics answers hold no content, and the run results were never written");
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _writer.DisposeAsync();
        _db.Dispose();
    }

    private async Task<string> BenchmarkAsync()
    {
        var info = await _writer.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(12)), Ct);
        await _writer.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "arith", DatasetId = info.Id, Scorers = ["exact_match"] }, Ct);
        return "arith";
    }

    /// <summary>Registers a model that answers case i ("What is i + i?") right when <paramref name="correct"/> says so, and evaluates it.</summary>
    private async Task<EvaluationRun> RunAsync(string modelId, string benchmarkId, Func<int, bool> correct)
    {
        _clients.Add(modelId, FakeChatClient.Answering(p =>
        {
            var i = int.Parse(CaseNumber().Match(p).Groups[1].Value, CultureInfo.InvariantCulture);
            return (2 * i + (correct(i) ? 0 : 1)).ToString(CultureInfo.InvariantCulture);
        }));
        await _writer.Registry.RegisterAsync(new ModelDescriptor { Id = modelId }, Ct);
        return await _writer.Engine.EvaluateAsync(new EvaluationRequest { ModelId = modelId, BenchmarkId = benchmarkId }, cancellationToken: Ct);
    }

    [GeneratedRegex(@"What is (\d+) \+")]
    private static partial Regex CaseNumber();

    /// <summary>
    /// A real in-memory distributed cache that counts what it serves. HybridCache ignores a bare MemoryDistributedCache as its
    /// distributed level (it would duplicate the local one), so the test wraps it to stand for a shared cache such as Redis.
    /// </summary>
    private sealed class CountingDistributedCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = new(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        private readonly SemaphoreSlim _written = new(0);
        private int _hits;
        private int _writes;

        /// <summary>Waits for <paramref name="count"/> answer writes: HybridCache writes the distributed level in the background.</summary>
        public async Task WaitForWritesAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                (await _written.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Should().BeTrue("answer {0} of {1} should reach the distributed level", i + 1, count);
            }
        }

        public int Hits => Volatile.Read(ref _hits);

        public int Writes => Volatile.Read(ref _writes);

        public byte[]? Get(string key) => Count(_inner.Get(key));

        public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Count(await _inner.GetAsync(key, token));

        public void Refresh(string key) => _inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

        public void Remove(string key) => _inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            CountWrite(key);
            _inner.Set(key, value, options);
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            CountWrite(key);
            return _inner.SetAsync(key, value, options, token);
        }

        private void CountWrite(string key)
        {
            // Tag invalidation records go to the distributed level too; only answers count.
            if (key.StartsWith("evalkit:t:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _writes);
                _written.Release();
            }
        }

        private byte[]? Count(byte[]? value)
        {
            if (value is not null)
            {
                Interlocked.Increment(ref _hits);
            }

            return value;
        }
    }
}
