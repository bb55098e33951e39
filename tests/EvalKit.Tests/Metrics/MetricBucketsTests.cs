using EvalKit.Metrics;

namespace EvalKit.Tests.Metrics;

public sealed class MetricBucketsTests
{
    [Fact]
    public void Start_WeeksBeginOnMondayUtc_DaysAtMidnightUtc_WhateverTheOffset()
    {
        var sundayLate = new DateTimeOffset(2026, 3, 8, 23, 30, 0, TimeSpan.Zero);
        var mondayEarlyInTokyo = new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.FromHours(9));   // Sunday 23:00 UTC

        MetricBuckets.Start(sundayLate, MetricPeriod.Week).Should().Be(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        MetricBuckets.Start(mondayEarlyInTokyo, MetricPeriod.Week).Should().Be(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        MetricBuckets.Start(mondayEarlyInTokyo, MetricPeriod.Day).Should().Be(new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero));
        MetricBuckets.Start(mondayEarlyInTokyo, MetricPeriod.Hour).Should().Be(new DateTimeOffset(2026, 3, 8, 23, 0, 0, TimeSpan.Zero));
        MetricBuckets.Start(sundayLate.AddSeconds(59.5), MetricPeriod.Minute).Should().Be(sundayLate);
        MetricBuckets.Start(sundayLate, MetricPeriod.Week).Offset.Should().Be(TimeSpan.Zero);
        DateTime.MinValue.DayOfWeek.Should().Be(DayOfWeek.Monday, "weeks are counted from 0001-01-01");
    }

    [Fact]
    public void Length_IsFixedPerPeriod_AndUnknownPeriodsAreRefused()
    {
        Enum.GetValues<MetricPeriod>().Select(MetricBuckets.Length).Should().Equal(
            TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7));
        FluentActions.Invoking(() => MetricBuckets.Length((MetricPeriod)7)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("period");
    }
}
