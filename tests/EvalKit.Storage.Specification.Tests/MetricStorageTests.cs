using EvalKit.Metrics;
using EvalKit.Statistics;

namespace EvalKit.Storage.Specification.Tests;

public abstract class MetricStorageTests : StorageTestBase
{
    private static readonly DateTimeOffset Hour0 = new(2026, 1, 7, 10, 0, 0, TimeSpan.Zero);   // a Wednesday

    private static MetricPoint P(string model, string name, double value, DateTimeOffset at, IReadOnlyDictionary<string, string>? tags = null) =>
        new() { ModelId = model, Name = name, Value = value, Timestamp = at, Tags = tags! };

    private static MetricAggregateQuery Aggregate(string model, string name, DateTimeOffset from, DateTimeOffset to, MetricPeriod period = MetricPeriod.Hour) =>
        new() { ModelId = model, Name = name, From = from, To = to, Period = period };

    [Fact]
    public virtual async Task Query_ReturnsPointsOfTheModelInTheHalfOpenRange_InTimeOrder()
    {
        var t = TestData.Epoch;
        await Storage.Metrics.AppendAsync(
        [
            TestData.Point("m", "latency", 3, t.AddMinutes(2)),
            TestData.Point("m", "latency", 1, t),
            TestData.Point("m", "latency", 2, t.AddMinutes(1)),
            TestData.Point("m", "latency", 9, t.AddMinutes(3)),
            TestData.Point("m", "cost", 7, t.AddMinutes(1)),
            TestData.Point("other", "latency", 8, t.AddMinutes(1)),
        ], Ct);

        var points = await ToListAsync(Storage.Metrics.QueryAsync("m", "latency", t, t.AddMinutes(3), Ct));

        points.Select(p => p.Value).Should().Equal(1, 2, 3);
        points[0].Should().Be(TestData.Point("m", "latency", 1, t));
        (await ToListAsync(Storage.Metrics.QueryAsync("m", null, t, t.AddHours(1), Ct))).Should().HaveCount(5);
    }

    [Fact]
    public virtual async Task Query_UpToTheLargestTime_ReturnsEveryLaterPoint()
    {
        // The selection evidence reads past its window's end this way, to learn when a point stamped ahead enters it.
        var t = TestData.Epoch;
        await Storage.Metrics.AppendAsync(
        [
            TestData.Point("m", "latency", 1, t.AddMinutes(-1)),
            TestData.Point("m", "latency", 2, t),
            TestData.Point("m", "latency", 3, t.AddYears(50)),
            TestData.Point("m", "latency", 4, new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)),
        ], Ct);

        var points = await ToListAsync(Storage.Metrics.QueryAsync("m", null, t, DateTimeOffset.MaxValue, Ct));

