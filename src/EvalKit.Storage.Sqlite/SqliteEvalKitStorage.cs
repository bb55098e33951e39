using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Serialization;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <summary>
/// The SQLite store: one database file in WAL mode, a schema applied by numbered migrations at start-up, and results
/// appended in batched transactions with prepared statements (insert-or-ignore, so a retried batch never writes twice).
/// </summary>
/// <remarks>
/// Every record belongs to a tenant: each table's key leads with <c>tenant_id</c>, and every statement is limited to the
/// tenant of the operation (<see cref="EvalKitTenant.Resolve(ITenantContext?)"/> over the tenant context given to the
/// constructor), so tenants may use the same ids without ever seeing each other's records.
/// </remarks>
public sealed partial class SqliteEvalKitStorage : IEvalKitStorage
{
    private readonly SqliteStorageOptions _options;
    private readonly ITenantContext _tenantContext;
    private readonly string _dataSource;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes a new instance of the <see cref="SqliteEvalKitStorage"/> class.</summary>
    /// <param name="connectionString">The connection string, such as <c>Data Source=evalkit.db</c>.</param>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    public SqliteEvalKitStorage(string connectionString, ITenantContext? tenantContext = null)
        : this(new SqliteStorageOptions { ConnectionString = connectionString }, tenantContext)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteEvalKitStorage"/> class.</summary>
    /// <param name="options">The options.</param>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    public SqliteEvalKitStorage(SqliteStorageOptions options, ITenantContext? tenantContext = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tenantContext = tenantContext ?? AmbientTenantContext.Instance;
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The SQLite connection string is invalid: {e.Message}", nameof(options), e);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string names no Data Source.", nameof(options));
        }

        builder.DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        builder.Pooling = true;
        _options = new SqliteStorageOptions { ConnectionString = builder.ToString(), BusyTimeout = options.BusyTimeout, VacuumAfterErasure = options.VacuumAfterErasure };
        _dataSource = builder.DataSource;
        Models = new ModelStore(this);
        Datasets = new DatasetStore(this);
        Benchmarks = new BenchmarkStore(this);
        Runs = new RunStore(this);
        Results = new ResultStore(this);
        Metrics = new MetricStore(this);
        ResponseCache = new CacheStore(this);
        AbTests = new AbTestStore(this);
    }

    /// <summary>Gets the database file (the connection string's data source).</summary>
    public string DataSource => _dataSource;

    /// <inheritdoc/>
    public IModelStorage Models { get; }

    /// <inheritdoc/>
    public IDatasetStorage Datasets { get; }

    /// <inheritdoc/>
    public IBenchmarkStorage Benchmarks { get; }

    /// <inheritdoc/>
    public IRunStorage Runs { get; }

    /// <inheritdoc/>
    public IResultStorage Results { get; }

    /// <inheritdoc/>
    public IMetricStorage Metrics { get; }

    /// <inheritdoc/>
    public IResponseCacheStorage ResponseCache { get; }

    /// <inheritdoc/>
    public IAbTestStorage AbTests { get; }

    /// <summary>Gets the schema version after <see cref="InitializeAsync"/>: the highest applied migration.</summary>
    public static int LatestSchemaVersion => SqliteSchema.Migrations[^1].Version;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await MigrateAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    /// <summary>Reads the applied schema versions.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The applied versions, ascending.</returns>
    public async ValueTask<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var versions = new List<int>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT version FROM schema_version ORDER BY version";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    versions.Add(reader.GetInt32(0));
                }
            }

            return versions;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _initializeLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_options.ConnectionString));
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await Execute(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);", cancellationToken).ConfigureAwait(false);

            // BEGIN IMMEDIATE takes the write lock first, so processes starting together apply each migration once.
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var applied = new HashSet<int>();
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = "SELECT version FROM schema_version";
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            applied.Add(reader.GetInt32(0));
                        }
                    }
                }

                var newest = SqliteSchema.Migrations[^1].Version;
                if (applied.Count > 0 && applied.Max() > newest)
                {
                    throw new StorageException(
                        $"The SQLite database '{_dataSource}' has schema version {applied.Max()}, newer than this EvalKit's {newest}; upgrade EvalKit.");
                }

                foreach (var (version, description, sql) in SqliteSchema.Migrations)
                {
                    if (applied.Contains(version))
                    {
                        continue;
                    }

                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql + "\nINSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t);";
                    command.Parameters.AddWithValue("$v", version);
                    command.Parameters.AddWithValue("$d", description);
                    command.Parameters.AddWithValue("$t", DateTimeOffset.UnixEpoch.UtcTicks);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StorageException($"The SQLite database '{_dataSource}' cannot be opened: {e.Message}", e);
        }
    }

    private async ValueTask<SqliteConnection> ReadyAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the tenant of the current operation.</summary>
    private string Tenant => EvalKitTenant.Resolve(_tenantContext);

    private StorageException Wrap(string operation, Exception e) =>
        new($"SQLite store '{_dataSource}': {operation} failed: {e.Message}", e);

    private static long Ticks(DateTimeOffset value) => value.UtcTicks;

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static object Db(object? value) => value ?? DBNull.Value;

    /// <summary>
    /// Sets a text parameter so that it survives verbatim: SQLite's text binding stops at an embedded NUL character,
    /// so such strings are stored as their UTF-8 bytes (read back by <see cref="Text"/>).
    /// </summary>
    private static void SetText(SqliteParameter parameter, string? value)
    {
        if (value is null)
        {
            parameter.SqliteType = SqliteType.Text;
            parameter.Value = DBNull.Value;
        }
        else if (value.Contains('\0', StringComparison.Ordinal))
        {
            parameter.SqliteType = SqliteType.Blob;
            parameter.Value = System.Text.Encoding.UTF8.GetBytes(value);
        }
        else
        {
            parameter.SqliteType = SqliteType.Text;
            parameter.Value = value;
        }
    }

    private static void AddText(SqliteParameterCollection parameters, string name, string? value) =>
        SetText(parameters.Add(name, SqliteType.Text), value);

    /// <summary>Reads a text column; strings with a NUL character were stored as UTF-8 bytes by <see cref="SetText"/>.</summary>
    private static string Text(SqliteDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(byte[])
            ? System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(ordinal))
            : reader.GetString(ordinal);
}
