using Npgsql;

namespace EvalKit.Storage.Postgres.Tests;

/// <summary>
/// A fresh, uniquely named schema on the test server for one test, dropped (with everything in it) afterwards.
/// The server comes from <c>EVALKIT_TEST_POSTGRES</c>; without it the test skips, or fails under CI.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    public const string Variable = "EVALKIT_TEST_POSTGRES";

    public PostgresTestSchema()
    {
        ConnectionString = RequireServer();
        Name = $"evalkit_test_{Guid.NewGuid():N}"[..40];
    }

    public string ConnectionString { get; }

    public string Name { get; }

    /// <summary>The connection string of the test server; skips the test (or fails it under CI) when none is configured.</summary>
    public static string RequireServer()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(
                $"{Variable} is not set, and under CI the PostgreSQL tests must run, not skip: CI must provide a server. "
                + $".ci/run starts a throwaway one and sets {Variable}; a CI that runs the tests another way must do the same.");
        }

        Assert.Skip(
            $"No PostgreSQL server: set {Variable} to the connection string of a server where the tests may create and drop schemas, "
            + $"e.g. {Variable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres\".");
        return string.Empty;
    }

    public PostgresEvalKitStorage Open(Action<PostgresStorageOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new PostgresStorageOptions { ConnectionString = ConnectionString, Schema = Name };
        configure?.Invoke(options);
        return new PostgresEvalKitStorage(options, timeProvider);
    }

    public async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is DBNull ? null : value;
    }

    public async Task<List<string>> StringsAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        // The name is generated above (lower-case letters, digits, underscores): safe to quote into DDL.
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
