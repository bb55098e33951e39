namespace EvalKit.Metrics;

/// <summary>
/// The bucket arithmetic of aggregations: every period has a fixed length, and a bucket starts at a whole multiple of it
/// counted from 0001-01-01T00:00Z (a Monday), so hours, days and weeks align in UTC and weeks start on Monday.
/// </summary>
public static class MetricBuckets
{
    /// <summary>Gets the length of a period.</summary>
    /// <param name="period">The period.</param>
    /// <returns>One minute, hour, day or week.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not a defined value.</exception>
    public static TimeSpan Length(MetricPeriod period) => TimeSpan.FromTicks(LengthTicks(period));

    /// <summary>Gets the start of the bucket that contains a time.</summary>
    /// <param name="timestamp">The time, in any offset; buckets are computed on its UTC instant.</param>
    /// <param name="period">The period.</param>
    /// <returns>The bucket's start, in UTC (offset zero).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not a defined value.</exception>
    public static DateTimeOffset Start(DateTimeOffset timestamp, MetricPeriod period) =>
        new(StartTicks(timestamp.UtcTicks, LengthTicks(period)), TimeSpan.Zero);

    internal static long LengthTicks(MetricPeriod period) => period switch
    {
        MetricPeriod.Minute => TimeSpan.TicksPerMinute,
        MetricPeriod.Hour => TimeSpan.TicksPerHour,
        MetricPeriod.Day => TimeSpan.TicksPerDay,
        MetricPeriod.Week => 7 * TimeSpan.TicksPerDay,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown metric period; use Minute, Hour, Day or Week."),
    };

    /// <summary>Gets the start of the bucket of <paramref name="utcTicks"/> (non-negative, as every UTC tick count is).</summary>
    internal static long StartTicks(long utcTicks, long lengthTicks) => utcTicks - (utcTicks % lengthTicks);
}
