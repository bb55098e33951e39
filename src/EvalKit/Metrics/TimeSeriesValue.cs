namespace EvalKit.Metrics;

/// <summary>One observation of a time series: a value at a time.</summary>
/// <param name="Timestamp">When the value was observed (or the start of its bucket).</param>
/// <param name="Value">The value.</param>
public readonly record struct TimeSeriesValue(DateTimeOffset Timestamp, double Value);
