using EvalKit.Metrics;

namespace EvalKit.Tests.Metrics;

public sealed class AnomalyDetectorTests
{
    private const double Mean = 200;
    private const double Sd = 10;

    [Fact]
    public void Detect_CleanSeries_RaisesNoAlarm_AndEstimatesCenterAndScale()
    {
        var series = MetricTestData.Clean(seed: 11);

        var report = AnomalyDetector.Detect(series);

        report.Anomalies.Should().BeEmpty();
        report.Observations.Should().Be(168);
        report.Methods.Select(m => m.Method).Should().Equal(AnomalyMethod.RobustZScore, AnomalyMethod.Ewma, AnomalyMethod.Cusum);
        report.Methods.Should().AllSatisfy(m =>
        {
            m.SkippedReason.Should().BeNull();
            m.Center.Should().BeApproximately(Mean, 4);
            m.Scale.Should().BeInRange(0.75 * Sd, 1.25 * Sd);
        });
    }

    [Fact]
    public void Detect_InjectedSpikeAndDip_RobustZScoreFindsExactlyThem()
    {
        var series = MetricTestData.Clean(seed: 12);
        series[100] = series[100] with { Value = Mean + (8 * Sd) };
        series[40] = series[40] with { Value = Mean - (7 * Sd) };

        var report = AnomalyDetector.Detect(series, methods: [AnomalyMethod.RobustZScore]);

        report.Anomalies.Should().HaveCount(2);
        var dip = report.Anomalies[0];
        var spike = report.Anomalies[1];
        dip.Timestamp.Should().Be(series[40].Timestamp);
        dip.Direction.Should().Be(AnomalyDirection.Below);
        spike.Should().Match<MetricAnomaly>(a => a.Timestamp == series[100].Timestamp && a.DetectedAt == a.Timestamp
            && a.Method == AnomalyMethod.RobustZScore && a.Direction == AnomalyDirection.Above && a.Value == Mean + (8 * Sd)
            && a.Score > 3.5 && a.Threshold == 3.5);
        spike.Expected.Contains(Mean).Should().BeTrue();
        spike.Expected.Contains(spike.Value).Should().BeFalse();
        spike.Expected.Width.Should().BeApproximately(2 * 3.5 * report.Methods[0].Scale!.Value, 1e-9);
        spike.Description.Should().Contain("above the expected range");
    }

    [Fact]
    public void Detect_SingleSpike_IsNoShiftForEwmaOrCusum_UnlessClippingIsOff()
    {
        var series = MetricTestData.Clean(seed: 18);
        series[60] = series[60] with { Value = Mean + (15 * Sd) };

        var clipped = AnomalyDetector.Detect(series);
        var unclipped = AnomalyDetector.Detect(series, new AnomalyDetectionOptions { ClipAt = double.PositiveInfinity }, [AnomalyMethod.Ewma, AnomalyMethod.Cusum]);

        clipped.Anomalies.Should().ContainSingle().Which.Method.Should().Be(AnomalyMethod.RobustZScore);
        unclipped.Anomalies.Should().Contain(a => a.Method == AnomalyMethod.Cusum && a.Timestamp == series[60].Timestamp);
        unclipped.Anomalies.Should().Contain(a => a.Method == AnomalyMethod.Ewma && a.Timestamp == series[60].Timestamp);
    }

