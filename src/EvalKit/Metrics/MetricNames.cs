namespace EvalKit.Metrics;

/// <summary>
/// The metric names EvalKit writes. Live traffic (<see cref="IMetricsService.RecordCallAsync"/>) writes one point per
/// measure and call; completed runs (<see cref="RunMetrics"/>) write one point per summary figure, named with the
/// <c>run.</c> prefix, plus one point per score metric under the scorer's own name (such as <c>exact_match</c>).
/// </summary>
public static class MetricNames
{
    /// <summary>One point of value 1 per model call (live traffic): the denominator of the per-request rates.</summary>
    public const string Requests = "requests";

    /// <summary>One point of value 1 per failed model call (live traffic); successful calls write none, so use <see cref="MetricRate.ErrorRate"/>, not the mean.</summary>
    public const string Errors = "errors";

    /// <summary>The number of retries of a call (live traffic), written only when it is positive.</summary>
    public const string Retries = "retries";

    /// <summary>The latency of a call in milliseconds (live traffic).</summary>
    public const string LatencyMs = "latency_ms";

    /// <summary>The time to the first streamed token of a call in milliseconds (live traffic).</summary>
    public const string TimeToFirstTokenMs = "time_to_first_token_ms";

    /// <summary>The input (prompt) tokens of a call (live traffic).</summary>
    public const string InputTokens = "input_tokens";

    /// <summary>The output (completion) tokens of a call (live traffic).</summary>
    public const string OutputTokens = "output_tokens";

    /// <summary>The cost of a call, in the currency of the model's pricing (live traffic).</summary>
    public const string Cost = "cost";

    /// <summary>The mean latency of a run's calls in milliseconds.</summary>
    public const string RunLatencyMeanMs = "run.latency_mean_ms";

    /// <summary>The median latency of a run's calls in milliseconds.</summary>
    public const string RunLatencyP50Ms = "run.latency_p50_ms";

    /// <summary>The 95th-percentile latency of a run's calls in milliseconds.</summary>
    public const string RunLatencyP95Ms = "run.latency_p95_ms";

    /// <summary>The 99th-percentile latency of a run's calls in milliseconds.</summary>
    public const string RunLatencyP99Ms = "run.latency_p99_ms";

    /// <summary>The median time to first token of a run's streamed calls in milliseconds.</summary>
    public const string RunTimeToFirstTokenP50Ms = "run.ttft_p50_ms";

    /// <summary>The 95th-percentile time to first token of a run's streamed calls in milliseconds.</summary>
    public const string RunTimeToFirstTokenP95Ms = "run.ttft_p95_ms";

    /// <summary>The 99th-percentile time to first token of a run's streamed calls in milliseconds.</summary>
    public const string RunTimeToFirstTokenP99Ms = "run.ttft_p99_ms";

    /// <summary>The total cost of a run's calls with a known cost.</summary>
    public const string RunCostTotal = "run.cost_total";

    /// <summary>The mean cost of a run's successful calls with a known cost.</summary>
    public const string RunCostPerRequest = "run.cost_per_request";

    /// <summary>The total input tokens of a run.</summary>
    public const string RunInputTokens = "run.input_tokens";

    /// <summary>The total output tokens of a run.</summary>
    public const string RunOutputTokens = "run.output_tokens";

    /// <summary>The share of a run's results whose call failed.</summary>
    public const string RunErrorRate = "run.error_rate";

    /// <summary>The share of a run's results whose call succeeded.</summary>
    public const string RunSuccessRate = "run.success_rate";

    /// <summary>The share of a run's results whose call needed at least one retry.</summary>
    public const string RunRetryRate = "run.retry_rate";

    /// <summary>A run's throughput in results per second.</summary>
    public const string RunThroughput = "run.throughput_per_s";
}
