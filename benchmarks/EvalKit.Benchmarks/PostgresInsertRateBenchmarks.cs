using BenchmarkDotNet.Attributes;
using EvalKit.Storage;
using EvalKit.Storage.Postgres;
using Npgsql;

namespace EvalKit.Benchmarks;

/// <summary>
/// The PostgreSQL provider's result insert rate against the server's own: <see cref="ServerInsertSelect"/> writes the
/// same rows with one <c>INSERT ... SELECT FROM generate_series</c> (no client, no network per row). The server comes from
/// <c>EVALKIT_BENCH_POSTGRES</c> (or <c>EVALKIT_TEST_POSTGRES</c>); the benchmark works in a schema of its own and drops it.
/// </summary>
public class PostgresInsertRateBenchmarks : InsertRateBenchmarks
{
    private string _connectionString = string.Empty;
    private string _schema = string.Empty;

    /// <summary>The server's own rate: one INSERT ... SELECT FROM generate_series of the same rows.</summary>
    /// <returns>The rows written.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public async Task<int> ServerInsertSelect()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO "{_schema}".evaluation_results (tenant_id, run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks, ttft_ticks,
                input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at, completed_at_ns100)
            SELECT 'default', $1, i, 0, 'case-' || i, 'g' || (i % 10), 'answer ' || i, $2::json, 1234, NULL, 12, 3, NULL, NULL, NULL, 0, false, $3, 0
            FROM generate_series(0, $4 - 1) AS i
            ON CONFLICT DO NOTHING
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RunId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ScoresJson });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = CompletedAt });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Rows });
        return Checked(await command.ExecuteNonQueryAsync());
    }

    /// <inheritdoc/>
    protected override Task<IEvalKitStorage> OpenAsync()
    {
        _connectionString = Environment.GetEnvironmentVariable("EVALKIT_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("EVALKIT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Set EVALKIT_BENCH_POSTGRES to the connection string of a PostgreSQL server where the benchmark may create a schema.");
        _schema = "evalkit_bench_" + Guid.NewGuid().ToString("n")[..12];
        return Task.FromResult<IEvalKitStorage>(new PostgresEvalKitStorage(new PostgresStorageOptions { ConnectionString = _connectionString, Schema = _schema }));
    }

    /// <inheritdoc/>
    protected override async Task RemoveAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
