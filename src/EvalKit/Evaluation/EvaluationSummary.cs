namespace EvalKit.Evaluation;

/// <summary>The summary of a run: every metric with its uncertainty, latency, throughput, usage, cost and reliability.</summary>
public sealed record EvaluationSummary
{
    /// <summary>Gets the metric summaries, keyed by metric name.</summary>
    public required IReadOnlyDictionary<string, MetricSummary> Metrics { get; init; }

    /// <summary>Gets the latency summary, or <see langword="null"/> when no call was measured.</summary>
    public LatencySummary? Latency { get; init; }

    /// <summary>Gets the time-to-first-token summary of streamed calls, or <see langword="null"/> when the run did not stream.</summary>
    public LatencySummary? TimeToFirstToken { get; init; }

    /// <summary>Gets the number of (case, repetition) results.</summary>
    public required long Total { get; init; }

    /// <summary>Gets the number of results whose model call succeeded.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Gets the number of results whose model call failed.</summary>
    public required long Failed { get; init; }

    /// <summary>Gets the total number of retries over all calls.</summary>
    public required long Retries { get; init; }

    /// <summary>Gets the number of answers served from the response cache.</summary>
    public long CachedCount { get; init; }

    /// <summary>Gets the success rate, <see cref="Succeeded"/> / <see cref="Total"/>.</summary>
    public double SuccessRate => Total == 0 ? 0 : (double)Succeeded / Total;

    /// <summary>Gets the error rate, <see cref="Failed"/> / <see cref="Total"/>.</summary>
    public double ErrorRate => Total == 0 ? 0 : (double)Failed / Total;

    /// <summary>Gets the share of results whose call needed at least one retry.</summary>
    public double RetryRate { get; init; }

    /// <summary>Gets the total input tokens, or <see langword="null"/> when no call reported them.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the total output tokens, or <see langword="null"/> when no call reported them.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets the number of successful calls whose token usage was not reported.</summary>
    public long UnknownUsageCount { get; init; }

    /// <summary>Gets the total cost of the calls with a known cost, or <see langword="null"/> when none is known.</summary>
    public decimal? TotalCost { get; init; }

    /// <summary>Gets the mean cost of a successful call whose cost is known, or <see langword="null"/> when none is known.</summary>
    public decimal? CostPerRequest => TotalCost is { } total && Succeeded - UnknownCostCount > 0 ? total / (Succeeded - UnknownCostCount) : null;

    /// <summary>Gets the number of successful calls whose cost is unknown (no pricing or no usage).</summary>
    public long UnknownCostCount { get; init; }

    /// <summary>Gets the wall-clock time from the run's start to its completion, summed over resumed sessions.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets the throughput in results per second over <see cref="Duration"/>.</summary>
    public double? Throughput { get; init; }
}
