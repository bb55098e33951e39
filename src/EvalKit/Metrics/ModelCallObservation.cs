namespace EvalKit.Metrics;

/// <summary>
/// What a host measured about one model call of its live traffic. <see cref="IMetricsService.RecordCallAsync"/> turns it into
/// points: <c>requests</c> (1), <c>errors</c> (1, when failed), <c>retries</c> (when positive), and <c>latency_ms</c>,
/// <c>time_to_first_token_ms</c>, <c>input_tokens</c>, <c>output_tokens</c> and <c>cost</c> when known, all with the same
/// time and tags.
/// </summary>
public sealed record ModelCallObservation
{
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets when the call completed, or <see langword="null"/> for the service's clock at recording.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the call's latency, if measured.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>Gets the time to the first streamed token, if the call streamed.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Gets the input tokens, if reported.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the output tokens, if reported.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets the call's cost, if known.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets whether the call failed.</summary>
    public bool Failed { get; init; }

    /// <summary>Gets the number of retries the call needed.</summary>
    public int Retries { get; init; }

    /// <summary>Gets low-cardinality tags (such as an endpoint or a region) put on every point of the call.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = MetricValidation.CopyTags(value);
    }
}