    [Fact]
    public void Detect_LevelShift_CusumReportsOneChangePointAtTheShift_AndEwmaSignalsOnlyAfterIt()
    {
        var series = MetricTestData.Clean(seed: 13);
        for (var i = 120; i < series.Count; i++)
        {
            series[i] = series[i] with { Value = series[i].Value + (2 * Sd) };
        }

        var report = AnomalyDetector.Detect(series, methods: [AnomalyMethod.Ewma, AnomalyMethod.Cusum]);

        var change = report.Anomalies.Where(a => a.Method == AnomalyMethod.Cusum).Should().ContainSingle().Subject;
        var start = series.FindIndex(v => v.Timestamp == change.Timestamp);
        start.Should().BeInRange(116, 124, "the estimated start of the shift is where the sum left zero");
        var detected = series.FindIndex(v => v.Timestamp == change.DetectedAt);
        detected.Should().BeInRange(120, 132, "a 2σ shift crosses h = 8 within a few observations");
        change.Direction.Should().Be(AnomalyDirection.Above);
        change.Value.Should().BeApproximately(Mean + (2 * Sd), 1.2 * Sd, "the value is the new level");
        change.Expected.Should().Be(new EvalKit.Statistics.Interval(change.Baseline - (0.5 * report.Methods[1].Scale!.Value), change.Baseline + (0.5 * report.Methods[1].Scale!.Value)));

        var ewma = report.Anomalies.Where(a => a.Method == AnomalyMethod.Ewma).ToList();
        ewma.Should().NotBeEmpty();
        ewma.Should().AllSatisfy(a =>
        {
            series.FindIndex(v => v.Timestamp == a.Timestamp).Should().BeGreaterThanOrEqualTo(120);
            a.Direction.Should().Be(AnomalyDirection.Above);
            a.Expected.Contains(a.Smoothed!.Value).Should().BeFalse();
        });
        series.FindIndex(v => v.Timestamp == ewma[0].Timestamp).Should().BeLessThan(135);
    }

    [Fact]
    public void Detect_ShiftUpThatEnds_ThenAShiftDown_CusumReportsEachOnce()
    {
        // Baseline (first half) clean; +3σ over [130, 170), back to normal, then −3σ from 200 on.
        var series = MetricTestData.Clean(seed: 14, count: 240);
        for (var i = 0; i < series.Count; i++)
        {
            var shift = i is >= 130 and < 170 ? 3 * Sd : i >= 200 ? -3 * Sd : 0;
            series[i] = series[i] with { Value = series[i].Value + shift };
        }

        var report = AnomalyDetector.Detect(series, methods: [AnomalyMethod.Cusum]);

        report.Anomalies.Should().HaveCount(2);
        report.Anomalies.Select(a => a.Direction).Should().Equal(AnomalyDirection.Above, AnomalyDirection.Below);
        series.FindIndex(v => v.Timestamp == report.Anomalies[0].Timestamp).Should().BeInRange(125, 135);
        series.FindIndex(v => v.Timestamp == report.Anomalies[1].Timestamp).Should().BeInRange(195, 205);
    }

    [Fact]
    public void Detect_CountsThatAreMostlyZero_RobustZFallsBackToTheMeanDeviation()
    {
        // Errors per hour: the MAD is 0, so the scale falls back to 1.2533 · mean |x − median|.
        var values = Enumerable.Repeat(0.0, 60).ToArray();
        values[7] = 1;
        values[33] = 1;
        values[50] = 9;
        var series = values.Select((v, i) => new TimeSeriesValue(MetricTestData.Start.AddHours(i), v)).ToList();

        var report = AnomalyDetector.Detect(series, methods: [AnomalyMethod.RobustZScore]);

        report.Methods[0].Scale.Should().BeApproximately(1.2533141373155003 * 11 / 60, 1e-12);
        report.Anomalies.Select(a => a.Timestamp).Should().Equal(series[7].Timestamp, series[33].Timestamp, series[50].Timestamp);
    }

    [Fact]
    public void Detect_ConstantSeries_HasNoAnomaly_AndScaleZero()
    {
        var series = Enumerable.Range(0, 50).Select(i => new TimeSeriesValue(MetricTestData.Start.AddMinutes(i), 5)).ToList();

        var report = AnomalyDetector.Detect(series);

        report.Anomalies.Should().BeEmpty();
        report.Methods.Should().AllSatisfy(m => (m.Center, m.Scale, m.SkippedReason).Should().Be((5.0, 0.0, null)));
    }

