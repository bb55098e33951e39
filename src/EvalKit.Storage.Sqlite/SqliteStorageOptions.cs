namespace EvalKit.Storage.Sqlite;

/// <summary>Options of the SQLite store.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Gets or sets the connection string, such as <c>Data Source=evalkit.db</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=evalkit.db";

    /// <summary>Gets or sets how long a statement waits for a lock held by another connection or process before failing.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a value indicating whether an erasure (<see cref="Erasure.IErasureService"/>) ends with <c>VACUUM</c>, which
    /// rewrites the database file so that no byte of the erased records (nor of older versions of any record, left in
    /// pages' free space by earlier updates) remains in it. Every erasure deletes with <c>PRAGMA secure_delete</c> on and then
    /// checkpoints and truncates the write-ahead log; <c>VACUUM</c> also needs free disk space about the size of the database
    /// and, while it runs, blocks every other writer. Turn it off for very large files, and run <c>VACUUM</c> at a quiet time.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool VacuumAfterErasure { get; set; } = true;
}
