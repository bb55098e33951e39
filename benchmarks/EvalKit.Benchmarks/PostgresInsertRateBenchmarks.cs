using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Serialization;
using EvalKit.Storage.Postgres;
using Npgsql;

namespace EvalKit.Benchmarks;

/// <summary>
/// The PostgreSQL provider's result insert rate against the server's own: <see cref="ServerInsertSelect"/> writes 20,000
/// rows with one <c>INSERT ... SELECT FROM generate_series</c> (no client, no network per row); <see cref="ProviderAppend"/>
/// writes the same rows through <c>IResultStorage.AppendAsync</c> in the engine's batches of 512 (binary COPY into a
/// staging table, then <c>INSERT ... ON CONFLICT DO NOTHING</c>). The server comes from <c>EVALKIT_BENCH_POSTGRES</c> (or
/// <c>EVALKIT_TEST_POSTGRES</c>); the benchmark works in a schema of its own and drops it afterwards. One operation is one row.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 5, iterationCount: 10)]
public class PostgresInsertRateBenchmarks
{
    /// <summary>The rows per iteration.</summary>
    public const int Rows = 20_000;

    private const int Batch = 512;

    private string _connectionString = string.Empty;
    private string _schema = string.Empty;
    private PostgresEvalKitStorage? _storage;
    private string _scores = string.Empty;
    private CaseResult[] _results = [];
    private string _runId = string.Empty;
    private int _iteration;

    /// <summary>Creates the store in a fresh schema.</summary>
    /// <returns>A task that completes when the store is ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _connectionString = Environment.GetEnvironmentVariable("EVALKIT_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("EVALKIT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Set EVALKIT_BENCH_POSTGRES to the connection string of a PostgreSQL server where the benchmark may create a schema.");
        _schema = "evalkit_bench_" + Guid.NewGuid().ToString("n")[..12];
        _storage = new PostgresEvalKitStorage(new PostgresStorageOptions { ConnectionString = _connectionString, Schema = _schema });
        await _storage.InitializeAsync();
        _scores = JsonSerializer.Serialize([Score.FromPass(ExactMatchScorer.DefaultName, true)], EvalKitJsonContext.Default.ListScore);
    }

    /// <summary>Drops the schema.</summary>
    /// <returns>A task that completes when the schema is gone.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Stores a fresh run and builds its results (outside the measurement).</summary>
    [IterationSetup]
    public void NewRun()
    {
        _runId = string.Create(CultureInfo.InvariantCulture, $"insert-{_iteration++}");
        _storage!.Runs.TryAddAsync(new EvaluationRun
        {
            Id = _runId,
            ModelId = "bench/model",
            DatasetId = "bench@1",
            Options = new EvaluationOptions(),
            Status = RunStatus.Running,
            TotalCount = Rows,
        }).AsTask().GetAwaiter().GetResult();
        _results = SqliteInsertRateBenchmarks.Results(_runId, Rows);
    }

    /// <summary>The server's own rate: one INSERT ... SELECT FROM generate_series of the same rows.</summary>
    /// <returns>The rows written.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public async Task<int> ServerInsertSelect()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO "{_schema}".evaluation_results (run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks, ttft_ticks,
                input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at, completed_at_ns100)
            SELECT $1, i, 0, 'case-' || i, 'g' || (i % 10), 'answer ' || i, $2::json, 1234, NULL, 12, 3, NULL, NULL, NULL, 0, false, $3, 0
            FROM generate_series(0, $4 - 1) AS i
            ON CONFLICT DO NOTHING
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _runId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _scores });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Rows });
        var written = await command.ExecuteNonQueryAsync();
        return written == Rows ? written : throw new InvalidOperationException($"Wrote {written} rows, expected {Rows}.");
    }

    /// <summary>The provider: <c>AppendAsync</c> in batches of 512, as the engine writes.</summary>
    /// <returns>The rows written.</returns>
    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task<int> ProviderAppend()
    {
        var written = 0;
        for (var from = 0; from < Rows; from += Batch)
        {
            written += await _storage!.Results.AppendAsync(new ArraySegment<CaseResult>(_results, from, Math.Min(Batch, Rows - from)));
        }

        return written == Rows ? written : throw new InvalidOperationException($"Wrote {written} rows, expected {Rows}.");
    }
}
