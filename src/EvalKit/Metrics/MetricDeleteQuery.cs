namespace EvalKit.Metrics;

/// <summary>Selects the metric points a retention pass deletes: those older than <see cref="Before"/>, optionally of one model or metric.</summary>
/// <remarks>
/// Only metric points are ever deleted; runs, results and everything else stay. Filters are properties of this record so that
/// new ones (such as a tenant, once EvalKit has tenants) can be added without breaking callers or storage providers.
/// </remarks>
public sealed record MetricDeleteQuery
{
    /// <summary>Gets the exclusive cut-off: points with a timestamp strictly before it are deleted.</summary>
    public required DateTimeOffset Before { get; init; }

    /// <summary>Gets the model whose points are deleted, or <see langword="null"/> for every model.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the metric whose points are deleted, or <see langword="null"/> for every metric.</summary>
    public string? Name { get; init; }
}