    [Fact]
    public void Detect_FewerObservationsThanTheMinimum_SkipsEachMethodWithAReason()
    {
        var series = MetricTestData.Clean(seed: 15, count: 9);
        series[4] = series[4] with { Value = 10_000 };

        var report = AnomalyDetector.Detect(series);

        report.Anomalies.Should().BeEmpty();
        report.Methods.Should().HaveCount(3).And.AllSatisfy(m => m.SkippedReason.Should().Contain("9 observation(s)").And.Contain("at least 10"));
        AnomalyDetector.Detect(series, new AnomalyDetectionOptions { MinimumObservations = 5 }, [AnomalyMethod.RobustZScore]).Anomalies.Should().ContainSingle();
    }

    [Fact]
    public void Detect_SameSeriesTwice_GivesTheSameReport()
    {
        var series = MetricTestData.Clean(seed: 16);
        series[10] = series[10] with { Value = 900 };

        var first = AnomalyDetector.Detect(series);
        var second = AnomalyDetector.Detect([.. series]);

        second.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());
        first.Anomalies.Should().NotBeEmpty();
    }

    [Fact]
    public void Detect_DefaultThresholds_KeepFalseAlarmsRare_AndFindShiftsOfTwoSigma()
    {
        // 300 seeded clean weeks of hourly observations, then the same weeks with a 2σ shift in their last 48 hours.
        var falseAlarms = new Dictionary<AnomalyMethod, int> { [AnomalyMethod.RobustZScore] = 0, [AnomalyMethod.Ewma] = 0, [AnomalyMethod.Cusum] = 0 };
        int found = 0, weeks = 300;
        for (var seed = 0; seed < weeks; seed++)
        {
            var series = MetricTestData.Clean(seed: 1_000 + seed);
            foreach (var method in AnomalyDetector.Detect(series).Anomalies.Select(a => a.Method).Distinct())
            {
                falseAlarms[method]++;
            }

            var shifted = series.Select((v, i) => i >= 120 ? v with { Value = v.Value + (2 * Sd) } : v).ToList();
            if (AnomalyDetector.Detect(shifted, methods: [AnomalyMethod.Cusum]).Anomalies.Any(a => a.Timestamp >= series[110].Timestamp))
            {
                found++;
            }
        }

        ((double)falseAlarms[AnomalyMethod.RobustZScore] / weeks).Should().BeLessThan(0.15);
        ((double)falseAlarms[AnomalyMethod.Ewma] / weeks).Should().BeLessThan(0.15);
        ((double)falseAlarms[AnomalyMethod.Cusum] / weeks).Should().BeLessThan(0.08);
        ((double)found / weeks).Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void Detect_InvalidInput_ThrowsArgumentExceptionNamingTheParameter()
    {
        var series = MetricTestData.Clean(seed: 17, count: 20);
        var reversed = series.AsEnumerable().Reverse().ToList();
        var withNaN = series.Select((v, i) => i == 3 ? v with { Value = double.NaN } : v).ToList();

        FluentActions.Invoking(() => AnomalyDetector.Detect(reversed)).Should().Throw<ArgumentException>().WithMessage("*time order*").Which.ParamName.Should().Be("series");
        FluentActions.Invoking(() => AnomalyDetector.Detect(withNaN)).Should().Throw<ArgumentException>().WithMessage("*Observation 3*").Which.ParamName.Should().Be("series");
        FluentActions.Invoking(() => AnomalyDetector.Detect(series, new AnomalyDetectionOptions { EwmaLambda = 1.5, CusumThreshold = 0 }))
            .Should().Throw<ArgumentException>().WithMessage("*EwmaLambda*CusumThreshold*").Which.ParamName.Should().Be("options");
        FluentActions.Invoking(() => AnomalyDetector.Detect(series, methods: [AnomalyMethod.Ewma, AnomalyMethod.Ewma]))
            .Should().Throw<ArgumentException>().WithMessage("*twice*").Which.ParamName.Should().Be("methods");
        FluentActions.Invoking(() => AnomalyDetector.Detect(series, methods: [(AnomalyMethod)9])).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("methods");
        FluentActions.Invoking(() => AnomalyDetector.Detect(null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("series");
    }
}
