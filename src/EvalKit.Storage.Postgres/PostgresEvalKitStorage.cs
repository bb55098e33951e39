using System.Collections.Concurrent;
using System.Globalization;
using EvalKit.Security;
using Npgsql;
using NpgsqlTypes;

namespace EvalKit.Storage.Postgres;

/// <summary>
/// The PostgreSQL store: one schema (see <see cref="PostgresStorageOptions.Schema"/>) shared by any number of processes
/// and machines, migrated at start-up under an advisory lock; results written with binary COPY into a staging table and
/// then inserted with <c>ON CONFLICT DO NOTHING</c>, so a retried batch never writes twice; metric points in a table
/// partitioned by month.
/// </summary>
/// <remarks>
/// <para>
/// The store owns the <see cref="NpgsqlDataSource"/> it creates from a connection string and disposes it with itself;
/// a data source passed in stays the caller's and is never disposed by the store.
/// </para>
/// <para>
/// Every record belongs to a tenant: each table's key leads with <c>tenant_id</c>, and every statement is limited to the
/// tenant of the operation (<see cref="EvalKitTenant.Resolve(ITenantContext?)"/> over the tenant context given to the
/// constructor), so tenants may use the same ids without ever seeing each other's records.
/// </para>
/// </remarks>
public sealed partial class PostgresEvalKitStorage : IEvalKitStorage
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly NpgsqlDataSource? _readDataSource;
    private readonly bool _ownsReadDataSource;
    private readonly TimeProvider _timeProvider;
    private readonly ITenantContext _tenantContext;
    private readonly int _partitionsAhead;
    private readonly string _s;
    private readonly (int Version, string Description, string Sql)[] _migrations;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private readonly ConcurrentDictionary<DateTimeOffset, bool> _knownPartitions = new();
    private volatile bool _initialized;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgresEvalKitStorage"/> class that owns its data source.</summary>
    /// <param name="connectionString">The Npgsql connection string, such as <c>Host=db;Database=evalkit;Username=evalkit</c>.</param>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public PostgresEvalKitStorage(string connectionString, ITenantContext? tenantContext = null)
        : this(new PostgresStorageOptions { ConnectionString = connectionString }, null, tenantContext)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresEvalKitStorage"/> class that owns its data source.</summary>
    /// <param name="options">The options; <see cref="PostgresStorageOptions.ConnectionString"/> is required.</param>
    /// <param name="timeProvider">The clock (for the metric partitions created ahead); <see cref="TimeProvider.System"/> when <see langword="null"/>. Not disposed by the store.</param>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is empty or invalid, or the schema name is not allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgresStorageOptions.MetricPartitionsAhead"/> is negative.</exception>
    public PostgresEvalKitStorage(PostgresStorageOptions options, TimeProvider? timeProvider = null, ITenantContext? tenantContext = null)
        : this(CreateDataSource(options), ownsDataSource: true, null, options, timeProvider, tenantContext)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresEvalKitStorage"/> class over the caller's data source.</summary>
    /// <param name="dataSource">The data source. It stays the caller's: the store never disposes it.</param>
    /// <param name="options">The options (schema, partitions); <see cref="PostgresStorageOptions.ConnectionString"/> is ignored. Defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock (for the metric partitions created ahead); <see cref="TimeProvider.System"/> when <see langword="null"/>. Not disposed by the store.</param>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema name is not allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgresStorageOptions.MetricPartitionsAhead"/> is negative.</exception>
    public PostgresEvalKitStorage(NpgsqlDataSource dataSource, PostgresStorageOptions? options = null, TimeProvider? timeProvider = null, ITenantContext? tenantContext = null)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), ownsDataSource: false, null, options ?? new PostgresStorageOptions(), timeProvider, tenantContext)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="PostgresEvalKitStorage"/> class over the caller's data sources: a primary
    /// for writes (and the reads that decide them), and a read replica for queries and reports (see
    /// <see cref="PostgresStorageOptions.ReadOnlyConnectionString"/> for which reads go where).
    /// </summary>
    /// <param name="dataSource">The primary's data source. It stays the caller's: the store never disposes it.</param>
    /// <param name="readDataSource">The read replica's data source (it may be the primary's, or a role that may only read). It stays the caller's: the store never disposes it.</param>
    /// <param name="options">The options (schema, partitions); the connection strings are ignored. Defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock (for the metric partitions created ahead); <see cref="TimeProvider.System"/> when <see langword="null"/>. Not disposed by the store.</param>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> or <paramref name="readDataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema name is not allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgresStorageOptions.MetricPartitionsAhead"/> is negative.</exception>
    public PostgresEvalKitStorage(
        NpgsqlDataSource dataSource, NpgsqlDataSource readDataSource, PostgresStorageOptions? options = null, TimeProvider? timeProvider = null, ITenantContext? tenantContext = null)
        : this(
            dataSource ?? throw new ArgumentNullException(nameof(dataSource)),
            ownsDataSource: false,
            readDataSource ?? throw new ArgumentNullException(nameof(readDataSource)),
            options ?? new PostgresStorageOptions(),
            timeProvider,
            tenantContext)
    {
    }

    private PostgresEvalKitStorage(
        NpgsqlDataSource dataSource, bool ownsDataSource, NpgsqlDataSource? readDataSource, PostgresStorageOptions options, TimeProvider? timeProvider, ITenantContext? tenantContext)
    {
        try
        {
            ArgumentOutOfRangeException.ThrowIfNegative(options.MetricPartitionsAhead, nameof(options));
            _s = PostgresValues.QuoteSchema(options.Schema, nameof(options));
            if (readDataSource is null && !string.IsNullOrWhiteSpace(options.ReadOnlyConnectionString))
            {
                readDataSource = CreateDataSource(options.ReadOnlyConnectionString, nameof(options), "read-only ");
                _ownsReadDataSource = true;
            }
        }
        catch when (ownsDataSource)
        {
            dataSource.Dispose();
            throw;
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _readDataSource = readDataSource;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _tenantContext = tenantContext ?? AmbientTenantContext.Instance;
        _partitionsAhead = options.MetricPartitionsAhead;
        Schema = options.Schema;
        _migrations = PostgresSchema.For(Schema);
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Database = builder.Database ?? builder.Username ?? "postgres";
        Server = $"{builder.Host ?? "localhost"}:{builder.Port.ToString(CultureInfo.InvariantCulture)}";
        if (readDataSource is not null)
        {
            var read = new NpgsqlConnectionStringBuilder(readDataSource.ConnectionString);
            ReadServer = $"{read.Host ?? "localhost"}:{read.Port.ToString(CultureInfo.InvariantCulture)}";
        }
        Models = new ModelStore(this);
        Datasets = new DatasetStore(this);
        Benchmarks = new BenchmarkStore(this);
        Runs = new RunStore(this);
        Results = new ResultStore(this);
        Metrics = new MetricStore(this);
        ResponseCache = new CacheStore(this);
        AbTests = new AbTestStore(this);
    }

    /// <summary>Gets the schema that holds the store's tables.</summary>
    public string Schema { get; }

    /// <summary>Gets the database name, as the connection string gives it.</summary>
    public string Database { get; }

    /// <summary>Gets the server, <c>host:port</c>, as the connection string gives it.</summary>
    public string Server { get; }

    /// <summary>Gets the read replica's server, <c>host:port</c>, or <see langword="null"/> when every read goes to the primary.</summary>
    public string? ReadServer { get; }

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
    public static int LatestSchemaVersion => PostgresSchema.LatestVersion;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _initializeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await MigrateAsync(cancellationToken).ConfigureAwait(false);
            var thisMonth = PostgresValues.MonthOf(_timeProvider.GetUtcNow());
            await EnsurePartitionsAsync(
                [.. Enumerable.Range(0, _partitionsAhead + 1).Select(thisMonth.AddMonths)], cancellationToken).ConfigureAwait(false);
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
    /// <exception cref="StorageException">The store cannot be opened or read.</exception>
    public async ValueTask<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        var versions = new List<int>();
        await foreach (var version in QueryAsync(
            "reading the schema version", $"SELECT version FROM {_s}.schema_version ORDER BY version", _ => { }, r => r.GetInt32(0), cancellationToken).ConfigureAwait(false))
        {
            versions.Add(version);
        }

        return versions;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _initializeLock.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsReadDataSource && _readDataSource is not null)
        {
            await _readDataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _initializeLock.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }

        if (_ownsReadDataSource)
        {
            _readDataSource?.Dispose();
        }
    }

    private static NpgsqlDataSource CreateDataSource(PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        return CreateDataSource(options.ConnectionString, nameof(options), string.Empty);
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString, string parameterName, string which)
    {
        try
        {
            return new NpgsqlDataSourceBuilder(connectionString).Build();
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the offending keyword, never a value, so no password can leak through it.
            throw new ArgumentException($"The PostgreSQL {which}connection string is invalid: {e.Message}", parameterName, e);
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await InTransactionCoreAsync("migrating the schema", async (connection, transaction) =>
        {
            // Every process that starts takes the same transaction-scoped advisory lock first, so processes starting
            // together apply each migration exactly once; the lock is released when this transaction ends.
            await CommandAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, hashtext($2))", p =>
            {
                p.Add(Int(PostgresSchema.LockClass));
                p.Add(Text(Schema));
            }, cancellationToken).ConfigureAwait(false);

            // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database even when the schema exists: look first,
            // so that a role without that privilege can use a schema an administrator made for it.
            var exists = await ScalarAsync(connection, transaction, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", p => p.Add(Text(Schema)), cancellationToken).ConfigureAwait(false);
            if (exists is not true)
            {
                await CommandAsync(connection, transaction, $"CREATE SCHEMA {_s}", _ => { }, cancellationToken).ConfigureAwait(false);
            }

            await CommandAsync(
                connection,
                transaction,
                $"CREATE TABLE IF NOT EXISTS {_s}.schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)",
                _ => { },
                cancellationToken).ConfigureAwait(false);

            var applied = new HashSet<int>();
            using (var command = new NpgsqlCommand($"SELECT version FROM {_s}.schema_version", connection, transaction))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        applied.Add(reader.GetInt32(0));
                    }
                }
            }

            var newest = _migrations[^1].Version;
            if (applied.Count > 0 && applied.Max() > newest)
            {
                throw new StorageException(
                    $"The PostgreSQL schema '{Schema}' in database '{Database}' on {Server} has schema version {applied.Max()}, newer than this EvalKit's {newest}; upgrade EvalKit.");
            }

            foreach (var (version, description, sql) in _migrations)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await CommandAsync(connection, transaction, sql, _ => { }, cancellationToken).ConfigureAwait(false);
                await CommandAsync(connection, transaction, $"INSERT INTO {_s}.schema_version (version, description, applied_at) VALUES ($1, $2, $3)", p =>
                {
                    p.Add(Int(version));
                    p.Add(Text(description));
                    p.Add(Timestamp(_timeProvider.GetUtcNow()));
                }, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the monthly <c>model_metrics</c> partitions of the given months that this store has not seen yet.</summary>
    private async ValueTask EnsurePartitionsAsync(IReadOnlyCollection<DateTimeOffset> months, CancellationToken cancellationToken)
    {
        var missing = months.Where(m => !_knownPartitions.ContainsKey(m)).Distinct().ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        // Each call runs in its own short transaction, so the partition lock it takes is not held while points are copied.
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await CommandAsync(connection, null, $"SELECT {_s}.ensure_model_metrics_partitions($1)", p => p.Add(new NpgsqlParameter
                {
                    NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
                    Value = missing,
                }), cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw Wrap("creating metric partitions", e);
            }
        }

        foreach (var month in missing)
        {
            _knownPartitions[month] = true;
        }
    }

    internal async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            // Names the server and the database, never the connection string: it may hold a password.
            throw new StorageException($"The PostgreSQL database '{Database}' on {Server} cannot be opened: {e.Message}", e);
        }
    }

    private async ValueTask<NpgsqlConnection> ReadyAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection for a report query: to the read replica, unless there is none or the flow requires the primary.</summary>
    private async ValueTask<NpgsqlConnection> ReadyForReadAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (_readDataSource is null || ReadConsistency.IsPrimaryRequired)
        {
            return await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            return await _readDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new StorageException($"The PostgreSQL read replica of database '{Database}' on {ReadServer} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>Gets the tenant of the current operation.</summary>
    private string Tenant => EvalKitTenant.Resolve(_tenantContext);

    private StorageException Wrap(string operation, Exception e) =>
        new($"PostgreSQL store '{Schema}' in database '{Database}' on {Server}: {operation} failed: {e.Message}", e);
}
