namespace EvalKit.Metrics;

/// <summary>
/// The length of the buckets of an aggregation. Buckets are aligned in UTC: a minute bucket starts at second 0, an hour
/// bucket at minute 0, a day bucket at midnight UTC and a week bucket at Monday 00:00 UTC (ISO 8601 weeks).
/// </summary>
public enum MetricPeriod
{
    /// <summary>One minute.</summary>
    Minute,

    /// <summary>One hour.</summary>
    Hour,

    /// <summary>One day, from midnight UTC.</summary>
    Day,

    /// <summary>Seven days, from Monday 00:00 UTC.</summary>
    Week,
}
