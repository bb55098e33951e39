using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Statistics;
using EvalKit.Storage;

namespace EvalKit.Selection;

/// <summary>
/// The default <see cref="ISelectionEvidenceSource"/>: quality from the latest completed evaluation run in the store; runtime
/// latency, success and cost from the store's live-traffic metric points (<see cref="MetricNames.Requests"/>,
/// <see cref="MetricNames.Errors"/>, <see cref="MetricNames.LatencyMs"/>, <see cref="MetricNames.Cost"/> and the token counts,
/// as <see cref="SelectingChatClient"/> and the metrics service write them) in the request's window; and the run's own
/// latency, success and cost when the window holds too few runtime samples.
/// </summary>
/// <remarks>
/// <see cref="Version"/> changes through <see cref="Invalidate"/>, which runs by itself when the registry given to the
/// constructor changes (a write through it, or another process's write that it has read), when a run record is written
/// through the store (its <see cref="IChangeCounterStorage.Advanced"/> event) and when an evaluation run completes (through
/// <see cref="SelectionEvidenceInvalidator"/>, registered with the engine). Runtime metric points do not bump it: with
/// EvalKit's cache, decisions re-check the store's change counters once per check interval
/// (<see cref="Caching.EvalKitCachingOptions.CheckInterval"/>), and without it they re-read evidence once older than
/// <see cref="SelectionOptions.DecisionTimeToLive"/>. Call <see cref="Invalidate"/> when a decision must see another change at once.
/// </remarks>
public sealed class StorageSelectionEvidenceSource : ISelectionEvidenceSource
{
    private readonly IEvalKitStorage _storage;
    private long _version;

    /// <summary>Initializes a new instance of the <see cref="StorageSelectionEvidenceSource"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    public StorageSelectionEvidenceSource(IEvalKitStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        IChangeCounterStorage? counters;
        try
        {
            counters = storage.ChangeCounters;
        }
        catch (NotSupportedException)
        {
            counters = null;
        }

