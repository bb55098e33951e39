using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Serialization;
using EvalKit.Storage;

namespace EvalKit.Benchmarks;

/// <summary>
/// A provider's result insert rate against its database's own: a derived class supplies the store and the baseline that
/// writes the same <see cref="Rows"/> rows with one <c>INSERT ... SELECT</c> inside the database; <see cref="ProviderAppend"/>
/// writes them through <c>IResultStorage.AppendAsync</c> in the engine's batches of 512. Each iteration writes a fresh run.
/// One operation is one row.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 5, iterationCount: 10)]
public abstract class InsertRateBenchmarks
{
    /// <summary>The rows per iteration.</summary>
    public const int Rows = 20_000;

    private const int Batch = 512;

    private CaseResult[] _results = [];
    private int _iteration;

    /// <summary>Gets the store under test.</summary>
    protected IEvalKitStorage Storage { get; private set; } = null!;

    /// <summary>Gets the current iteration's run.</summary>
    protected string RunId { get; private set; } = string.Empty;

    /// <summary>Gets the scores every row stores, as JSON.</summary>
    protected static string ScoresJson { get; } = JsonSerializer.Serialize([Score.FromPass(ExactMatchScorer.DefaultName, true)], EvalKitJsonContext.Default.ListScore);

    /// <summary>Gets the completion time every row stores.</summary>
    protected static DateTimeOffset CompletedAt { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Creates the store.</summary>
    /// <returns>A task that completes when the store is ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        Storage = await OpenAsync();
        await Storage.InitializeAsync();
    }

    /// <summary>Disposes of the store and removes what it left.</summary>
    /// <returns>A task that completes when it is done.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await Storage.DisposeAsync();
        await RemoveAsync();
    }

    /// <summary>Stores a fresh run and builds its results (outside the measurement).</summary>
    [IterationSetup]
    public void NewRun()
    {
        RunId = string.Create(CultureInfo.InvariantCulture, $"insert-{_iteration++}");
        Storage.Runs.TryAddAsync(new EvaluationRun
        {
            Id = RunId,
            ModelId = "bench/model",
            DatasetId = "bench@1",
            Options = new EvaluationOptions(),
            Status = RunStatus.Running,
            TotalCount = Rows,
        }).AsTask().GetAwaiter().GetResult();
        _results = new CaseResult[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            _results[i] = new CaseResult
            {
                RunId = RunId,
                CaseOrdinal = i,
                CaseId = "case-" + text,
                Group = "g" + (i % 10).ToString(CultureInfo.InvariantCulture),
                Output = "answer " + text,
                Scores = [Score.FromPass(ExactMatchScorer.DefaultName, true)],
                Latency = TimeSpan.FromTicks(1234),
                InputTokens = 12,
                OutputTokens = 3,
                CompletedAt = CompletedAt,
            };
        }
    }

    /// <summary>The provider: <c>AppendAsync</c> in batches of 512, as the engine writes.</summary>
    /// <returns>The rows written.</returns>
    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task<int> ProviderAppend()
    {
        var written = 0;
        for (var from = 0; from < Rows; from += Batch)
        {
            written += await Storage.Results.AppendAsync(new ArraySegment<CaseResult>(_results, from, Math.Min(Batch, Rows - from)));
        }

        return Checked(written);
    }

    /// <summary>Checks that an iteration wrote every row once.</summary>
    /// <param name="written">The rows written.</param>
    /// <returns><paramref name="written"/>.</returns>
    protected static int Checked(int written) =>
        written == Rows ? written : throw new InvalidOperationException($"Wrote {written} rows, expected {Rows}.");

    /// <summary>Opens the store under test.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IEvalKitStorage> OpenAsync();

    /// <summary>Removes the files or schema the store used.</summary>
    /// <returns>A task that completes when they are gone.</returns>
    protected abstract Task RemoveAsync();
}
