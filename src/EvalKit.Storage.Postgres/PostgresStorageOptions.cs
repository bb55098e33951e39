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
