using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Storage.Postgres;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store; the store takes the clock and the <see cref="ITenantContext"/> from the container.</summary>
public static class PostgresStorageBuilderExtensions
{
    /// <summary>Replaces EvalKit's store with PostgreSQL; the store creates, owns and disposes its data source.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string, such as <c>Host=db;Database=evalkit;Username=evalkit</c>.</param>
    /// <param name="configure">Configures the other options (schema, partitions), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IEvalKitBuilder UsePostgresStorage(this IEvalKitBuilder builder, string connectionString, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgresStorage(o =>
        {
            configure?.Invoke(o);
            o.ConnectionString = connectionString;
        });
    }

    /// <summary>Replaces EvalKit's store with PostgreSQL; the store creates, owns and disposes its data source.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options; <see cref="PostgresStorageOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IEvalKitBuilder UsePostgresStorage(this IEvalKitBuilder builder, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresStorageOptions();
        configure(options);
        return builder.UseStorage(sp => new PostgresEvalKitStorage(options, sp.GetService<TimeProvider>(), sp.GetService<ITenantContext>()));
    }

    /// <summary>Replaces EvalKit's store with PostgreSQL over the caller's data source, which the store never disposes.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The data source; it stays the caller's.</param>
    /// <param name="configure">Configures the options (schema, partitions), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static IEvalKitBuilder UsePostgresStorage(this IEvalKitBuilder builder, NpgsqlDataSource dataSource, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgresStorage(_ => dataSource, configure);
    }

    /// <summary>
    /// Replaces EvalKit's store with PostgreSQL over the caller's data sources: the primary for writes, and a read replica for
    /// queries and reports (see <see cref="PostgresStorageOptions.ReadOnlyConnectionString"/>). The store disposes neither.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The primary's data source; it stays the caller's.</param>
    /// <param name="readDataSource">The read replica's data source; it stays the caller's.</param>
    /// <param name="configure">Configures the options (schema, partitions), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="dataSource"/> or <paramref name="readDataSource"/> is <see langword="null"/>.</exception>
    public static IEvalKitBuilder UsePostgresStorage(
        this IEvalKitBuilder builder, NpgsqlDataSource dataSource, NpgsqlDataSource readDataSource, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(readDataSource);
        var options = new PostgresStorageOptions();
        configure?.Invoke(options);
        return builder.UseStorage(sp => new PostgresEvalKitStorage(dataSource, readDataSource, options, sp.GetService<TimeProvider>(), sp.GetService<ITenantContext>()));
    }

    /// <summary>
    /// Replaces EvalKit's store with PostgreSQL over a data source resolved from the container, such as
    /// <c>sp =&gt; sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>; the store never disposes it (its registration owns it).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSourceFactory">Resolves the data source.</param>
    /// <param name="configure">Configures the options (schema, partitions), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSourceFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The factory returned <see langword="null"/> (thrown when the store is resolved).</exception>
    public static IEvalKitBuilder UsePostgresStorage(
        this IEvalKitBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSourceFactory, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSourceFactory);
        var options = new PostgresStorageOptions();
        configure?.Invoke(options);
        return builder.UseStorage(sp => new PostgresEvalKitStorage(
            dataSourceFactory(sp) ?? throw new InvalidOperationException("The NpgsqlDataSource factory passed to UsePostgresStorage returned null; return a data source."),
            options,
            sp.GetService<TimeProvider>(),
            sp.GetService<ITenantContext>()));
    }
}
