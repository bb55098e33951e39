namespace EvalKit.Metrics;

/// <summary>One observation of a model metric at a point in time, such as a latency or a score.</summary>
public sealed record MetricPoint
{
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the metric name, such as <c>latency_ms</c> or <c>exact_match</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the value.</summary>
    public required double Value { get; init; }

    /// <summary>Gets when the value was observed.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the run that produced the point, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>Gets low-cardinality tags.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = value is null || value.Count == 0 ? Empty.StringDictionary : new Dictionary<string, string>(value, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public bool Equals(MetricPoint? other) =>
        other is not null && ModelId == other.ModelId && Name == other.Name && Value.Equals(other.Value)
        && Timestamp == other.Timestamp && RunId == other.RunId
        && Tags.Count == other.Tags.Count && Tags.All(kv => other.Tags.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ModelId, Name, Value, Timestamp);
}