        if (counters is not null)
        {
            // A run record written through this store (created, completed, deleted) changes quality evidence: decisions are
            // made again at once. Metric points are seen at the next check of the store's counters instead (see SelectionEngine).
            counters.Advanced += (_, e) =>
            {
                if (e.Scopes.Contains(ChangeScope.Runs))
                {
                    Invalidate();
                }
            };
        }
    }

    /// <summary>Initializes a new instance of the <see cref="StorageSelectionEvidenceSource"/> class that follows a registry's changes.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The registry whose changes invalidate cached decisions (when it is a <see cref="ModelRegistry"/>).</param>
    public StorageSelectionEvidenceSource(IEvalKitStorage storage, IModelRegistry registry)
        : this(storage)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry is ModelRegistry observable)
        {
            observable.Changed += (_, _) => Invalidate();
        }
    }

    /// <inheritdoc/>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Bumps <see cref="Version"/>, so that every cached decision is made again from fresh evidence.</summary>
    /// <returns>The new version.</returns>
    public long Invalidate() => Interlocked.Increment(ref _version);

    /// <inheritdoc/>
    public async ValueTask<ModelEvidence> GetEvidenceAsync(ModelDescriptor model, SelectionEvidenceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var notes = new Dictionary<SelectionCriterion, string>();

        // Quality: the latest completed run (on the benchmark, when one is named) whose summary has the metric.
        EvaluationRun? qualityRun = null;
        EvaluationRun? latestCompleted = null;
        MetricSummary? quality = null;
        await foreach (var run in _storage.Runs.ListAsync(model.Id, null, cancellationToken).ConfigureAwait(false))
        {
            if (run.Status != RunStatus.Completed || run.Summary is null)
            {
                continue;
            }

            latestCompleted ??= run;
            if (query.BenchmarkId is not null && !string.Equals(run.BenchmarkId, query.BenchmarkId, StringComparison.Ordinal))
            {
                continue;
            }

            var metric = query.QualityMetric ?? run.PrimaryMetric;
            if (metric is not null && run.Summary.Metrics.TryGetValue(metric, out var summary) && summary.N > 0)
            {
                qualityRun = run;
                quality = summary;
                break;
            }
        }

        Estimate? qualityEstimate = null;
        if (quality is not null && qualityRun is not null)
        {
            qualityEstimate = new Estimate
            {
                Value = quality.Mean,
                Interval = quality.ConfidenceInterval,
                N = quality.N,
                Origin = EvidenceOrigin.EvaluationRun,
                Source = $"run {qualityRun.Id} ({quality.Name})",
            };
        }
        else
        {
            var on = query.BenchmarkId is null ? "any benchmark" : $"benchmark '{query.BenchmarkId}'";
            var metric = query.QualityMetric is null ? "its primary metric" : $"metric '{query.QualityMetric}'";
            notes[SelectionCriterion.Quality] = $"no completed evaluation run of {model.Id} on {on} with {metric}";
        }

        var fallbackRun = qualityRun ?? latestCompleted;
        var runtime = await ReadRuntimeAsync(model.Id, query, cancellationToken).ConfigureAwait(false);
        var since = string.Create(CultureInfo.InvariantCulture, $"runtime metrics since {query.From:O}");
        var min = query.MinRuntimeSamples;

        Estimate? latency = null;
        if (runtime.Latencies.Count >= min)
        {
            var sorted = runtime.Latencies.ToArray();
            Array.Sort(sorted);
            latency = new Estimate
            {
                Value = Descriptive.PercentileOfSorted(sorted, 95),
                Interval = RuntimeStatistics.QuantileInterval(sorted, 0.95),
                N = sorted.Length,
                Origin = EvidenceOrigin.RuntimeMetrics,
                Source = since,
            };
        }
        else if (fallbackRun?.Summary?.Latency is { Count: > 0 } runLatency)
        {
            latency = new Estimate { Value = runLatency.P95.TotalMilliseconds, N = runLatency.Count, Origin = EvidenceOrigin.EvaluationRun, Source = $"run {fallbackRun.Id}" };
            notes[SelectionCriterion.Latency] = Thin(runtime.Latencies.Count, "latency", min, $"using run {fallbackRun.Id}");
        }
        else
        {
            notes[SelectionCriterion.Latency] = Thin(runtime.Latencies.Count, "latency", min, "and no evaluation run latency");
        }

        Estimate? success = null;
        if (runtime.Calls >= min)
        {
            var successes = (int)Math.Max(0, runtime.Calls - runtime.Errors);
            success = new Estimate
            {
                Value = (double)successes / runtime.Calls,
                Interval = ConfidenceIntervals.Wilson(successes, runtime.Calls),
                N = runtime.Calls,
                Origin = EvidenceOrigin.RuntimeMetrics,
                Source = since,
            };
        }
        else if (fallbackRun?.Summary is { Total: > 0 } summary && summary.Total <= int.MaxValue)
        {
            success = new Estimate
            {
                Value = summary.SuccessRate,
                Interval = ConfidenceIntervals.Wilson((int)summary.Succeeded, (int)summary.Total),
                N = summary.Total,
                Origin = EvidenceOrigin.EvaluationRun,
                Source = $"run {fallbackRun.Id}",
            };
            notes[SelectionCriterion.Reliability] = Thin(runtime.Calls, "success", min, $"using run {fallbackRun.Id}");
        }
        else
        {
            notes[SelectionCriterion.Reliability] = Thin(runtime.Calls, "success", min, "and no evaluation run");
        }

        Estimate? costPer1k = null;
        Estimate? costPerMillion = null;
        if (runtime.Costs.Count >= min)
        {
            var costs = runtime.Costs.ToArray();
            var mean = Descriptive.Mean(costs);
            Interval? interval = null;
            if (costs.Length >= 2)
            {
                var normal = ConfidenceIntervals.Normal(mean, StandardErrors.Mean(costs));
                interval = new Interval(Math.Max(0, normal.Lower) * 1000, normal.Upper * 1000);
            }

            costPer1k = new Estimate
            {
                Value = mean * 1000,
                Interval = interval,
                N = costs.Length,
                Origin = EvidenceOrigin.RuntimeMetrics,
                Source = since,
            };
            if (runtime.Tokens > 0)
            {
                costPerMillion = new Estimate { Value = runtime.CostSum / runtime.Tokens * 1_000_000, N = costs.Length, Origin = EvidenceOrigin.RuntimeMetrics, Source = since };
            }
        }
        else if (fallbackRun?.Summary is { } runSummary && runSummary.CostPerRequest is { } perRequest)
        {
            costPer1k = new Estimate
            {
                Value = (double)perRequest * 1000,
                N = runSummary.Succeeded - runSummary.UnknownCostCount,
                Origin = EvidenceOrigin.EvaluationRun,
                Source = $"run {fallbackRun.Id}",
            };
            if (runSummary.TotalCost is { } total && (runSummary.InputTokens ?? 0) + (runSummary.OutputTokens ?? 0) is > 0 and var tokens)
            {
                costPerMillion = new Estimate { Value = (double)total / tokens * 1_000_000, N = costPer1k.N, Origin = EvidenceOrigin.EvaluationRun, Source = $"run {fallbackRun.Id}" };
            }

            notes[SelectionCriterion.Cost] = Thin(runtime.Costs.Count, "cost", min, $"using run {fallbackRun.Id}");
        }
        else
        {
            notes[SelectionCriterion.Cost] = Thin(runtime.Costs.Count, "cost", min, "and no evaluation run cost");
        }

        return new ModelEvidence
        {
            ModelId = model.Id,
            Quality = qualityEstimate,
            LatencyP95Milliseconds = latency,
            SuccessRate = success,
            CostPer1kRequests = costPer1k,
            CostPerMillionTokens = costPerMillion,
            RunId = qualityRun?.Id,
            Notes = notes,
            ChangesAt = runtime.ChangesAt,
        };
    }

    private static string Thin(int count, string what, int min, string then) =>
        count == 0
            ? $"no runtime {what} samples in the window, {then}"
            : string.Create(CultureInfo.InvariantCulture, $"only {count} runtime {what} samples in the window (minimum {min}), {then}");

    private async ValueTask<RuntimeSamples> ReadRuntimeAsync(string modelId, SelectionEvidenceQuery query, CancellationToken cancellationToken)
    {
        // Read past the window's end too: a point stamped ahead (another process's clock) enters the window as time passes,
        // and the decision must then be made again although nothing was written.
        var samples = new RuntimeSamples();
        var window = query.To - query.From;
        await foreach (var point in _storage.Metrics.QueryAsync(modelId, null, query.From, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (!double.IsFinite(point.Value) || !IsRuntime(point.Name))
            {
                continue;
            }

            if (point.Timestamp >= query.To)
            {
                samples.Changes(point.Timestamp);
                continue;
            }

            // The point is in the window while From <= Timestamp, that is until Timestamp + window.
            samples.Changes(point.Timestamp + window);
            switch (point.Name)
            {
                case MetricNames.LatencyMs:
                    samples.Latencies.Add(point.Value);
                    break;
                case MetricNames.Requests:
                    samples.Calls += (int)point.Value;
                    break;
                case MetricNames.Errors:
                    samples.Errors += (int)point.Value;
                    break;
                case MetricNames.Cost:
                    samples.Costs.Add(point.Value);
                    samples.CostSum += point.Value;
                    break;
                default:
                    samples.Tokens += point.Value;
                    break;
            }
        }

        return samples;
    }

    private static bool IsRuntime(string name) =>
        name is MetricNames.LatencyMs or MetricNames.Requests or MetricNames.Errors or MetricNames.Cost or MetricNames.InputTokens or MetricNames.OutputTokens;

    private sealed class RuntimeSamples
    {
        public List<double> Latencies { get; } = [];

        public List<double> Costs { get; } = [];

        public int Calls { get; set; }

        public int Errors { get; set; }

        public double CostSum { get; set; }

        public double Tokens { get; set; }

        /// <summary>Gets the earliest time at which a sample leaves or enters the window.</summary>
        public DateTimeOffset? ChangesAt { get; private set; }

        public void Changes(DateTimeOffset at)
        {
            if (ChangesAt is not { } earliest || at < earliest)
            {
                ChangesAt = at;
            }
        }
    }
}
