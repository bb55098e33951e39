using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Security;
using EvalKit.Statistics;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Metrics;

/// <summary>
/// The metrics service over an <see cref="IEvalKitStorage"/>: the store reads, aggregates and deletes (pushed down to SQL by
/// the SQL providers); this class validates requests, turns calls and runs into points, merges rates, runs the statistics
/// and the anomaly detection. Thread-safe. See <see cref="IMetricsService"/> for the semantics.
/// </summary>
public sealed class MetricsService : IMetricsService
{
    private const string CohensD = "Cohen's d";
    private const string ProbabilityOfSuperiority = "probability of superiority";
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly MetricsOptions _options;
    private readonly OperationGuard _guard;
    private readonly Caching.EvalKitCache? _cache;

    /// <summary>Initializes a new instance of the <see cref="MetricsService"/> class.</summary>
    /// <param name="storage">The store (not owned: never disposed by the service).</param>
    /// <param name="timeProvider">The clock: the time of points recorded without one, and "now" for retention.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MetricsService(IEvalKitStorage storage, TimeProvider timeProvider, IOptions<MetricsOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _time = timeProvider;
        _options = options?.Value ?? new MetricsOptions();
        try
        {
            _options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(options), e);
        }

        _guard = new OperationGuard(storage, timeProvider);
    }

    /// <summary>Initializes a new instance of the <see cref="MetricsService"/> class whose records and deletes a guard authorizes and audits.</summary>
    /// <param name="storage">The store (not owned: never disposed by the service).</param>
    /// <param name="timeProvider">The clock: the time of points recorded without one, and "now" for retention.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    /// <param name="guard">Authorizes and audits every record and delete (one entry per call, not per point).</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/>, <paramref name="timeProvider"/> or <paramref name="guard"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MetricsService(IEvalKitStorage storage, TimeProvider timeProvider, IOptions<MetricsOptions>? options, OperationGuard guard)
        : this(storage, timeProvider, options)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="MetricsService"/> class whose records and deletes a guard authorizes and
    /// audits, and whose aggregates, rates, comparisons and anomaly reports go through EvalKit's cache.
    /// </summary>
    /// <param name="storage">The store (not owned: never disposed by the service).</param>
    /// <param name="timeProvider">The clock: the time of points recorded without one, and "now" for retention.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    /// <param name="guard">Authorizes and audits every record and delete (one entry per call, not per point).</param>
    /// <param name="cache">EvalKit's cache.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/>, <paramref name="timeProvider"/>, <paramref name="guard"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MetricsService(IEvalKitStorage storage, TimeProvider timeProvider, IOptions<MetricsOptions>? options, OperationGuard guard, Caching.EvalKitCache cache)
        : this(storage, timeProvider, options, guard)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <inheritdoc/>
    public ValueTask RecordAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
    {
        MetricValidation.Points(points, nameof(points));
        return points.Count == 0 ? ValueTask.CompletedTask : AppendAsync(points, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask RecordAsync(string modelId, string name, double value, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The value {value} of '{name}' is not finite."), nameof(value));
        }

        MetricPoint[] points = [new MetricPoint { ModelId = modelId, Name = name, Value = value, Timestamp = _time.GetUtcNow(), Tags = tags ?? Empty.StringDictionary }];
        return AppendAsync(points, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask RecordCallAsync(ModelCallObservation call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (string.IsNullOrWhiteSpace(call.ModelId))
        {
            throw new ArgumentException("The call names no model id.", nameof(call));
        }

        var problems = new List<string>();
        if (call.Latency < TimeSpan.Zero)
        {
            problems.Add("the latency is negative");
        }

        if (call.TimeToFirstToken < TimeSpan.Zero)
        {
            problems.Add("the time to first token is negative");
        }

        if (call.InputTokens < 0 || call.OutputTokens < 0)
        {
            problems.Add("a token count is negative");
        }

        if (call.Cost < 0)
        {
            problems.Add("the cost is negative");
        }

        if (call.Retries < 0)
        {
            problems.Add("the retry count is negative");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The call of model '{call.ModelId}' is invalid: {string.Join("; ", problems)}.", nameof(call));
        }

        var at = call.Timestamp ?? _time.GetUtcNow();
        var points = new List<MetricPoint>(8);
        void Add(string name, double value) =>
            points.Add(new MetricPoint { ModelId = call.ModelId, Name = name, Value = value, Timestamp = at, Tags = call.Tags });

        Add(MetricNames.Requests, 1);
        if (call.Failed)
        {
            Add(MetricNames.Errors, 1);
        }

        if (call.Retries > 0)
        {
            Add(MetricNames.Retries, call.Retries);
        }

        if (call.Latency is { } latency)
        {
            Add(MetricNames.LatencyMs, latency.TotalMilliseconds);
        }

        if (call.TimeToFirstToken is { } ttft)
        {
            Add(MetricNames.TimeToFirstTokenMs, ttft.TotalMilliseconds);
        }

        if (call.InputTokens is { } input)
        {
            Add(MetricNames.InputTokens, input);
        }

        if (call.OutputTokens is { } output)
        {
            Add(MetricNames.OutputTokens, output);
        }

        if (call.Cost is { } cost)
        {
            Add(MetricNames.Cost, (double)cost);
        }

        return AppendAsync(points, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<MetricPoint>> RecordRunAsync(EvaluationRun run, CancellationToken cancellationToken = default)
    {
        var points = RunMetrics.FromRun(run);
        if (points.Count > 0)
        {
            await AppendAsync(points, cancellationToken).ConfigureAwait(false);
        }

        return points;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default)
    {
        MetricValidation.Query(query, nameof(query));
        return _storage.Metrics.QueryAsync(query, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<MetricBucket>> AggregateAsync(MetricAggregateQuery query, CancellationToken cancellationToken = default)
    {
        MetricValidation.Query(query, nameof(query));
        return _cache is { CanValidate: true }
            ? _cache.GetOrCreateAsync(
                Caching.CacheKind.Metrics,
                query.ModelId,
                "aggregate;" + Caching.CacheArgs.Of(query),
                [ChangeScope.ModelMetrics(query.ModelId)],
                (Storage: _storage, Query: query),
                static (s, ct) => s.Storage.Metrics.AggregateAsync(s.Query, ct),
                cacheable: null,
                cancellationToken)
            : _storage.Metrics.AggregateAsync(query, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<MetricRateBucket>> AggregateRateAsync(MetricRateQuery query, CancellationToken cancellationToken = default)
    {
        ValidateRate(query);
        return _cache is { CanValidate: true }
            ? _cache.GetOrCreateAsync(
                Caching.CacheKind.Metrics,
                query.ModelId,
                "rate;" + Caching.CacheArgs.Of(query),
                [ChangeScope.ModelMetrics(query.ModelId)],
                (Service: this, Query: query),
                static (s, ct) => s.Service.AggregateRateCoreAsync(s.Query, ct),
                cacheable: null,
                cancellationToken)
            : AggregateRateCoreAsync(query, cancellationToken);
    }

    private static void ValidateRate(MetricRateQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rate = query.Rate ?? throw new ArgumentException("The query names no rate.", nameof(query));
        MetricValidation.Series(query.ModelId, rate.Numerator, nameRequired: true, nameof(query));
        if (rate.Denominator is not null && string.IsNullOrWhiteSpace(rate.Denominator))
        {
            throw new ArgumentException($"The rate '{rate.Name}' has an empty denominator; use null for a rate per second.", nameof(query));
        }

        MetricValidation.Range(query.From, query.To, nameof(query));
        if (!Enum.IsDefined(query.Period))
        {
            throw new ArgumentException($"Unknown metric period '{query.Period}'; use Minute, Hour, Day or Week.", nameof(query));
        }
    }

    private async ValueTask<IReadOnlyList<MetricRateBucket>> AggregateRateCoreAsync(MetricRateQuery query, CancellationToken cancellationToken)
    {
        var rate = query.Rate;
        MetricAggregateQuery Sums(string name) => new()
        {
            ModelId = query.ModelId,
            Name = name,
            From = query.From,
            To = query.To,
            Period = query.Period,
            Tags = query.Tags,
            IncludePercentiles = false,
        };

        var numerators = await _storage.Metrics.AggregateAsync(Sums(rate.Numerator), cancellationToken).ConfigureAwait(false);
        var denominators = rate.Denominator is null
            ? []
            : await _storage.Metrics.AggregateAsync(Sums(rate.Denominator), cancellationToken).ConfigureAwait(false);
        var byStart = new SortedDictionary<DateTimeOffset, (double Numerator, double Denominator, DateTimeOffset End)>();
        foreach (var bucket in numerators)
        {
            byStart[bucket.Start] = (bucket.Sum, 0, bucket.End);
        }

        foreach (var bucket in denominators)
        {
            byStart[bucket.Start] = (byStart.TryGetValue(bucket.Start, out var found) ? found.Numerator : 0, bucket.Sum, bucket.End);
        }

        return [.. byStart.Select(kv => new MetricRateBucket
        {
            Start = kv.Key,
            End = kv.Value.End,
            Numerator = kv.Value.Numerator,
            Denominator = rate.Denominator is null ? SecondsInside(kv.Key, kv.Value.End, query.From, query.To) : kv.Value.Denominator,
        })];
    }

    /// <inheritdoc/>
    public async Task<MetricComparison> CompareAsync(MetricComparisonRequest request, CancellationToken cancellationToken = default)
    {
        ValidateComparison(request);
        if (_cache is { CanValidate: true })
        {
            return await _cache.GetOrCreateAsync(
                Caching.CacheKind.Metrics,
                "comparison",
                Caching.CacheArgs.Of(request),
                [.. request.ModelIds.Distinct(StringComparer.Ordinal).Select(ChangeScope.ModelMetrics)],
                (Service: this, Request: request),
                static (s, ct) => new ValueTask<MetricComparison>(s.Service.CompareCoreAsync(s.Request, ct)),
                cacheable: null,
                cancellationToken).ConfigureAwait(false);
        }

        return await CompareCoreAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MetricComparison> CompareCoreAsync(MetricComparisonRequest request, CancellationToken cancellationToken)
    {
        var samples = new List<double[]>(request.ModelIds.Count);
        foreach (var modelId in request.ModelIds)
        {
            samples.Add(await ValuesAsync(modelId, request.Name, request.From, request.To, request.Tags, cancellationToken).ConfigureAwait(false));
        }

        var summaries = request.ModelIds.Select((id, i) => Summarize(id, samples[i])).ToList();
        var indexPairs = new List<(int A, int B)>();
        if (request.BaselineModelId is { } baseline)
        {
            var b = IndexOf(request.ModelIds, baseline);
            indexPairs.AddRange(Enumerable.Range(0, request.ModelIds.Count).Where(i => i != b).Select(i => (b, i)));
        }
        else
        {
            for (var i = 0; i < request.ModelIds.Count; i++)
            {
                for (var j = i + 1; j < request.ModelIds.Count; j++)
                {
                    indexPairs.Add((i, j));
                }
            }
        }

        var tests = indexPairs.Select(p => Test(request.Test, samples[p.A], samples[p.B], request.Alpha)).ToList();
        var tested = tests.Select((t, i) => (t, i)).Where(x => x.t.PValue is not null).ToList();
        var adjusted = MultipleComparisons.Holm(tested.Select(x => x.t.PValue!.Value).ToArray());
        var adjustedByPair = new double?[tests.Count];
        for (var k = 0; k < tested.Count; k++)
        {
            adjustedByPair[tested[k].i] = adjusted[k];
        }

        var pairs = indexPairs.Select((p, k) => Pair(request, summaries[p.A], summaries[p.B], tests[k], adjustedByPair[k])).ToList();
        return new MetricComparison
        {
            Name = request.Name,
            From = request.From,
            To = request.To,
            Test = request.Test,
            Alpha = request.Alpha,
            Models = summaries,
            Pairs = pairs,
        };
    }

    /// <inheritdoc/>
    public async Task<AnomalyReport> DetectAnomaliesAsync(AnomalyDetectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        MetricValidation.Series(request.ModelId, request.Name, nameRequired: true, nameof(request));
        MetricValidation.Range(request.From, request.To, nameof(request));
        if (request.Period is { } p && !Enum.IsDefined(p))
        {
            throw new ArgumentException($"Unknown metric period '{p}'; use Minute, Hour, Day or Week.", nameof(request));
        }

        if (!Enum.IsDefined(request.Statistic))
        {
            throw new ArgumentException($"Unknown metric statistic '{request.Statistic}'.", nameof(request));
        }

        AnomalyDetector.ValidateMethods(request.Methods, nameof(request));
        var options = request.Options ?? _options.AnomalyDetection;
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(request), e);
        }

        if (_cache is { CanValidate: true })
        {
            // The options the service resolved are part of the key: two hosts with different defaults never share an answer.
            var resolved = request with { Options = options };
            return await _cache.GetOrCreateAsync(
                Caching.CacheKind.Metrics,
                request.ModelId,
                "anomalies;" + Caching.CacheArgs.Of(resolved),
                [ChangeScope.ModelMetrics(request.ModelId)],
                (Service: this, Request: resolved),
                static (s, ct) => new ValueTask<AnomalyReport>(s.Service.DetectCoreAsync(s.Request, ct)),
                cacheable: null,
                cancellationToken).ConfigureAwait(false);
        }

        return await DetectCoreAsync(request with { Options = options }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AnomalyReport> DetectCoreAsync(AnomalyDetectionRequest request, CancellationToken cancellationToken)
    {
        var options = request.Options!;
        var series = request.Period is { } period
            ? await BucketSeriesAsync(request, period, cancellationToken).ConfigureAwait(false)
            : await PointSeriesAsync(request, cancellationToken).ConfigureAwait(false);
        return AnomalyDetector.Detect(series, options, request.Methods);
    }

    /// <inheritdoc/>
    public ValueTask<long> DeleteOlderThanAsync(MetricRetentionRule rule, CancellationToken cancellationToken = default)
    {
        if (MetricsOptions.RetentionProblem(rule) is { } problem)
        {
            throw new ArgumentException($"Invalid retention rule: {problem}", nameof(rule));
        }

        return _guard.RunAsync(EvalKitOperationKinds.MetricsDelete, EvalKitRecordTypes.MetricPoints, rule.ModelId, () => DeleteAsync(rule, _time.GetUtcNow(), cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> ApplyRetentionAsync(CancellationToken cancellationToken = default) =>
        _guard.RunAsync(EvalKitOperationKinds.MetricsDelete, EvalKitRecordTypes.MetricPoints, null, () => ApplyRetentionCoreAsync(cancellationToken), cancellationToken);

    private async ValueTask<long> ApplyRetentionCoreAsync(CancellationToken cancellationToken)
    {
        var rules = _options.Retention.ToArray();
        for (var i = 0; i < rules.Length; i++)
        {
            if (MetricsOptions.RetentionProblem(rules[i]) is { } problem)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"MetricsOptions.Retention rule {i} is invalid: {problem} Fix the options."));
            }
        }

        // One "now" for every rule, so that overlapping rules agree on the cut-off.
        var now = _time.GetUtcNow();
        long deleted = 0;
        foreach (var rule in rules)
        {
            deleted += await DeleteAsync(rule, now, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    // Authorized like every write, naming the model when every point is of one model. A successful append is not
    // audited: runtime points arrive with every routed request, and the audit log records changes, not data ingestion
    // (it would double the writes of live traffic); a denied or failed append is audited.
    private async ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var modelId = points[0].ModelId;
        for (var i = 1; i < points.Count && modelId is not null; i++)
        {
            if (!string.Equals(points[i].ModelId, modelId, StringComparison.Ordinal))
            {
                modelId = null;
            }
        }

        var operation = await _guard.AuthorizeAsync(EvalKitOperationKinds.MetricsRecord, EvalKitRecordTypes.MetricSeries, modelId, cancellationToken).ConfigureAwait(false);
        try
        {
            await _storage.Metrics.AppendAsync(points, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await _guard.AuditAsync(operation, AuditOutcome.Failed, e, count: null).ConfigureAwait(false);
            throw;
        }
    }

    private ValueTask<long> DeleteAsync(MetricRetentionRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = rule.MaxAge >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - rule.MaxAge;
        return _storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = before, ModelId = rule.ModelId, Name = rule.Name }, cancellationToken);
    }

    private static double SecondsInside(DateTimeOffset start, DateTimeOffset end, DateTimeOffset from, DateTimeOffset to)
    {
        var lower = start > from ? start : from;
        var upper = end < to ? end : to;
        return upper > lower ? (upper - lower).TotalSeconds : 0;
    }

    private static void ValidateComparison(MetricComparisonRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        var ids = request.ModelIds;
        if (ids.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("A model id is empty.");
        }

        var repeated = ids.Where(id => !string.IsNullOrWhiteSpace(id)).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0)
        {
            problems.Add($"Model ids must be distinct; repeated: {string.Join(", ", repeated)}.");
        }

        if (ids.Count < 2)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"A comparison needs at least two models; got {ids.Count}."));
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            problems.Add("The request names no metric.");
        }

        if (request.To < request.From)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The range ends ({request.To:O}) before it starts ({request.From:O})."));
        }

        if (!(request.Alpha > 0 && request.Alpha < 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Alpha must lie in (0, 1); got {request.Alpha}."));
        }

        if (!Enum.IsDefined(request.Test))
        {
            problems.Add($"Unknown test '{request.Test}'.");
        }

        if (request.BaselineModelId is { } baseline && IndexOf(ids, baseline) < 0)
        {
            problems.Add($"The baseline '{baseline}' is not among the compared models.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid metric comparison: " + string.Join(" ", problems), nameof(request));
        }
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.Equals(ids[i], id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<double[]> ValuesAsync(
        string modelId, string name, DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var values = new List<double>();
        var query = new MetricQuery { ModelId = modelId, Name = name, From = from, To = to, Tags = tags };
        await foreach (var point in _storage.Metrics.QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            values.Add(point.Value);
        }

        return [.. values];
    }

    private static MetricSampleSummary Summarize(string modelId, double[] values)
    {
        if (values.Length == 0)
        {
            return new MetricSampleSummary { ModelId = modelId, Count = 0 };
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new MetricSampleSummary
        {
            ModelId = modelId,
            Count = values.Length,
            Mean = Descriptive.Mean(values),
            StandardDeviation = values.Length >= 2 ? Descriptive.StandardDeviation(values) : null,
            Min = sorted[0],
            P50 = Descriptive.PercentileOfSorted(sorted, 50),
            P95 = Descriptive.PercentileOfSorted(sorted, 95),
            P99 = Descriptive.PercentileOfSorted(sorted, 99),
            Max = sorted[^1],
        };
    }

    /// <summary>Runs the test on one pair; a null p-value means the pair could not be tested (fewer than two values in a sample).</summary>
    private static PairTest Test(MetricComparisonTest test, double[] a, double[] b, double alpha)
    {
        if (a.Length < 2 || b.Length < 2)
        {
            return new PairTest(null, null, null, null, null, 0);
        }

        var difference = Descriptive.Mean(a) - Descriptive.Mean(b);
        var interval = WelchInterval(a, b, difference, 1 - alpha);
        if (test == MetricComparisonTest.WelchT)
        {
            double? d;
            try
            {
                d = EffectSizes.CohensD(a, b);
            }
            catch (ArgumentException)
            {
                d = null;   // both samples constant
            }

            try
            {
                var result = HypothesisTests.WelchTTest(a, b);
                return new PairTest(result.PValue, result.Statistic, result.DegreesOfFreedom, interval, d, Math.Sign(result.Statistic));
            }
            catch (ArgumentException)
            {
                // Both samples are constant: equal constants do not differ; different ones differ with certainty.
                return difference == 0
                    ? new PairTest(1, 0, null, interval, d, 0)
                    : new PairTest(0, difference > 0 ? double.PositiveInfinity : double.NegativeInfinity, null, interval, d, Math.Sign(difference));
            }
        }

        TestResult u;
        try
        {
            u = HypothesisTests.MannWhitneyU(a, b);
        }
        catch (ArgumentException)
        {
            try
            {
                // The exact distribution was too large for the sizes; the normal approximation is what scipy would use there.
                u = HypothesisTests.MannWhitneyU(a, b, method: MannWhitneyMethod.Asymptotic);
            }
            catch (ArgumentException)
            {
                u = new TestResult((double)a.Length * b.Length / 2, 1);   // every pooled value is equal
            }
        }

        var pairsCount = (double)a.Length * b.Length;
        return new PairTest(u.PValue, u.Statistic, null, interval, u.Statistic / pairsCount, Math.Sign(u.Statistic - (pairsCount / 2)));
    }

    private static Interval WelchInterval(double[] a, double[] b, double difference, double confidence)
    {
        double na = a.Length, nb = b.Length;
        var va = Descriptive.Variance(a) / na;
        var vb = Descriptive.Variance(b) / nb;
        var se = Math.Sqrt(va + vb);
        if (!(se > 0))
        {
            return new Interval(difference, difference);
        }

        var df = (va + vb) * (va + vb) / ((va * va / (na - 1)) + (vb * vb / (nb - 1)));
        return ConfidenceIntervals.StudentT(difference, se, df, confidence);
    }

    private static MetricPairComparison Pair(MetricComparisonRequest request, MetricSampleSummary a, MetricSampleSummary b, PairTest test, double? adjusted)
    {
        var outcome = test.PValue is null
            ? MetricComparisonOutcome.InsufficientData
            : adjusted < request.Alpha && test.Direction != 0
                ? (test.Direction > 0 ? MetricComparisonOutcome.AHigher : MetricComparisonOutcome.BHigher)
                : MetricComparisonOutcome.NoSignificantDifference;
        var comparison = new MetricPairComparison
        {
            ModelA = a.ModelId,
            ModelB = b.ModelId,
            CountA = a.Count,
            CountB = b.Count,
            MeanA = a.Mean,
            MeanB = b.Mean,
            MedianA = a.P50,
            MedianB = b.P50,
            MeanDifference = a.Mean - b.Mean,
            ConfidenceInterval = test.Interval,
            Test = request.Test,
            Statistic = test.Statistic,
            DegreesOfFreedom = test.DegreesOfFreedom,
            PValue = test.PValue,
            AdjustedPValue = adjusted,
            EffectSize = test.EffectSize,
            EffectSizeName = request.Test == MetricComparisonTest.WelchT ? CohensD : ProbabilityOfSuperiority,
            Outcome = outcome,
            Verdict = string.Empty,
        };
        return comparison with { Verdict = Verdict(request, comparison) };
    }

    private static string Verdict(MetricComparisonRequest request, MetricPairComparison c)
    {
        var culture = CultureInfo.InvariantCulture;
        if (c.Outcome == MetricComparisonOutcome.InsufficientData)
        {
            var (model, count) = c.CountA < 2 ? (c.ModelA, c.CountA) : (c.ModelB, c.CountB);
            return string.Create(culture, $"Not tested: '{model}' has {count} value(s) of {request.Name} in the period; each model needs at least two.");
        }

        var testName = request.Test == MetricComparisonTest.WelchT ? "Welch t" : "Mann-Whitney U";
        var center = request.Test == MetricComparisonTest.WelchT
            ? string.Create(culture, $"mean {c.MeanA:G6} ('{c.ModelA}') against {c.MeanB:G6} ('{c.ModelB}')")
            : string.Create(culture, $"median {c.MedianA:G6} ('{c.ModelA}') against {c.MedianB:G6} ('{c.ModelB}'), means {c.MeanA:G6} and {c.MeanB:G6}");
        var interval = c.ConfidenceInterval is { } ci
            ? string.Create(culture, $"; mean difference A − B {c.MeanDifference:+0.####;-0.####;0}, {(1 - request.Alpha) * 100:0.##}% CI [{ci.Lower:G6}, {ci.Upper:G6}]")
            : string.Empty;
        var evidence = string.Create(culture, $"{testName} p = {c.PValue:G3}, Holm-adjusted p = {c.AdjustedPValue:G3}");
        return c.Outcome switch
        {
            MetricComparisonOutcome.AHigher => string.Create(culture,
                $"'{c.ModelA}' has a higher {request.Name} than '{c.ModelB}': {center}{interval}; {evidence} < {request.Alpha:G3}."),
            MetricComparisonOutcome.BHigher => string.Create(culture,
                $"'{c.ModelB}' has a higher {request.Name} than '{c.ModelA}': {center}{interval}; {evidence} < {request.Alpha:G3}."),
            _ => string.Create(culture,
                $"No significant difference in {request.Name} between '{c.ModelA}' and '{c.ModelB}': {center}{interval}; {evidence} >= {request.Alpha:G3}."),
        };
    }

    private async Task<List<TimeSeriesValue>> PointSeriesAsync(AnomalyDetectionRequest request, CancellationToken cancellationToken)
    {
        var series = new List<TimeSeriesValue>();
        var query = new MetricQuery { ModelId = request.ModelId, Name = request.Name, From = request.From, To = request.To, Tags = request.Tags };
        await foreach (var point in _storage.Metrics.QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            series.Add(new TimeSeriesValue(point.Timestamp, point.Value));
        }

        return series;
    }

    private async Task<List<TimeSeriesValue>> BucketSeriesAsync(AnomalyDetectionRequest request, MetricPeriod period, CancellationToken cancellationToken)
    {
        var statistic = request.Statistic;
        var buckets = await _storage.Metrics.AggregateAsync(
            new MetricAggregateQuery
            {
                ModelId = request.ModelId,
                Name = request.Name,
                From = request.From,
                To = request.To,
                Period = period,
                Tags = request.Tags,
                IncludePercentiles = statistic is MetricStatistic.P50 or MetricStatistic.P95 or MetricStatistic.P99,
            },
            cancellationToken).ConfigureAwait(false);
        if (statistic is not (MetricStatistic.Count or MetricStatistic.Sum))
        {
            return [.. buckets.Select(b => new TimeSeriesValue(b.Start, Pick(b, statistic)))];
        }

        // Counts and sums of empty buckets are 0, not missing: a drop to no traffic is an anomaly to find.
        var series = new List<TimeSeriesValue>();
        var length = MetricBuckets.Length(period);
        var next = 0;
        for (var start = MetricBuckets.Start(request.From, period); start < request.To; start += length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = next < buckets.Count && buckets[next].Start == start ? Pick(buckets[next++], statistic) : 0;
            series.Add(new TimeSeriesValue(start, value));
        }

        return series;
    }

    private static double Pick(MetricBucket bucket, MetricStatistic statistic) => statistic switch
    {
        MetricStatistic.Count => bucket.Count,
        MetricStatistic.Sum => bucket.Sum,
        MetricStatistic.Min => bucket.Min,
        MetricStatistic.Max => bucket.Max,
        MetricStatistic.P50 => bucket.P50!.Value,
        MetricStatistic.P95 => bucket.P95!.Value,
        MetricStatistic.P99 => bucket.P99!.Value,
        _ => bucket.Mean,
    };

    private readonly record struct PairTest(double? PValue, double? Statistic, double? DegreesOfFreedom, Interval? Interval, double? EffectSize, int Direction);
}
