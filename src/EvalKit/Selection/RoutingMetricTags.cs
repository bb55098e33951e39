using EvalKit.Metrics;

namespace EvalKit.Selection;

/// <summary>
/// The tags on the runtime metric points <see cref="SelectingChatClient"/> records. The points follow the live-traffic
/// scheme of <see cref="MetricNames"/> (<c>requests</c>, <c>errors</c>, <c>latency_ms</c>, <c>time_to_first_token_ms</c>,
/// <c>input_tokens</c>, <c>output_tokens</c>, <c>cost</c>), so the metrics service aggregates routed traffic like any other.
/// </summary>
public static class RoutingMetricTags
{
    /// <summary>The value of the <see cref="MetricTags.Source"/> tag on points recorded by routing.</summary>
    public const string RoutingSource = "routing";

    /// <summary>The tag that carries the error category (<c>Timeout</c>, <c>RateLimited</c>, …) on the points of a failed call.</summary>
    public const string ErrorType = "error.type";
}
