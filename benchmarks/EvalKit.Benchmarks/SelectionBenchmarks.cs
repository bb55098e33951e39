using BenchmarkDotNet.Attributes;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Statistics;
using EvalKit.Storage;

namespace EvalKit.Benchmarks;

/// <summary>
/// The selection engine over 20 registered models, each with a completed evaluation run and 200 routed calls of runtime
/// metrics in an in-memory store: a cached decision (the same request instance, or an equal one that must be hashed and
/// compared), a cached ranking and explanation, and a decision made from scratch (evidence read again).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class SelectionBenchmarks
{
    private const int Models = 20;
    private readonly InMemoryEvalKitStorage _storage = new();
    private StorageSelectionEvidenceSource _evidence = null!;
    private SelectionEngine _engine = null!;
    private SelectionRequest _request = null!;
    private SelectionRequest _equal = null!;

    /// <summary>Registers the models, stores their evidence and warms the decision cache.</summary>
    /// <returns>A task that completes when ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var time = TimeProvider.System;
        var now = time.GetUtcNow();
        var registry = new ModelRegistry(_storage, time);
        var random = new Random(7);
        for (var m = 0; m < Models; m++)
        {
            var id = $"bench/model-{m:00}";
            await registry.RegisterAsync(new ModelDescriptor
            {
                Id = id,
                Capabilities = new HashSet<string>(m % 3 == 0 ? ["chat", "json", "tools"] : ["chat", "json"]),
                Pricing = new ModelPricing { InputPerMillionTokens = 0.1m * (m + 1), OutputPerMillionTokens = 0.4m * (m + 1) },
            });
            var mean = 0.5 + (0.4 * random.NextDouble());
            await _storage.Runs.TryAddAsync(new EvaluationRun
            {
                Id = "run-" + id,
                ModelId = id,
                DatasetId = "ds",
                BenchmarkId = "bench",
                PrimaryMetric = "exact_match",
                Options = new EvaluationOptions(),
                Status = RunStatus.Completed,
                CreatedAt = now.AddDays(-1),
                Summary = new EvaluationSummary
                {
                    Metrics = new Dictionary<string, MetricSummary>
                    {
                        ["exact_match"] = new() { Name = "exact_match", Mean = mean, StandardDeviation = 0.4, StandardError = 0.02, ConfidenceInterval = new Interval(mean - 0.04, mean + 0.04), N = 400 },
                    },
                    Total = 400,
                    Succeeded = 396,
                    Failed = 4,
                    Retries = 0,
                },
            });

            var points = new List<MetricPoint>();
            for (var call = 0; call < 200; call++)
            {
                var at = now.AddMinutes(-call);
                points.Add(new MetricPoint { ModelId = id, Name = MetricNames.Requests, Value = 1, Timestamp = at });
                points.Add(new MetricPoint { ModelId = id, Name = MetricNames.LatencyMs, Value = 200 + (m * 50) + (random.NextDouble() * 400), Timestamp = at });
                points.Add(new MetricPoint { ModelId = id, Name = MetricNames.Cost, Value = 0.0002 * (m + 1), Timestamp = at });
            }

            await _storage.Metrics.AppendAsync(points);
        }

        _evidence = new StorageSelectionEvidenceSource(_storage);
        _engine = new SelectionEngine(registry, _evidence, time, Microsoft.Extensions.Options.Options.Create(new SelectionOptions { DecisionTimeToLive = TimeSpan.FromHours(1) }));
        _request = new SelectionRequest
        {
            RequiredCapabilities = ["chat", "json"],
            BenchmarkId = "bench",
            MaxP95Latency = TimeSpan.FromSeconds(2),
            MinSuccessRate = 0.9,
            MaxCostPer1kRequests = 10m,
        };
        _equal = _request with { };
        await _engine.SelectAsync(_request);
    }

    /// <summary>A cached decision, same request instance.</summary>
    /// <returns>The recommendation.</returns>
    [Benchmark(Baseline = true)]
    public ModelRecommendation CachedSameInstance() => Completed(_engine.SelectAsync(_request));

    /// <summary>A cached decision for an equal request (hashed and compared field by field).</summary>
    /// <returns>The recommendation.</returns>
    [Benchmark]
    public ModelRecommendation CachedEqualRequest() => Completed(_engine.SelectAsync(_equal));

    /// <summary>A cached top-3 ranking.</summary>
    /// <returns>The ranking.</returns>
    [Benchmark]
    public IReadOnlyList<ModelRecommendation> CachedRankTop3() => Completed(_engine.RankAsync(_equal, 3));

    /// <summary>A cached explanation.</summary>
    /// <returns>The explanation.</returns>
    [Benchmark]
    public SelectionExplanation CachedExplain() => Completed(_engine.ExplainAsync(_equal));

    /// <summary>A decision from scratch: the evidence version is bumped, so 20 models' runs and metric points are read again.</summary>
    /// <returns>The recommendation.</returns>
    [Benchmark]
    public async Task<ModelRecommendation> Uncached()
    {
        _evidence.Invalidate();
        return await _engine.SelectAsync(_equal);
    }

    private static T Completed<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("A cached decision must complete synchronously.");
}
