using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Statistics;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Metrics;

public sealed class MetricsServiceTests
{
    private static readonly DateTimeOffset Start = MetricTestData.Start;
    private readonly InMemoryEvalKitStorage _storage = new();
    private readonly ManualClock _clock = new(Start.AddDays(7));
    private readonly MetricsService _service;

    public MetricsServiceTests() => _service = new MetricsService(_storage, _clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<MetricPoint>> AllAsync(string model) =>
        await _service.QueryAsync(new MetricQuery { ModelId = model, From = DateTimeOffset.MinValue, To = DateTimeOffset.MaxValue }, Ct).ToListAsync(Ct);

    private async Task RecordLatenciesAsync(string model, IEnumerable<double> values, DateTimeOffset from)
    {
        var points = values.Select((v, i) => new MetricPoint { ModelId = model, Name = MetricNames.LatencyMs, Value = v, Timestamp = from.AddSeconds(i) }).ToList();
        await _service.RecordAsync(points, Ct);
    }

    [Fact]
    public async Task RecordCallAsync_WritesOnePointPerKnownMeasure_AtTheClocksTime_WithTheTags()
    {
        var tags = new Dictionary<string, string> { ["endpoint"] = "/chat" };

        await _service.RecordCallAsync(
            new ModelCallObservation
            {
                ModelId = "m",
                Latency = TimeSpan.FromMilliseconds(812.5),
                TimeToFirstToken = TimeSpan.FromMilliseconds(90),
                InputTokens = 1_200,
                OutputTokens = 80,
                Cost = 0.0042m,
                Retries = 2,
                Failed = true,
                Tags = tags,
            },
            Ct);
        await _service.RecordCallAsync(new ModelCallObservation { ModelId = "m", Timestamp = Start, Latency = TimeSpan.FromMilliseconds(10) }, Ct);

        var points = await AllAsync("m");
        points.Where(p => p.Timestamp == _clock.Now).ToDictionary(p => p.Name, p => p.Value).Should().Equal(new Dictionary<string, double>
        {
            [MetricNames.Requests] = 1,
            [MetricNames.Errors] = 1,
            [MetricNames.Retries] = 2,
            [MetricNames.LatencyMs] = 812.5,
            [MetricNames.TimeToFirstTokenMs] = 90,
            [MetricNames.InputTokens] = 1_200,
            [MetricNames.OutputTokens] = 80,
            [MetricNames.Cost] = 0.0042,
        });
        points.Where(p => p.Timestamp == _clock.Now).Should().AllSatisfy(p => p.Tags.Should().Equal(tags));
        points.Where(p => p.Timestamp == Start).Select(p => p.Name).Should().Equal(MetricNames.Requests, MetricNames.LatencyMs);
    }

    [Fact]
    public async Task RecordAsync_InvalidInput_ThrowsArgumentExceptionNamingTheParameter()
    {
        var nan = async () => await _service.RecordAsync("m", "x", double.NaN, cancellationToken: Ct);
        var noModel = async () => await _service.RecordAsync(" ", "x", 1, cancellationToken: Ct);
        var negative = async () => await _service.RecordCallAsync(new ModelCallObservation { ModelId = "m", Latency = TimeSpan.FromSeconds(-1), Retries = -1 }, Ct);
        var badPoint = async () => await _service.RecordAsync([new MetricPoint { ModelId = "m", Name = "", Value = 1, Timestamp = Start }], Ct);

        (await nan.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("value");
        (await noModel.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("modelId");
        (await negative.Should().ThrowAsync<ArgumentException>().WithMessage("*latency is negative*retry count is negative*")).Which.ParamName.Should().Be("call");
        (await badPoint.Should().ThrowAsync<ArgumentException>().WithMessage("*no name*")).Which.ParamName.Should().Be("points");
        (await AllAsync("m")).Should().BeEmpty();
    }

    [Fact]
    public async Task AggregateAsync_HourlyPercentilesOfRecordedLatencies_MatchDescriptivePercentile()
    {
        var random = new Random(5);
        var first = Enumerable.Range(0, 500).Select(_ => 100 + (900 * random.NextDouble() * random.NextDouble())).ToArray();
        var second = Enumerable.Range(0, 300).Select(_ => 100 + (400 * random.NextDouble())).ToArray();
        await RecordLatenciesAsync("m", first, Start);
        await RecordLatenciesAsync("m", second, Start.AddHours(1));

        var buckets = await _service.AggregateAsync(new MetricAggregateQuery { ModelId = "m", Name = MetricNames.LatencyMs, From = Start, To = Start.AddDays(1) }, Ct);

        buckets.Select(b => (b.Start, b.Count)).Should().Equal((Start, 500L), (Start.AddHours(1), 300L));
        buckets[0].P95.Should().Be(Descriptive.Percentile(first, 95));
        buckets[1].P99.Should().Be(Descriptive.Percentile(second, 99));
        buckets[1].P50.Should().Be(Descriptive.Percentile(second, 50));
    }

    [Fact]
    public async Task AggregateRateAsync_ErrorRate_IsTheSumOfErrorsOverTheSumOfRequestsPerBucket()
    {
        for (var i = 0; i < 10; i++)
        {
            await _service.RecordCallAsync(new ModelCallObservation { ModelId = "m", Timestamp = Start.AddMinutes(i * 5), Failed = i % 5 == 0, Retries = i == 3 ? 4 : 0 }, Ct);
        }

        for (var i = 0; i < 4; i++)
        {
            await _service.RecordCallAsync(new ModelCallObservation { ModelId = "m", Timestamp = Start.AddHours(2).AddMinutes(i) }, Ct);
        }

        var query = new MetricRateQuery { ModelId = "m", Rate = MetricRate.ErrorRate, From = Start, To = Start.AddDays(1) };

        var errors = await _service.AggregateRateAsync(query, Ct);
        var retries = await _service.AggregateRateAsync(query with { Rate = MetricRate.RetriesPerRequest }, Ct);
        var throughput = await _service.AggregateRateAsync(query with { Rate = MetricRate.RequestsPerSecond, From = Start.AddMinutes(30) }, Ct);

        errors.Select(b => (b.Start, b.Numerator, b.Denominator, b.Rate)).Should().Equal(
            (Start, 2.0, 10.0, (double?)0.2),
            (Start.AddHours(2), 0.0, 4.0, (double?)0.0));
        retries.Select(b => b.Rate).Should().Equal(0.4, 0.0);
        throughput.Select(b => (b.Numerator, b.Denominator)).Should().Equal((4.0, 1800.0), (4.0, 3600.0));
        throughput[0].Rate.Should().BeApproximately(4.0 / 1800, 1e-15);
    }

    [Fact]
    public async Task AggregateRateAsync_BucketWithoutDenominator_HasNoRate()
    {
        await _service.RecordAsync([new MetricPoint { ModelId = "m", Name = MetricNames.Errors, Value = 1, Timestamp = Start }], Ct);

        var buckets = await _service.AggregateRateAsync(new MetricRateQuery { ModelId = "m", Rate = MetricRate.ErrorRate, From = Start, To = Start.AddHours(1) }, Ct);

        buckets.Should().ContainSingle().Which.Rate.Should().BeNull();
    }

    [Fact]
    public async Task CompareAsync_ModelBSlower_SaysSoWithWelchAndMannWhitney()
    {
        var random = new Random(77);
        await RecordLatenciesAsync("a", Enumerable.Range(0, 400).Select(_ => 500 + (50 * MetricTestData.Normal(random))), Start);
        await RecordLatenciesAsync("b", Enumerable.Range(0, 400).Select(_ => 530 + (50 * MetricTestData.Normal(random))), Start);
        var request = new MetricComparisonRequest { ModelIds = ["a", "b"], Name = MetricNames.LatencyMs, From = Start, To = Start.AddDays(7) };

        var welch = await _service.CompareAsync(request, Ct);
        var ranks = await _service.CompareAsync(request with { Test = MetricComparisonTest.MannWhitneyU }, Ct);

        var pair = welch.Pairs.Should().ContainSingle().Subject;
        pair.Outcome.Should().Be(MetricComparisonOutcome.BHigher);
        pair.MeanDifference.Should().BeNegative();
        pair.ConfidenceInterval!.Value.Upper.Should().BeNegative();
        pair.ConfidenceInterval!.Value.Contains(pair.MeanDifference!.Value).Should().BeTrue();
        pair.PValue.Should().BeLessThan(1e-6).And.Be(pair.AdjustedPValue!.Value, "one pair: Holm leaves it unchanged");
        pair.EffectSizeName.Should().Be("Cohen's d");
        pair.EffectSize.Should().BeInRange(-0.9, -0.3);
        pair.Verdict.Should().StartWith("'b' has a higher latency_ms than 'a'");
        welch.Models.Select(m => (m.ModelId, m.Count)).Should().Equal(("a", 400), ("b", 400));

        var rankPair = ranks.Pairs.Single();
        rankPair.Outcome.Should().Be(MetricComparisonOutcome.BHigher);
        rankPair.EffectSizeName.Should().Be("probability of superiority");
        rankPair.EffectSize.Should().BeLessThan(0.5);
        rankPair.Verdict.Should().Contain("Mann-Whitney U");
    }

    [Fact]
    public async Task CompareAsync_SameValuesInAnotherOrder_FindsNoDifference()
    {
        var random = new Random(78);
        var values = Enumerable.Range(0, 200).Select(_ => 300 + (40 * MetricTestData.Normal(random))).ToArray();
        await RecordLatenciesAsync("a", values, Start);
        await RecordLatenciesAsync("b", values.Reverse(), Start.AddHours(1));

        var comparison = await _service.CompareAsync(new MetricComparisonRequest { ModelIds = ["a", "b"], Name = MetricNames.LatencyMs, From = Start, To = Start.AddDays(1) }, Ct);

        var pair = comparison.Pairs.Single();
        pair.Outcome.Should().Be(MetricComparisonOutcome.NoSignificantDifference);
        pair.PValue.Should().BeApproximately(1, 1e-9);
        pair.Verdict.Should().StartWith("No significant difference in latency_ms between 'a' and 'b'");
    }

    [Fact]
    public async Task CompareAsync_ThreeModels_AdjustsEveryPairWithHolm_AndABaselineMakesItModelA()
    {
        var random = new Random(79);
        foreach (var (model, mean) in new[] { ("a", 100.0), ("b", 104.0), ("c", 100.5) })
        {
            await RecordLatenciesAsync(model, Enumerable.Range(0, 150).Select(_ => mean + (10 * MetricTestData.Normal(random))), Start);
        }

        var request = new MetricComparisonRequest { ModelIds = ["a", "b", "c"], Name = MetricNames.LatencyMs, From = Start, To = Start.AddDays(1) };

        var all = await _service.CompareAsync(request, Ct);
        var vsBaseline = await _service.CompareAsync(request with { BaselineModelId = "c" }, Ct);

        all.Pairs.Select(p => (p.ModelA, p.ModelB)).Should().Equal(("a", "b"), ("a", "c"), ("b", "c"));
        all.Pairs.Select(p => p.AdjustedPValue!.Value).Should().Equal(MultipleComparisons.Holm(all.Pairs.Select(p => p.PValue!.Value).ToArray()));
        all.Pairs.Should().AllSatisfy(p => p.AdjustedPValue.Should().BeGreaterThanOrEqualTo(p.PValue!.Value));
        vsBaseline.Pairs.Select(p => (p.ModelA, p.ModelB)).Should().Equal(("c", "a"), ("c", "b"));
        vsBaseline.Pairs.Select(p => p.AdjustedPValue!.Value).Should().Equal(MultipleComparisons.Holm(vsBaseline.Pairs.Select(p => p.PValue!.Value).ToArray()));
    }

    [Fact]
    public async Task CompareAsync_ModelWithOneValue_IsNotTested_AndLeftOutOfTheHolmFamily()
    {
        var random = new Random(80);
        await RecordLatenciesAsync("a", Enumerable.Range(0, 50).Select(_ => 100 + MetricTestData.Normal(random)), Start);
        await RecordLatenciesAsync("b", Enumerable.Range(0, 50).Select(_ => 100.3 + MetricTestData.Normal(random)), Start);
        await RecordLatenciesAsync("lonely", [120], Start);

        var comparison = await _service.CompareAsync(new MetricComparisonRequest { ModelIds = ["a", "b", "lonely"], Name = MetricNames.LatencyMs, From = Start, To = Start.AddDays(1) }, Ct);

        comparison.Pairs[0].AdjustedPValue.Should().Be(comparison.Pairs[0].PValue, "the only tested pair is a family of one");
        comparison.Pairs.Skip(1).Should().AllSatisfy(p =>
        {
            p.Outcome.Should().Be(MetricComparisonOutcome.InsufficientData);
            (p.PValue, p.AdjustedPValue, p.Statistic).Should().Be((null, null, null));
            p.Verdict.Should().Contain("'lonely' has 1 value(s)");
        });
        comparison.Models[2].Should().Match<MetricSampleSummary>(m => m.Count == 1 && m.Mean == 120 && m.StandardDeviation == null && m.P99 == 120);
    }

    [Fact]
    public async Task CompareAsync_ConstantSamples_DifferWithCertaintyOrNotAtAll()
    {
        await RecordLatenciesAsync("a", [5, 5, 5], Start);
        await RecordLatenciesAsync("b", [7, 7, 7], Start);
        await RecordLatenciesAsync("c", [5, 5], Start);

        var comparison = await _service.CompareAsync(new MetricComparisonRequest { ModelIds = ["a", "b", "c"], Name = MetricNames.LatencyMs, From = Start, To = Start.AddDays(1) }, Ct);

        comparison.Pairs.Select(p => (p.ModelA, p.ModelB, p.Outcome, p.PValue)).Should().Equal(
            ("a", "b", MetricComparisonOutcome.BHigher, (double?)0.0),
            ("a", "c", MetricComparisonOutcome.NoSignificantDifference, (double?)1.0),
            ("b", "c", MetricComparisonOutcome.AHigher, (double?)0.0));
    }

    [Fact]
    public async Task CompareAsync_InvalidRequest_ThrowsArgumentExceptionListingEveryProblem()
    {
        var act = async () => await _service.CompareAsync(
            new MetricComparisonRequest { ModelIds = ["a", "a"], Name = "", From = Start, To = Start.AddDays(-1), Alpha = 1.5, BaselineModelId = "z" }, Ct);

        (await act.Should().ThrowAsync<ArgumentException>()
            .WithMessage("*repeated: 'a'*no metric*ends*Alpha*baseline 'z'*")).Which.ParamName.Should().Be("request");
    }

    [Fact]
    public async Task DetectAnomaliesAsync_HourlyP95_FindsTheHourWithALatencyTail()
    {
        var random = new Random(81);
        var points = new List<MetricPoint>();
        for (var hour = 0; hour < 168; hour++)
        {
            for (var i = 0; i < 40; i++)
            {
                // Hour 100 has a tail: four calls in forty take ten times longer, which moves p95 but barely the median.
                var value = hour == 100 && i < 4 ? 2_000 + (50 * MetricTestData.Normal(random)) : 200 + (20 * MetricTestData.Normal(random));
                points.Add(new MetricPoint { ModelId = "m", Name = MetricNames.LatencyMs, Value = value, Timestamp = Start.AddHours(hour).AddSeconds(i * 60) });
            }
        }

        await _service.RecordAsync(points, Ct);
        var request = new AnomalyDetectionRequest
        {
            ModelId = "m",
            Name = MetricNames.LatencyMs,
            From = Start,
            To = Start.AddDays(7),
            Period = MetricPeriod.Hour,
            Statistic = MetricStatistic.P95,
            Methods = [AnomalyMethod.RobustZScore],
        };

        var p95 = await _service.DetectAnomaliesAsync(request, Ct);
        var median = await _service.DetectAnomaliesAsync(request with { Statistic = MetricStatistic.P50 }, Ct);

        // Hour-to-hour noise of a p95 over 40 calls may cross 3.5 now and then; the tail hour stands far above it.
        p95.Observations.Should().Be(168);
        var strongest = p95.Anomalies.MaxBy(a => Math.Abs(a.Score))!;
        strongest.Should().Match<MetricAnomaly>(a => a.Timestamp == Start.AddHours(100) && a.Direction == AnomalyDirection.Above && a.Score > 50);
        p95.Anomalies.Where(a => a != strongest).Should().AllSatisfy(a => Math.Abs(a.Score).Should().BeLessThan(5));
        median.Anomalies.Should().NotContain(a => a.Timestamp == Start.AddHours(100), "four slow calls in forty barely move the median");
    }

    [Fact]
    public async Task DetectAnomaliesAsync_CountPerHour_CountsEmptyHoursAsZero_AndFindsTheOutage()
    {
        var random = new Random(82);
        for (var hour = 0; hour < 72; hour++)
        {
            if (hour is 40 or 41)
            {
                continue;   // an outage: no traffic at all
            }

            var calls = 50 + random.Next(-5, 6);
            for (var i = 0; i < calls; i++)
            {
                await _service.RecordCallAsync(new ModelCallObservation { ModelId = "m", Timestamp = Start.AddHours(hour).AddSeconds(i * 30) }, Ct);
            }
        }

        var report = await _service.DetectAnomaliesAsync(
            new AnomalyDetectionRequest { ModelId = "m", Name = MetricNames.Requests, From = Start, To = Start.AddHours(72), Period = MetricPeriod.Hour, Statistic = MetricStatistic.Count },
            Ct);

        report.Observations.Should().Be(72);
        report.Anomalies.Where(a => a.Method == AnomalyMethod.RobustZScore).Select(a => (a.Timestamp, a.Value, a.Direction))
            .Should().Equal((Start.AddHours(40), 0.0, AnomalyDirection.Below), (Start.AddHours(41), 0.0, AnomalyDirection.Below));
    }

    [Fact]
    public async Task DetectAnomaliesAsync_RawPoints_UsesTheRequestsOptions_OrTheServicesDefaults()
    {
        var series = MetricTestData.Clean(seed: 83, count: 30);
        series[20] = series[20] with { Value = 260 };
        await _service.RecordAsync([.. series.Select(v => new MetricPoint { ModelId = "m", Name = "score", Value = v.Value, Timestamp = v.Timestamp })], Ct);
        var request = new AnomalyDetectionRequest { ModelId = "m", Name = "score", From = Start, To = Start.AddDays(2), Methods = [AnomalyMethod.RobustZScore] };

        var byDefault = await _service.DetectAnomaliesAsync(request, Ct);
        var strict = await _service.DetectAnomaliesAsync(request with { Options = new AnomalyDetectionOptions { RobustZThreshold = 100 } }, Ct);
        var invalid = async () => await _service.DetectAnomaliesAsync(request with { Options = new AnomalyDetectionOptions { BaselineFraction = 0 } }, Ct);

        byDefault.Anomalies.Should().ContainSingle().Which.Timestamp.Should().Be(series[20].Timestamp);
        strict.Anomalies.Should().BeEmpty();
        (await invalid.Should().ThrowAsync<ArgumentException>().WithMessage("*BaselineFraction*")).Which.ParamName.Should().Be("request");
    }

    [Fact]
    public async Task DeleteOlderThanAsync_CountsTheAgeBackFromTheClock_AndApplyRetentionRunsEveryRule()
    {
        var now = _clock.Now;
        await _service.RecordAsync(
        [
            new MetricPoint { ModelId = "a", Name = "x", Value = 1, Timestamp = now.AddDays(-40) },
            new MetricPoint { ModelId = "a", Name = "x", Value = 2, Timestamp = now.AddDays(-10) },
            new MetricPoint { ModelId = "a", Name = "y", Value = 3, Timestamp = now.AddDays(-10) },
            new MetricPoint { ModelId = "b", Name = "x", Value = 4, Timestamp = now.AddDays(-10) },
            new MetricPoint { ModelId = "b", Name = "x", Value = 5, Timestamp = now.AddDays(-1) },
        ], Ct);
        var options = new MetricsOptions();
        options.Retention.Add(new MetricRetentionRule { MaxAge = TimeSpan.FromDays(30) });
        options.Retention.Add(new MetricRetentionRule { MaxAge = TimeSpan.FromDays(7), ModelId = "b" });
        var service = new MetricsService(_storage, _clock, Options.Create(options));

        (await _service.DeleteOlderThanAsync(new MetricRetentionRule { MaxAge = TimeSpan.FromDays(5), ModelId = "a", Name = "y" }, Ct)).Should().Be(1);
        (await service.ApplyRetentionAsync(Ct)).Should().Be(2);
        (await _service.ApplyRetentionAsync(Ct)).Should().Be(0, "the default options have no rule");

        (await AllAsync("a")).Select(p => p.Value).Should().Equal(2);
        (await AllAsync("b")).Select(p => p.Value).Should().Equal(5);
        var invalid = async () => await _service.DeleteOlderThanAsync(new MetricRetentionRule { MaxAge = TimeSpan.Zero }, Ct);
        (await invalid.Should().ThrowAsync<ArgumentException>().WithMessage("*MaxAge must be positive*")).Which.ParamName.Should().Be("rule");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentExceptionNamingTheOptions()
    {
        var options = new MetricsOptions { AnomalyDetection = new AnomalyDetectionOptions { EwmaLimit = -1 } };
        options.Retention.Add(new MetricRetentionRule { MaxAge = TimeSpan.FromDays(-1) });

        FluentActions.Invoking(() => new MetricsService(_storage, _clock, Options.Create(options)))
            .Should().Throw<ArgumentException>().WithMessage("*Retention rule 0*MaxAge*EwmaLimit*").Which.ParamName.Should().Be("options");
    }

    [Fact]
    public async Task RecordRunAsync_StoresThePointsOfTheRunsSummary()
    {
        var run = new EvaluationRun
        {
            Id = "run-1",
            ModelId = "m",
            DatasetId = "d@1",
            Options = new EvaluationOptions(),
            Status = RunStatus.Completed,
            CompletedAt = Start,
            Summary = new EvaluationSummary { Metrics = new Dictionary<string, MetricSummary>(), Total = 10, Succeeded = 9, Failed = 1, Retries = 0 },
        };

        var recorded = await _service.RecordRunAsync(run, Ct);

        (await AllAsync("m")).Should().BeEquivalentTo(recorded);
        recorded.Single(p => p.Name == MetricNames.RunErrorRate).Value.Should().Be(0.1);
    }
}
