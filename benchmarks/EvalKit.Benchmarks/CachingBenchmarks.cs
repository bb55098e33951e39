using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EvalKit.Benchmarks;

/// <summary>
/// The read paths EvalKit caches, with the cache on and off (<c>EvalKitOptions.Caching.Enabled</c>), over one SQLite file:
/// 20 registered models; a 500-case benchmark with five completed runs (one per candidate model); 50,400 latency points of
/// one model over 7 days. Each category compares the cached read (a warm cache: the answer is in the local level and the
/// counters were checked within the interval) with the same read from the store (the baseline). Data are seeded.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class CachingBenchmarks
{
    private const int Cases = 500;
    private const string Benchmark = "arith";
    private static readonly DateTimeOffset End = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Candidates = [.. Enumerable.Range(0, 5).Select(Model)];
    private static readonly string Looked = Model(7);

    private string _directory = string.Empty;
    private EvalKitHost _cached = null!;
    private EvalKitHost _uncached = null!;
    private string[] _runs = [];
    private SelectionRequest _selection = null!;

    private static MetricAggregateQuery Hourly => new() { ModelId = Model(0), Name = MetricNames.LatencyMs, From = End.AddDays(-7), To = End, Period = MetricPeriod.Hour };

    /// <summary>Writes the data through the uncached host and warms the cached one.</summary>
    /// <returns>A task that completes when ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "evalkit-caching-bench-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_directory);
        var connectionString = $"Data Source={Path.Combine(_directory, "evalkit.db")}";
        var clients = new ModelClientMap();
        _uncached = EvalKitHost.Create(o => o.Caching.Enabled = false, storage: new SqliteEvalKitStorage(connectionString), clients: clients);
        _cached = EvalKitHost.Create(storage: new SqliteEvalKitStorage(connectionString), clients: clients);

        var cases = Enumerable.Range(0, Cases).Select(i => new EvalCase
        {
            Id = $"case-{i}",
            Input = $"What is {i} + {i}?",
            References = [(2 * i).ToString(CultureInfo.InvariantCulture)],
        }).ToList();
        var dataset = await _uncached.Datasets.ImportAsync(new Dataset(Benchmark, "1", cases));
        await _uncached.Datasets.SaveBenchmarkAsync(new Benchmark { Id = Benchmark, DatasetId = dataset.Id, Scorers = ["exact_match"] });
        var runs = new List<string>();
        for (var m = 0; m < 20; m++)
        {
            await _uncached.Registry.RegisterAsync(new ModelDescriptor
            {
                Id = Model(m),
                Capabilities = new HashSet<string> { "chat" },
                Pricing = new ModelPricing { InputPerMillionTokens = 1 + m, OutputPerMillionTokens = 2 + m },
            });
            if (m < Candidates.Length)
            {
                // Model m answers every (m + 2)-th case wrong.
                var wrongEvery = m + 2;
                clients.Add(Model(m), new LookupChatClient(cases.Select((c, i) => KeyValuePair.Create(c.Input.Text!, i % wrongEvery == 0 ? "wrong" : c.References[0]))));
                runs.Add((await _uncached.Engine.EvaluateAsync(new EvaluationRequest { ModelId = Model(m), BenchmarkId = Benchmark })).Id);
            }
        }

        _runs = [.. runs];
        var random = new Random(11);
        var points = new List<MetricPoint>();
        for (var minute = 0; minute < 7 * 24 * 60; minute += 1)
        {
            for (var k = 0; k < 5; k++)
            {
                points.Add(new MetricPoint { ModelId = Model(0), Name = MetricNames.LatencyMs, Value = 200 + (random.NextDouble() * 300), Timestamp = End.AddDays(-7).AddMinutes(minute).AddSeconds(k * 10) });
            }
        }

        await _uncached.Metrics.RecordAsync(points);
        _selection = new SelectionRequest { BenchmarkId = Benchmark, CandidateModelIds = Candidates };

        // Warm the cached host: every answer is in its local level.
        await RegistryCached();
        await ResultsCached();
        await CompareCached();
        await MetricsCached();
        await SelectCached();
    }

    /// <summary>Deletes the SQLite file.</summary>
    /// <returns>A task that completes when done.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _cached.DisposeAsync();
        await _uncached.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One model by id, from the store.</summary>
    /// <returns>The model.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("Registry GetAsync")]
    public ValueTask<ModelDescriptor?> RegistryUncached() => _uncached.Registry.GetAsync(Looked);

    /// <summary>One model by id, from the cached snapshot.</summary>
    /// <returns>The model.</returns>
    [Benchmark, BenchmarkCategory("Registry GetAsync")]
    public ValueTask<ModelDescriptor?> RegistryCached() => _cached.Registry.GetAsync(Looked);

    /// <summary>A completed run with its 500 results, from the store.</summary>
    /// <returns>The results.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("GetResultsAsync (500 results)")]
    public ValueTask<EvaluationResults> ResultsUncached() => _uncached.Engine.GetResultsAsync(_runs[0]);

    /// <summary>A completed run with its 500 results, cached.</summary>
    /// <returns>The results.</returns>
    [Benchmark, BenchmarkCategory("GetResultsAsync (500 results)")]
    public ValueTask<EvaluationResults> ResultsCached() => _cached.Engine.GetResultsAsync(_runs[0]);

    /// <summary>Two runs compared, from the store.</summary>
    /// <returns>The comparison.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("CompareRunsAsync (2 x 500)")]
    public Task<EvalKit.Experiments.RunComparison> CompareUncached() => _uncached.Experiments.CompareRunsAsync([_runs[0], _runs[1]]);

    /// <summary>Two runs compared, cached.</summary>
    /// <returns>The comparison.</returns>
    [Benchmark, BenchmarkCategory("CompareRunsAsync (2 x 500)")]
    public Task<EvalKit.Experiments.RunComparison> CompareCached() => _cached.Experiments.CompareRunsAsync([_runs[0], _runs[1]]);

    /// <summary>Hourly aggregates of 50,400 points over 7 days, from the store.</summary>
    /// <returns>The buckets.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("Metrics AggregateAsync (7 d hourly)")]
    public ValueTask<IReadOnlyList<MetricBucket>> MetricsUncached() => _uncached.Metrics.AggregateAsync(Hourly);

    /// <summary>Hourly aggregates of 50,400 points over 7 days, cached.</summary>
    /// <returns>The buckets.</returns>
    [Benchmark, BenchmarkCategory("Metrics AggregateAsync (7 d hourly)")]
    public ValueTask<IReadOnlyList<MetricBucket>> MetricsCached() => _cached.Metrics.AggregateAsync(Hourly);

    /// <summary>A selection among 5 candidates made from the store's evidence.</summary>
    /// <returns>The recommendation.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("Selection SelectAsync (5 candidates)")]
    public ValueTask<ModelRecommendation> SelectUncached() => _uncached.Selection.SelectAsync(_selection);

    /// <summary>A cached selection among 5 candidates.</summary>
    /// <returns>The recommendation.</returns>
    [Benchmark, BenchmarkCategory("Selection SelectAsync (5 candidates)")]
    public ValueTask<ModelRecommendation> SelectCached() => _cached.Selection.SelectAsync(_selection);

    private static string Model(int m) => $"bench/model-{m:00}";
}
