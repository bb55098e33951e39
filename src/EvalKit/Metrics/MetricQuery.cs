namespace EvalKit.Metrics;

/// <summary>Selects the points of one model in a half-open time range [<see cref="From"/>, <see cref="To"/>).</summary>
/// <remarks>
/// Filters are properties of this record rather than method parameters, so that new ones (such as a tenant, once EvalKit
/// has tenants) can be added without breaking callers or storage providers.
/// </remarks>
public sealed record MetricQuery
{
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the metric name, or <see langword="null"/> for every metric of the model.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the inclusive start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end; equal to <see cref="From"/> for an empty range.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the tags a point must carry (each key with exactly this value; other tags are allowed). Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = MetricValidation.CopyTags(value);
    }
}
