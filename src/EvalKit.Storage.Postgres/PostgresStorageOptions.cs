namespace EvalKit.Storage.Postgres;

/// <summary>Options of the PostgreSQL store.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>
    /// Gets or sets the Npgsql connection string, such as <c>Host=db;Database=evalkit;Username=evalkit;Password=…</c>.
    /// Used when the store creates (and then owns) its data source; ignored when a data source is passed in.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the Npgsql connection string of a read replica (a hot standby, or a role that may only read), used for
    /// queries and reports: getting and listing models' history, datasets, benchmarks, runs, A/B tests, experiments and
    /// projects, reading a run's results, metric queries and aggregations, cost aggregations and the audit log. Writes,
    /// and every read that a write depends on, stay on the primary: the reads inside EvalKit's own write operations
    /// (<see cref="ReadConsistency"/>), model reads (the registry's snapshot), result keys and counts (resume, workers),
    /// shard claims, the response cache and the change counters that caches validate against. When set, the store creates
    /// and owns a data source for it, whether the primary's data source is passed in or created.
    /// </summary>
    /// <remarks>
    /// A replica lags behind the primary: a report may miss the newest writes for as long as the lag. Within a flow that must
    /// read its own writes, wrap the reads in <see cref="ReadConsistency.RequirePrimary"/>.
    /// </remarks>
    /// <value>The default value is <see langword="null"/>: every read goes to the primary.</value>
    public string? ReadOnlyConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the schema that holds EvalKit's tables. It is created at start-up when missing. Lower-case letters,
    /// digits and underscores, starting with a letter or an underscore, at most 63 characters, not starting with <c>pg_</c>.
    /// </summary>
    /// <value>The default value is <c>evalkit</c>.</value>
    public string Schema { get; set; } = "evalkit";

    /// <summary>
    /// Gets or sets how many monthly partitions of <c>model_metrics</c> to create ahead of the current month at start-up.
    /// Partitions for other months are created on demand when points for them are appended.
    /// </summary>
    /// <value>The default value is 3.</value>
    public int MetricPartitionsAhead { get; set; } = 3;
}
