namespace EvalKit.Caching;

/// <summary>The kinds of answers EvalKit caches; each has its own lifetime and tag.</summary>
internal enum CacheKind
{
    /// <summary>Registry reads: the snapshot of a tenant's models.</summary>
    Model,

    /// <summary>Aggregated answers about completed runs: results, comparisons, regression checks.</summary>
    Run,

    /// <summary>Metrics queries: aggregates, rates, comparisons, anomaly reports.</summary>
    Metrics,

    /// <summary>Selection decisions.</summary>
    Selection,
}
