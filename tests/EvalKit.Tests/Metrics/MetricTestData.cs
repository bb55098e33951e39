using EvalKit.Metrics;

namespace EvalKit.Tests.Metrics;

/// <summary>Seeded synthetic series and a settable clock for the metrics tests.</summary>
internal static class MetricTestData
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);   // a Monday

    /// <summary>A standard normal draw (Box–Muller) from a seeded source.</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Independent normal observations, one per hour from <see cref="Start"/>.</summary>
    public static List<TimeSeriesValue> Clean(int seed, int count = 168, double mean = 200, double sd = 10)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new TimeSeriesValue(Start.AddHours(i), mean + (sd * Normal(random))))];
    }
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
