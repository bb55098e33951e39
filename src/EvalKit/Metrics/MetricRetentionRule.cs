namespace EvalKit.Metrics;

/// <summary>
/// Deletes metric points older than <see cref="MaxAge"/>, of every model and metric or only of one. Rules do not override each
/// other: a point goes as soon as any rule that matches it says it is too old.
/// </summary>
/// <remarks>Filters are properties of this record so that new ones (such as a tenant) can be added without breaking callers.</remarks>
public sealed record MetricRetentionRule
{
    /// <summary>Gets the age beyond which points are deleted: those with a timestamp before now − <see cref="MaxAge"/>. Positive.</summary>
    public required TimeSpan MaxAge { get; init; }

    /// <summary>Gets the model the rule applies to, or <see langword="null"/> for every model.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the metric the rule applies to, or <see langword="null"/> for every metric.</summary>
    public string? Name { get; init; }
}
