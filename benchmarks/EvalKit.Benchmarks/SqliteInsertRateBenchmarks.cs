using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Serialization;
using EvalKit.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EvalKit.Benchmarks;

/// <summary>
/// The SQLite provider's result insert rate against SQLite's own: <see cref="InEngineInsertSelect"/> writes the same
/// 20,000 rows with one <c>INSERT ... SELECT</c> from a recursive CTE inside the engine (no statement per row, no
/// binding, no managed code per row), the fastest way SQLite can store them; <see cref="ProviderAppend"/> writes them
/// through <c>IResultStorage.AppendAsync</c> in the engine's batches of 512 (one transaction per batch). Each iteration
/// writes a fresh run into the same file. One operation is one row.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 5, iterationCount: 10)]
public class SqliteInsertRateBenchmarks
{
    /// <summary>The rows per iteration.</summary>
    public const int Rows = 20_000;

    private const int Batch = 512;

    private string _directory = string.Empty;
    private string _connectionString = string.Empty;
    private SqliteEvalKitStorage? _storage;
    private string _scores = string.Empty;
    private CaseResult[] _results = [];
    private string _runId = string.Empty;
    private int _iteration;

    /// <summary>Creates the store.</summary>
    /// <returns>A task that completes when the store is ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("evalkit-insert-").FullName;
        _connectionString = $"Data Source={Path.Combine(_directory, "evalkit.db")}";
        _storage = new SqliteEvalKitStorage(_connectionString);
        await _storage.InitializeAsync();
        _scores = JsonSerializer.Serialize([Score.FromPass(ExactMatchScorer.DefaultName, true)], EvalKitJsonContext.Default.ListScore);
    }

    /// <summary>Deletes the file.</summary>
    /// <returns>A task that completes when the file is gone.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
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
        _results = Results(_runId, Rows);
    }

    /// <summary>The results both insert benchmarks write: one per case, as an exact-match run stores them.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="rows">The number of results.</param>
    /// <returns>The results.</returns>
    internal static CaseResult[] Results(string runId, int rows)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var results = new CaseResult[rows];
        for (var i = 0; i < rows; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            results[i] = new CaseResult
            {
                RunId = runId,
                CaseOrdinal = i,
                CaseId = "case-" + text,
                Group = "g" + (i % 10).ToString(CultureInfo.InvariantCulture),
                Output = "answer " + text,
                Scores = [Score.FromPass(ExactMatchScorer.DefaultName, true)],
                Latency = TimeSpan.FromTicks(1234),
                InputTokens = 12,
                OutputTokens = 3,
                CompletedAt = at,
            };
        }

        return results;
    }

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
            INSERT OR IGNORE INTO evaluation_results (run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks,
                input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at)
            SELECT $run, i, 0, 'case-' || i, 'g' || (i % 10), 'answer ' || i, $scores, 1234, 12, 3, NULL, NULL, NULL, 0, 0, $at FROM n
            """;
        command.Parameters.AddWithValue("$rows", Rows);
        command.Parameters.AddWithValue("$run", _runId);
        command.Parameters.AddWithValue("$scores", _scores);
        command.Parameters.AddWithValue("$at", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks);
        var written = command.ExecuteNonQuery();
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
