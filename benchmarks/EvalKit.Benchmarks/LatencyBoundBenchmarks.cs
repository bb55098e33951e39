using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using Microsoft.Extensions.AI;

namespace EvalKit.Benchmarks;

/// <summary>
/// A latency-bound run: a model that takes 20 ms per call, 10,000 cases in the in-memory store, 256 calls in flight.
/// The ideal is 256 / 20 ms = 12,800 cases per second (0.78 s per run); "Op/s" is cases per second.
/// <see cref="DelayOnly"/> is the same 256-way concurrency over the bare client (no engine), which shows what the
/// timer itself allows on this machine.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class LatencyBoundBenchmarks
{
    /// <summary>The number of cases in the dataset (one operation each).</summary>
    public const int Cases = 10_000;

    /// <summary>The number of model calls in flight.</summary>
    public const int Concurrency = 256;

    private const string ModelId = "bench/slow";
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(20);

    private EvalKitHost? _host;
    private FixedLatencyChatClient? _client;
    private string _datasetId = string.Empty;

    /// <summary>Registers the model and imports the dataset into the in-memory store.</summary>
    /// <returns>A task that completes when the store is ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _client = new FixedLatencyChatClient(Latency);
        _host = EvalKitHost.Create(clients: new ModelClientMap().Add(ModelId, _client));
        await _host.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId });
        var cases = Enumerable.Range(0, Cases).Select(i => new EvalCase
        {
            Id = $"case-{i}",
            Input = CaseInput.FromText($"Say ok ({i})."),
            References = ["ok"],
        });
        _datasetId = (await _host.Datasets.ImportAsync(new Dataset("latency-bench", "1", cases))).Id;
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

        _client?.Dispose();
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
    public async Task<EvaluationRun> Engine()
    {
        var run = await _host!.Engine.EvaluateAsync(new EvaluationRequest
        {
            ModelId = ModelId,
            DatasetId = _datasetId,
            Options = new EvaluationOptions { MaxConcurrency = Concurrency },
        });
        return run.Summary?.Total == Cases ? run : throw new InvalidOperationException($"Run {run.Id} ended {run.Status} with {run.Summary?.Total} results.");
    }
}
