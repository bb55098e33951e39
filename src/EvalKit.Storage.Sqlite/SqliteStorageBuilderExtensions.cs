using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite store.</summary>
public static class SqliteStorageBuilderExtensions
{
    /// <summary>Replaces EvalKit's store with SQLite.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, such as <c>Data Source=evalkit.db</c>.</param>
    /// <returns>The builder.</returns>
    public static IEvalKitBuilder UseSqliteStorage(this IEvalKitBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseSqliteStorage(o => o.ConnectionString = connectionString);
    }

    /// <summary>Replaces EvalKit's store with SQLite; the store takes the <see cref="ITenantContext"/> from the container.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEvalKitBuilder UseSqliteStorage(this IEvalKitBuilder builder, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteStorageOptions();
        configure(options);
        return builder.UseStorage(sp => new SqliteEvalKitStorage(options, sp.GetService<ITenantContext>()));
    }
}
