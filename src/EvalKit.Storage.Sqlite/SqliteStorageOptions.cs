namespace EvalKit.Storage.Sqlite;

/// <summary>Options of the SQLite store.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Gets or sets the connection string, such as <c>Data Source=evalkit.db</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=evalkit.db";

    /// <summary>Gets or sets how long a statement waits for a lock held by another connection or process before failing.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
