namespace EvalKit.Metrics;

/// <summary>
/// A rate computed per bucket from sums: <c>sum(Numerator) / sum(Denominator)</c> over the points of the bucket, or
/// <c>sum(Numerator) / seconds</c> when <see cref="Denominator"/> is <see langword="null"/> (the seconds of the bucket that
/// lie inside the queried range). Summing first is what makes, for example, the error rate exact: errors / requests.
/// </summary>
public sealed record MetricRate
{
    /// <summary>Gets the errors per request: <c>sum(errors) / sum(requests)</c> (live traffic).</summary>
    public static MetricRate ErrorRate { get; } = new() { Name = "error_rate", Numerator = MetricNames.Errors, Denominator = MetricNames.Requests };

    /// <summary>Gets the retries per request: <c>sum(retries) / sum(requests)</c> (live traffic; may exceed 1).</summary>
    public static MetricRate RetriesPerRequest { get; } = new() { Name = "retries_per_request", Numerator = MetricNames.Retries, Denominator = MetricNames.Requests };

    /// <summary>Gets the cost per request: <c>sum(cost) / sum(requests)</c> (live traffic; calls without a known cost count as zero).</summary>
    public static MetricRate CostPerRequest { get; } = new() { Name = "cost_per_request", Numerator = MetricNames.Cost, Denominator = MetricNames.Requests };

    /// <summary>Gets the requests per second: <c>sum(requests) / seconds</c> (live traffic).</summary>
    public static MetricRate RequestsPerSecond { get; } = new() { Name = "requests_per_second", Numerator = MetricNames.Requests };

    /// <summary>Gets the rate's name, for display.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the metric whose sum is the numerator.</summary>
    public required string Numerator { get; init; }

    /// <summary>Gets the metric whose sum is the denominator, or <see langword="null"/> for a rate per second.</summary>
    public string? Denominator { get; init; }
}