        points.Select(p => p.Value).Should().Equal(2, 3, 4);
    }

    [Fact]
    public virtual async Task Query_WithTags_ReturnsOnlyPointsCarryingEveryTag()
    {
        var eu = new Dictionary<string, string> { ["region"] = "eu", ["endpoint"] = "/chat" };
        var us = new Dictionary<string, string> { ["region"] = "us", ["endpoint"] = "/chat" };
        await Storage.Metrics.AppendAsync(
        [
            P("m", "latency_ms", 1, Hour0, eu),
            P("m", "latency_ms", 2, Hour0.AddSeconds(1), us),
            P("m", "latency_ms", 3, Hour0.AddSeconds(2)),
            P("m", "latency_ms", 4, Hour0.AddSeconds(3), new Dictionary<string, string> { ["region"] = "eu" }),
        ], Ct);

        var query = new MetricQuery { ModelId = "m", Name = "latency_ms", From = Hour0, To = Hour0.AddHours(1) };

        (await ToListAsync(Storage.Metrics.QueryAsync(query with { Tags = new Dictionary<string, string> { ["region"] = "eu" } }, Ct)))
            .Select(p => p.Value).Should().Equal(1, 4);
        (await ToListAsync(Storage.Metrics.QueryAsync(query with { Tags = new Dictionary<string, string> { ["region"] = "eu", ["endpoint"] = "/chat" } }, Ct)))
            .Select(p => p.Value).Should().Equal(1);
        (await ToListAsync(Storage.Metrics.QueryAsync(query with { Tags = new Dictionary<string, string> { ["region"] = "asia" } }, Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Metrics.QueryAsync(query, Ct))).Should().HaveCount(4);
    }

    [Fact]
    public virtual async Task Query_PointsWithEqualTimes_ComeInAppendOrder()
    {
        await Storage.Metrics.AppendAsync([P("m", "a", 5, Hour0), P("m", "b", 1, Hour0), P("m", "a", 3, Hour0)], Ct);
        await Storage.Metrics.AppendAsync([P("m", "a", 4, Hour0)], Ct);

        var points = await ToListAsync(Storage.Metrics.QueryAsync(new MetricQuery { ModelId = "m", From = Hour0, To = Hour0.AddTicks(1) }, Ct));

        points.Select(p => p.Value).Should().Equal(5, 1, 3, 4);
    }

    [Fact]
    public virtual async Task Append_ValueThatIsNotFinite_ThrowsArgumentException_AndStoresNothing()
    {
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var act = async () => await Storage.Metrics.AppendAsync([P("m", "x", 1, Hour0), P("m", "x", bad, Hour0)], Ct);

            (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("points");
        }

        (await ToListAsync(Storage.Metrics.QueryAsync("m", null, Hour0, Hour0.AddDays(1), Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Aggregate_EmptyRangeOrNoPoints_ReturnsNoBuckets()
    {
        await Storage.Metrics.AppendAsync([P("m", "x", 1, Hour0)], Ct);

        (await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0, Hour0), Ct)).Should().BeEmpty("an empty range holds no point");
        (await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0.AddHours(1), Hour0.AddHours(5)), Ct)).Should().BeEmpty();
        (await Storage.Metrics.AggregateAsync(Aggregate("m", "other", Hour0, Hour0.AddHours(1)), Ct)).Should().BeEmpty();
        (await Storage.Metrics.AggregateAsync(Aggregate("nobody", "x", Hour0, Hour0.AddHours(1)), Ct)).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Aggregate_SinglePoint_EveryStatisticIsItsValue()
    {
        await Storage.Metrics.AppendAsync([P("m", "x", 42.5, Hour0.AddMinutes(17))], Ct);

        var buckets = await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0, Hour0.AddDays(1)), Ct);

        buckets.Should().ContainSingle().Which.Should().BeEquivalentTo(new MetricBucket
        {
            Start = Hour0,
            End = Hour0.AddHours(1),
            Count = 1,
            Sum = 42.5,
            Min = 42.5,
            Max = 42.5,
            P50 = 42.5,
            P95 = 42.5,
            P99 = 42.5,
        });
        buckets[0].Mean.Should().Be(42.5);
    }

    [Fact]
    public virtual async Task Aggregate_PointsOnBucketBoundaries_BelongToTheBucketTheyStart_AndTheEndIsExclusive()
    {
        await Storage.Metrics.AppendAsync(
        [
            P("m", "x", 1, Hour0),                                  // first tick of 10:00
            P("m", "x", 2, Hour0.AddHours(1).AddTicks(-1)),         // last tick of 10:00
            P("m", "x", 3, Hour0.AddHours(1)),                      // first tick of 11:00
            P("m", "x", 4, Hour0.AddHours(2).AddTicks(-1)),         // last tick of 11:00
            P("m", "x", 5, Hour0.AddHours(2)),                      // at the range's end: excluded
            P("m", "x", 6, Hour0.AddTicks(-1)),                     // before the range: excluded
        ], Ct);

        var buckets = await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0, Hour0.AddHours(2)), Ct);

        buckets.Select(b => (b.Start, b.Count, b.Sum)).Should().Equal((Hour0, 2L, 3.0), (Hour0.AddHours(1), 2L, 7.0));
        buckets.Select(b => b.End).Should().Equal(Hour0.AddHours(1), Hour0.AddHours(2));
    }

    [Fact]
    public virtual async Task Aggregate_Percentiles_MatchDescriptivePercentile_AndCountSumMinMaxMatchTheValues()
    {
        var random = new Random(20260107);
        var points = new List<MetricPoint>();
        for (var i = 0; i < 3_000; i++)
        {
            // Skewed values with ties and negatives, spread over five hours and appended out of time order.
            var value = i % 7 == 0 ? Math.Round(random.NextDouble() * 10) : (200 * Math.Exp(random.NextDouble() * 2)) - 100;
            points.Add(P("m", "latency_ms", value, Hour0.AddSeconds(random.Next(0, 5 * 3600))));
        }

        await Storage.Metrics.AppendAsync(points.Take(1_000).ToList(), Ct);
        await Storage.Metrics.AppendAsync(points.Skip(1_000).ToList(), Ct);

        var buckets = await Storage.Metrics.AggregateAsync(Aggregate("m", "latency_ms", Hour0, Hour0.AddHours(5)), Ct);

        var expected = points.GroupBy(p => new DateTimeOffset(p.Timestamp.Year, p.Timestamp.Month, p.Timestamp.Day, p.Timestamp.Hour, 0, 0, TimeSpan.Zero))
            .OrderBy(g => g.Key).ToList();
        buckets.Select(b => b.Start).Should().Equal(expected.Select(g => g.Key));
        for (var i = 0; i < expected.Count; i++)
        {
            var values = expected[i].Select(p => p.Value).ToArray();
            var bucket = buckets[i];
            bucket.Count.Should().Be(values.Length);
            bucket.Min.Should().Be(values.Min());
            bucket.Max.Should().Be(values.Max());
            bucket.Sum.Should().BeApproximately(values.Sum(), 1e-9 * values.Sum(Math.Abs));
            bucket.Mean.Should().BeApproximately(Descriptive.Mean(values), 1e-9 * values.Average(Math.Abs));
            bucket.P50.Should().Be(Descriptive.Percentile(values, 50));
            bucket.P95.Should().Be(Descriptive.Percentile(values, 95));
            bucket.P99.Should().Be(Descriptive.Percentile(values, 99));
        }
    }

    [Fact]
    public virtual async Task Aggregate_WithoutPercentiles_LeavesThemNull_AndGivesTheSameCountMinMax()
    {
        await Storage.Metrics.AppendAsync([P("m", "x", 3, Hour0), P("m", "x", 1, Hour0.AddMinutes(1)), P("m", "x", 2, Hour0.AddMinutes(70))], Ct);
        var query = Aggregate("m", "x", Hour0, Hour0.AddDays(1));

        var full = await Storage.Metrics.AggregateAsync(query, Ct);
        var cheap = await Storage.Metrics.AggregateAsync(query with { IncludePercentiles = false }, Ct);

        cheap.Should().HaveCount(2);
        cheap.Should().AllSatisfy(b => (b.P50, b.P95, b.P99).Should().Be((null, null, null)));
        cheap.Select(b => (b.Start, b.Count, b.Sum, b.Min, b.Max)).Should().Equal(full.Select(b => (b.Start, b.Count, b.Sum, b.Min, b.Max)));
        full[0].P50.Should().Be(2);
    }

    [Fact]
    public virtual async Task Aggregate_DayAndWeek_AreAlignedInUtc_AndWeeksStartOnMonday()
    {
        // 2026-01-04 is a Sunday, 2026-01-05 a Monday. The +05:00 point is Monday 02:00 locally but Sunday 21:00 UTC.
        var sundayEvening = new DateTimeOffset(2026, 1, 4, 23, 59, 59, TimeSpan.Zero);
        var mondayLocal = new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.FromHours(5));
        var mondayMidnight = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var nextSunday = new DateTimeOffset(2026, 1, 11, 12, 0, 0, TimeSpan.FromHours(-8));   // Sunday 20:00 UTC
        await Storage.Metrics.AppendAsync(
        [
            P("m", "x", 1, sundayEvening),
            P("m", "x", 2, mondayLocal),
            P("m", "x", 4, mondayMidnight),
            P("m", "x", 8, nextSunday),
        ], Ct);
        var from = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

        var weeks = await Storage.Metrics.AggregateAsync(Aggregate("m", "x", from, to, MetricPeriod.Week), Ct);
        var days = await Storage.Metrics.AggregateAsync(Aggregate("m", "x", from, to, MetricPeriod.Day), Ct);

        weeks.Select(b => (b.Start, b.Sum)).Should().Equal(
            (new DateTimeOffset(2025, 12, 29, 0, 0, 0, TimeSpan.Zero), 3.0),
            (mondayMidnight, 12.0));
        weeks.Should().AllSatisfy(b =>
        {
            b.Start.DayOfWeek.Should().Be(DayOfWeek.Monday);
            b.Start.Offset.Should().Be(TimeSpan.Zero);
            (b.End - b.Start).Should().Be(TimeSpan.FromDays(7));
        });
        days.Select(b => (b.Start, b.Sum)).Should().Equal(
            (new DateTimeOffset(2026, 1, 4, 0, 0, 0, TimeSpan.Zero), 3.0),
            (mondayMidnight, 4.0),
            (new DateTimeOffset(2026, 1, 11, 0, 0, 0, TimeSpan.Zero), 8.0));
    }

    [Fact]
    public virtual async Task Aggregate_ByMinute_SplitsAtWholeMinutes()
    {
        await Storage.Metrics.AppendAsync(
        [
            P("m", "x", 1, Hour0.AddTicks(TimeSpan.TicksPerMinute - 1)),
            P("m", "x", 2, Hour0.AddSeconds(60)),
            P("m", "x", 3, Hour0.AddSeconds(119)),
            P("m", "x", 4, Hour0.AddMinutes(5)),
        ], Ct);

        var buckets = await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0, Hour0.AddHours(1), MetricPeriod.Minute), Ct);

        buckets.Select(b => (b.Start, b.Count, b.Max)).Should().Equal(
            (Hour0, 1L, 1.0), (Hour0.AddMinutes(1), 2L, 3.0), (Hour0.AddMinutes(5), 1L, 4.0));
    }

    [Fact]
    public virtual async Task Aggregate_RangeStartingInsideABucket_CountsOnlyPointsInRange_AndKeepsTheBucketAligned()
    {
        await Storage.Metrics.AppendAsync([P("m", "x", 1, Hour0.AddMinutes(10)), P("m", "x", 2, Hour0.AddMinutes(40)), P("m", "x", 4, Hour0.AddMinutes(90))], Ct);

        var buckets = await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0.AddMinutes(30), Hour0.AddMinutes(80)), Ct);

        buckets.Should().ContainSingle().Which.Should().Match<MetricBucket>(b => b.Start == Hour0 && b.Count == 1 && b.Sum == 2);
    }

    [Fact]
    public virtual async Task Aggregate_FiltersByModelNameAndTags()
    {
        var eu = new Dictionary<string, string> { ["region"] = "eu" };
        await Storage.Metrics.AppendAsync(
        [
            P("m", "x", 1, Hour0, eu),
            P("m", "x", 10, Hour0.AddMinutes(1)),
            P("m", "y", 100, Hour0.AddMinutes(2), eu),
            P("other", "x", 1000, Hour0.AddMinutes(3), eu),
            P("m", "x", 5, Hour0.AddMinutes(4), new Dictionary<string, string> { ["region"] = "eu", ["tier"] = "free" }),
        ], Ct);
        var query = Aggregate("m", "x", Hour0, Hour0.AddHours(1));

        (await Storage.Metrics.AggregateAsync(query, Ct)).Single().Sum.Should().Be(16);
        (await Storage.Metrics.AggregateAsync(query with { Tags = eu }, Ct)).Single().Should().Match<MetricBucket>(b => b.Sum == 6 && b.Count == 2 && b.P50 == 3);
        (await Storage.Metrics.AggregateAsync(query with { Tags = new Dictionary<string, string> { ["region"] = "eu", ["tier"] = "free" } }, Ct)).Single().Sum.Should().Be(5);
        (await Storage.Metrics.AggregateAsync(query with { Tags = new Dictionary<string, string> { ["region"] = "us" } }, Ct)).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Aggregate_InvalidQuery_ThrowsArgumentExceptionNamingTheQuery()
    {
        var inverted = async () => await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0, Hour0.AddTicks(-1)), Ct);
        var noName = async () => await Storage.Metrics.AggregateAsync(Aggregate("m", " ", Hour0, Hour0.AddHours(1)), Ct);
        var badPeriod = async () => await Storage.Metrics.AggregateAsync(Aggregate("m", "x", Hour0, Hour0.AddHours(1), (MetricPeriod)42), Ct);

        (await inverted.Should().ThrowAsync<ArgumentException>().WithMessage("*ends*before it starts*")).Which.ParamName.Should().Be("query");
        (await noName.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("query");
        (await badPeriod.Should().ThrowAsync<ArgumentException>().WithMessage("*period*")).Which.ParamName.Should().Be("query");
    }

    [Fact]
    public virtual async Task DeleteOlderThan_DeletesOnlyPointsBeforeTheCutOff_AndReturnsTheCount()
    {
        await Storage.Metrics.AppendAsync(
        [
            P("m", "x", 1, Hour0.AddDays(-3)),
            P("m", "y", 2, Hour0.AddDays(-2)),
            P("other", "x", 3, Hour0.AddTicks(-1)),
            P("m", "x", 4, Hour0),                 // at the cut-off: kept
            P("m", "x", 5, Hour0.AddDays(1)),
        ], Ct);

        var deleted = await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0 }, Ct);

        deleted.Should().Be(3);
        (await ToListAsync(Storage.Metrics.QueryAsync("m", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct))).Select(p => p.Value).Should().Equal(4, 5);
        (await ToListAsync(Storage.Metrics.QueryAsync("other", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct))).Should().BeEmpty();
        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0 }, Ct)).Should().Be(0, "nothing older is left");
    }

    [Fact]
    public virtual async Task DeleteOlderThan_WithModelOrName_DeletesOnlyThatSeries()
    {
        var old = Hour0.AddDays(-10);
        await Storage.Metrics.AppendAsync([P("a", "x", 1, old), P("a", "y", 2, old), P("b", "x", 3, old), P("b", "y", 4, old)], Ct);

        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0, ModelId = "a", Name = "x" }, Ct)).Should().Be(1);
        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0, Name = "y" }, Ct)).Should().Be(2);
        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0, ModelId = "a" }, Ct)).Should().Be(0);

        (await ToListAsync(Storage.Metrics.QueryAsync("a", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Metrics.QueryAsync("b", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct))).Select(p => p.Value).Should().Equal(3);
    }

    [Fact]
    public virtual async Task DeleteOlderThan_NeverTouchesRunsOrResults()
    {
        var run = TestData.Run("run-1", modelId: "m", createdAt: Hour0.AddDays(-30));
        (await Storage.Runs.TryAddAsync(run, Ct)).Should().BeTrue();
        (await Storage.Results.AppendAsync([TestData.Result("run-1", 0), TestData.Result("run-1", 1, failed: true)], Ct)).Should().Be(2);
        await Storage.Metrics.AppendAsync([P("m", "exact_match", 0.5, Hour0.AddDays(-30)) with { RunId = "run-1" }], Ct);

        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = DateTimeOffset.MaxValue }, Ct)).Should().Be(1);

        (await Storage.Runs.GetAsync("run-1", Ct)).Should().NotBeNull();
        (await Storage.Results.CountAsync("run-1", Ct)).Should().Be(new ResultCounts(2, 1));
    }

    [Fact]
    public virtual async Task DeleteOlderThan_EmptyFilter_ThrowsArgumentExceptionNamingTheQuery()
    {
        var act = async () => await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0, ModelId = "" }, Ct);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("query");
    }
}
