namespace EvalKit.Evaluation;

/// <summary>Latency percentiles (numpy <c>linear</c>) of the model calls of a run, excluding cached answers.</summary>
/// <param name="Count">The number of measured calls.</param>
/// <param name="Mean">The mean latency.</param>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
public sealed record LatencySummary(int Count, TimeSpan Mean, TimeSpan P50, TimeSpan P95, TimeSpan P99);
