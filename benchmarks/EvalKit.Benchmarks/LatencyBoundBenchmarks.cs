using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace EvalKit.Benchmarks;

/// <summary>
/// A latency-bound run: a model that takes 20 ms per call, 10,000 cases in the in-memory store, 256 calls in flight.
/// The ideal is 256 / 20 ms = 12,800 cases per second (0.78 s per run); "Op/s" is cases per second.
/// <see cref="DelayOnly"/> is the same 256-way concurrency over the bare client (no engine), which shows what the
/// timer itself allows on this machine. <see cref="EngineOnSqlite"/> stores the results in a SQLite file (the embedded
/// default) instead of memory.
/// </summary>
/// <remarks>
/// 10,000 cases over 256 workers take 40 rounds of 20 ms (the last with 16 calls), so no caller can beat 800 ms, 12,500
/// cases per second (97.7% of the ideal). The in-memory store keeps every result of every iteration on the heap, so its
/// collections would copy a growing set of survivors from iteration to iteration; each iteration's run is deleted after it
/// (not measured), so that every iteration starts from the same heap and the same file.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 40)]
public class LatencyBoundBenchmarks
{
    /// <summary>The number of cases in the dataset (one operation each).</summary>
    public const int Cases = 10_000;

    /// <summary>The number of model calls in flight.</summary>
    public const int Concurrency = 256;

    private const string ModelId = "bench/slow";
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(20);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evalkit-latency-" + Guid.NewGuid().ToString("N"));
    private EvalKitHost? _host;
    private EvalKitHost? _sqliteHost;
    private FixedLatencyChatClient? _client;
    private string _datasetId = string.Empty;
    private string _sqliteDatasetId = string.Empty;
    private (EvalKitHost Host, string RunId)? _last;

    /// <summary>Registers the model and imports the dataset into the in-memory store and into a SQLite file.</summary>
    /// <returns>A task that completes when the stores are ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _client = new FixedLatencyChatClient(Latency);
        _host = EvalKitHost.Create(clients: new ModelClientMap().Add(ModelId, _client));
        _datasetId = await PrepareAsync(_host);
        Directory.CreateDirectory(_directory);
        var sqlite = new SqliteEvalKitStorage("Data Source=" + Path.Combine(_directory, "latency.db"));
        _sqliteHost = EvalKitHost.Create(storage: sqlite, clients: new ModelClientMap().Add(ModelId, _client));
        _sqliteDatasetId = await PrepareAsync(_sqliteHost);

        static async Task<string> PrepareAsync(EvalKitHost host)
        {
            await host.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId });
            var cases = Enumerable.Range(0, Cases).Select(i => new EvalCase
            {
                Id = $"case-{i}",
                Input = CaseInput.FromText($"Say ok ({i})."),
                References = ["ok"],
            });
            return (await host.Datasets.ImportAsync(new Dataset("latency-bench", "1", cases))).Id;
        }
    }

    /// <summary>Disposes the host.</summary>
    /// <returns>A task that completes when the host is disposed.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_sqliteHost is not null)
        {
            await _sqliteHost.DisposeAsync();
        }

        _client?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>256 plain workers calling the 20 ms client 10,000 times in all: what the timer allows.</summary>
    /// <returns>The number of calls.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Cases)]
    public async Task<int> DelayOnly()
    {
        var next = -1;
        var client = _client!;
        var workers = new Task[Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < Cases)
                {
                    await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Say ok.")]);
                }
            });
        }

        await Task.WhenAll(workers);
        return Cases;
    }

    /// <summary>The engine: a fresh run over the 10,000 cases with 256 calls in flight.</summary>
    /// <returns>The completed run.</returns>
    [Benchmark(OperationsPerInvoke = Cases)]
    public Task<EvaluationRun> Engine() => RunAsync(_host!, _datasetId);

    /// <summary>The engine with the results stored in a SQLite file.</summary>
    /// <returns>The completed run.</returns>
    [Benchmark(OperationsPerInvoke = Cases)]
    public Task<EvaluationRun> EngineOnSqlite() => RunAsync(_sqliteHost!, _sqliteDatasetId);

    /// <summary>Deletes the iteration's run and its results (not measured).</summary>
    [IterationCleanup]
    public void DeleteLastRun()
    {
        if (_last is { } last)
        {
            last.Host.Storage.Retention.DeleteRunAsync(last.RunId).AsTask().GetAwaiter().GetResult();
            _last = null;
        }
    }

    private async Task<EvaluationRun> RunAsync(EvalKitHost host, string datasetId)
    {
        var run = await host.Engine.EvaluateAsync(new EvaluationRequest
        {
            ModelId = ModelId,
            DatasetId = datasetId,
            Options = new EvaluationOptions { MaxConcurrency = Concurrency },
        });
        _last = (host, run.Id);
        return run.Summary?.Total == Cases ? run : throw new InvalidOperationException($"Run {run.Id} ended {run.Status} with {run.Summary?.Total} results.");
    }
}
