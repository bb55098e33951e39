using BenchmarkDotNet.Attributes;
using EvalKit.Storage;
using EvalKit.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EvalKit.Benchmarks;

/// <summary>
/// The SQLite provider's result insert rate against SQLite's own: <see cref="InEngineInsertSelect"/> writes the same rows
/// with one <c>INSERT ... SELECT</c> from a recursive CTE inside the engine (no statement per row, no binding, no managed
/// code per row), the fastest way SQLite can store them.
/// </summary>
public class SqliteInsertRateBenchmarks : InsertRateBenchmarks
{
    private string _directory = string.Empty;
    private string _connectionString = string.Empty;

    /// <summary>SQLite's own rate: one INSERT ... SELECT over a recursive CTE of the same rows.</summary>
    /// <returns>The rows written.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public int InEngineInsertSelect()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            pragma.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $rows - 1)
            INSERT OR IGNORE INTO evaluation_results (tenant_id, run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks,
                input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at)
            SELECT 'default', $run, i, 0, 'case-' || i, 'g' || (i % 10), 'answer ' || i, $scores, 1234, 12, 3, NULL, NULL, NULL, 0, 0, $at FROM n
            """;
        command.Parameters.AddWithValue("$rows", Rows);
        command.Parameters.AddWithValue("$run", RunId);
        command.Parameters.AddWithValue("$scores", ScoresJson);
        command.Parameters.AddWithValue("$at", CompletedAt.UtcTicks);
        return Checked(command.ExecuteNonQuery());
    }

    /// <inheritdoc/>
    protected override Task<IEvalKitStorage> OpenAsync()
    {
        _directory = Directory.CreateTempSubdirectory("evalkit-insert-").FullName;
        _connectionString = $"Data Source={Path.Combine(_directory, "evalkit.db")}";
        return Task.FromResult<IEvalKitStorage>(new SqliteEvalKitStorage(_connectionString));
    }

    /// <inheritdoc/>
    protected override Task RemoveAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
