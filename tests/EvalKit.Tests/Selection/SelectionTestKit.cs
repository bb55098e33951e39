using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Statistics;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Selection;

/// <summary>A clock that moves only when told to: latency is simulated, never slept.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public ManualClock()
        : this(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>Evidence given directly, per model; counts reads and lets tests bump the version.</summary>
internal sealed class FixedEvidenceSource : ISelectionEvidenceSource
{
    private readonly Dictionary<string, ModelEvidence> _evidence = new(StringComparer.Ordinal);
    private long _version;
    private int _reads;

    public long Version => Volatile.Read(ref _version);

    public int Reads => Volatile.Read(ref _reads);

    public void Set(ModelEvidence evidence) => _evidence[evidence.ModelId] = evidence;

    public void Bump() => Interlocked.Increment(ref _version);

    public ValueTask<ModelEvidence> GetEvidenceAsync(ModelDescriptor model, SelectionEvidenceQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return ValueTask.FromResult(_evidence.GetValueOrDefault(model.Id) ?? new ModelEvidence { ModelId = model.Id });
    }
}

/// <summary>Builds registries, evidence and engines for the selection tests.</summary>
internal sealed class SelectionFixture
{
    public SelectionFixture(SelectionOptions? options = null)
    {
        Registry = new ModelRegistry(Storage, Clock);
        Engine = new SelectionEngine(Registry, Evidence, Clock, Options.Create(options ?? new SelectionOptions()));
    }

    public ManualClock Clock { get; } = new();

    public InMemoryEvalKitStorage Storage { get; } = new();

    public ModelRegistry Registry { get; }

    public FixedEvidenceSource Evidence { get; } = new();

    public SelectionEngine Engine { get; }

    /// <summary>Registers a model and its evidence: quality (mean, n, a ±0.02 interval), p95 latency (ms), success rate, cost per 1k requests.</summary>
    public async Task AddAsync(
        string id,
        double? quality = 0.8,
        double? latencyMs = 500,
        double? successRate = 0.99,
        double? costPer1k = 1,
        string[]? capabilities = null,
        ModelStatus status = ModelStatus.Active,
        ModelPricing? pricing = null,
        double qualityHalfWidth = 0.02,
        int n = 400)
    {
        await Registry.RegisterAsync(new ModelDescriptor { Id = id, Capabilities = new HashSet<string>(capabilities ?? ["chat"]), Pricing = pricing });
        if (status != ModelStatus.Active)
        {
            await Registry.UpdateAsync(id, m => m with { Status = status });
        }

        Evidence.Set(new ModelEvidence
        {
            ModelId = id,
            Quality = quality is { } q ? new Estimate { Value = q, Interval = new Interval(q - qualityHalfWidth, q + qualityHalfWidth), N = n, Origin = EvidenceOrigin.EvaluationRun, Source = "run r-" + id } : null,
            LatencyP95Milliseconds = latencyMs is { } l ? new Estimate { Value = l, Interval = new Interval(l * 0.9, l * 1.1), N = n, Origin = EvidenceOrigin.RuntimeMetrics } : null,
            SuccessRate = successRate is { } s ? new Estimate { Value = s, Interval = ConfidenceIntervals.Wilson((int)Math.Round(s * n), n), N = n, Origin = EvidenceOrigin.RuntimeMetrics } : null,
            CostPer1kRequests = costPer1k is { } c ? new Estimate { Value = c, Interval = new Interval(c * 0.95, c * 1.05), N = n, Origin = EvidenceOrigin.RuntimeMetrics } : null,
        });
        Evidence.Bump();
    }
}

/// <summary>Writes evaluation runs and runtime metric points straight into a store.</summary>
internal static class StoredEvidence
{
    public static async Task<EvaluationRun> AddCompletedRunAsync(
        IEvalKitStorage storage,
        string runId,
        string modelId,
        DateTimeOffset createdAt,
        string? benchmarkId = "bench",
        string metric = "exact_match",
        double mean = 0.8,
        int n = 200,
        RunStatus status = RunStatus.Completed,
        TimeSpan? p95 = null,
        long total = 200,
        long failed = 0,
        decimal? totalCost = null)
    {
        var se = Math.Sqrt(mean * (1 - mean) / n);
        var run = new EvaluationRun
        {
            Id = runId,
            ModelId = modelId,
            DatasetId = "ds",
            BenchmarkId = benchmarkId,
            PrimaryMetric = metric,
            Options = new EvaluationOptions(),
            Status = status,
            CreatedAt = createdAt,
            CompletedAt = createdAt.AddMinutes(5),
            Summary = new EvaluationSummary
            {
                Metrics = new Dictionary<string, MetricSummary>
                {
                    [metric] = new()
                    {
                        Name = metric,
                        Mean = mean,
                        StandardDeviation = se * Math.Sqrt(n),
                        StandardError = se,
                        ConfidenceInterval = new Interval(mean - (1.96 * se), mean + (1.96 * se)),
                        N = n,
                    },
                },
                Latency = p95 is { } p ? new LatencySummary((int)total, p / 2, p / 2, p, p) : null,
                Total = total,
                Succeeded = total - failed,
                Failed = failed,
                Retries = 0,
                TotalCost = totalCost,
                InputTokens = totalCost is null ? null : (total - failed) * 800,
                OutputTokens = totalCost is null ? null : (total - failed) * 200,
            },
        };
        await storage.Runs.TryAddAsync(run);
        return run;
    }

    /// <summary>Appends the live-traffic points of <paramref name="calls"/> calls: latencies cycle through <paramref name="latenciesMs"/>.</summary>
    public static ValueTask AddCallsAsync(IEvalKitStorage storage, string modelId, DateTimeOffset at, int calls, double[] latenciesMs, int errors = 0, double? costPerCall = null)
    {
        var points = new List<MetricPoint>();
        for (var i = 0; i < calls; i++)
        {
            var time = at.AddSeconds(i);
            points.Add(new MetricPoint { ModelId = modelId, Name = MetricNames.Requests, Value = 1, Timestamp = time });
            points.Add(new MetricPoint { ModelId = modelId, Name = MetricNames.LatencyMs, Value = latenciesMs[i % latenciesMs.Length], Timestamp = time });
            if (i < errors)
            {
                points.Add(new MetricPoint { ModelId = modelId, Name = MetricNames.Errors, Value = 1, Timestamp = time });
            }
            else if (costPerCall is { } cost)
            {
                points.Add(new MetricPoint { ModelId = modelId, Name = MetricNames.Cost, Value = cost, Timestamp = time });
                points.Add(new MetricPoint { ModelId = modelId, Name = MetricNames.InputTokens, Value = 800, Timestamp = time });
                points.Add(new MetricPoint { ModelId = modelId, Name = MetricNames.OutputTokens, Value = 200, Timestamp = time });
            }
        }

        return storage.Metrics.AppendAsync(points);
    }
}
