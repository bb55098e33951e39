using System.Globalization;
using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Serialization;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests.Worker;

/// <summary>
/// Evaluates, resumes and summarizes runs in a SQLite file, so that a test can kill it hard mid-run. Commands:
/// <c>evaluate &lt;dbPath&gt; &lt;runId&gt; &lt;cases&gt; &lt;repetitions&gt; [--hang-at import|start]</c>,
/// <c>resume &lt;dbPath&gt; &lt;runId&gt;</c> and <c>summary &lt;dbPath&gt; &lt;runId&gt;</c>.
/// </summary>
/// <remarks>
/// Standard output carries the protocol: <c>started</c> once the run has stored <see cref="StartedAfter"/> results (or all of them if fewer),
/// <c>importing</c> or <c>running</c> when hanging on purpose, <c>evaluated N</c> (distinct (case, repetition) pairs sent to the model),
/// and last the run's summary as one line of JSON.
/// </remarks>
internal static class Program
{
    public const string ModelId = "local/deterministic";
    public const string DatasetName = "kill-resume";
    public const string DatasetVersion = "1";
    public const long BaseSeed = 1_000;
    public const long StartedAfter = 2_000;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["evaluate", var db, var runId, var cases, var repetitions] => await EvaluateAsync(db, runId, Parse(cases), Parse(repetitions), hangAt: null),
                ["evaluate", var db, var runId, var cases, var repetitions, "--hang-at", var hangAt] => await EvaluateAsync(db, runId, Parse(cases), Parse(repetitions), hangAt),
                ["resume", var db, var runId] => await ResumeAsync(db, runId),
                ["summary", var db, var runId] => await SummaryAsync(db, runId),
                ["enqueue", var db, var runId, var cases, var repetitions, var shardSize] => await EnqueueAsync(db, runId, Parse(cases), Parse(repetitions), Parse(shardSize)),
                ["work", var db, var runId, var startedAfter] => await WorkAsync(db, runId, Parse(startedAfter), hang: false),
                ["work", var db, var runId, var startedAfter, "--hang"] => await WorkAsync(db, runId, Parse(startedAfter), hang: true),
                _ => Usage(),
            };
        }
#pragma warning disable CA1031 // The worker reports every failure by its exit code and standard error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync(e.ToString());
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine(
            "usage: evaluate <dbPath> <runId> <cases> <repetitions> [--hang-at import|start] | resume <dbPath> <runId> | summary <dbPath> <runId>" +
            " | enqueue <dbPath> <runId> <cases> <repetitions> <shardSize> | work <dbPath> <runId> <startedAfter> [--hang]");
        return 2;
    }

    private static int Parse(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static async Task<int> EvaluateAsync(string db, string runId, int caseCount, int repetitions, string? hangAt)
    {
        if (hangAt is not (null or "import" or "start"))
        {
            return Usage();
        }

        var model = new DeterministicModel();
        await using var kit = CreateHost(db, model, hangAt == "start" ? [new HangOnStart()] : []);
        await RegisterAsync(kit);
        var dataset = await kit.Datasets.ImportAsync(DatasetName, DatasetVersion, CasesAsync(caseCount, hangAt == "import"), "kill and resume");
        var run = await kit.Engine.EvaluateAsync(Request(runId, dataset.Id, repetitions), new StartedReporter(Math.Min(StartedAfter, (long)caseCount * repetitions)));
        return Report(run, model);
    }

    private static async Task<int> EnqueueAsync(string db, string runId, int caseCount, int repetitions, int shardSize)
    {
        await using var kit = CreateHost(db, new DeterministicModel(), []);
        await RegisterAsync(kit);
        var dataset = await kit.Datasets.ImportAsync(DatasetName, DatasetVersion, CasesAsync(caseCount, hangHalfway: false), "distributed");
        var run = await kit.Engine.EnqueueAsync(Request(runId, dataset.Id, repetitions), new DistributedRunOptions { ShardSize = shardSize });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enqueued {run.TotalCount}"));
        return 0;
    }

    // One of several worker processes on a distributed run: short leases so that a killed worker's shard is taken over
    // within a second or two. Prints "started" once this process has asked the model about startedAfter cases.
    private static async Task<int> WorkAsync(string db, string runId, int startedAfter, bool hang)
    {
        var model = new DeterministicModel { StartedAfter = startedAfter, HangAfterStarted = hang };
        await using var kit = CreateHost(db, model, []);
        var report = await kit.Engine.RunWorkerAsync(runId, new WorkerOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            HeartbeatInterval = TimeSpan.FromMilliseconds(400),
            PollInterval = TimeSpan.FromMilliseconds(200),
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluated {model.Evaluated}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shards {report.ShardsCompleted} written {report.ResultsWritten} lost {report.LeasesLost} finalized {report.RunsFinalized.Count}"));
        var run = await kit.Engine.GetResultsAsync(runId);
        Console.WriteLine(JsonSerializer.Serialize(run.Summary, EvalKitJsonContext.Default.EvaluationSummary));
        return run.Run.Status == RunStatus.Completed ? 0 : 3;
    }

    private static EvaluationRequest Request(string runId, string datasetId, int repetitions) => new()
    {
        ModelId = ModelId,
        DatasetId = datasetId,
        RunId = runId,
        ScorerNames = [ExactMatchScorer.DefaultName, NumericScorer.DefaultName],
        Options = new EvaluationOptions { MaxConcurrency = 8, Repetitions = repetitions, MaxRetries = 2, Seed = BaseSeed },
    };

    private static async Task RegisterAsync(EvalKitHost kit)
    {
        if (await kit.Registry.GetAsync(ModelId) is null)
        {
            try
            {
                await kit.Registry.RegisterAsync(new ModelDescriptor
                {
                    Id = ModelId,
                    DisplayName = "Deterministic fake",
                    Provider = "local",
                    Pricing = new ModelPricing { InputPerMillionTokens = 0.15m, OutputPerMillionTokens = 0.60m },
                });
            }
            catch (EvalKit.EvalKitException)
            {
                // Another process registered it between the check and the write (several workers start at once).
                _ = await kit.Registry.GetAsync(ModelId) ?? throw new InvalidOperationException($"Model '{ModelId}' could not be registered.");
            }
        }
    }

    private static async Task<int> ResumeAsync(string db, string runId)
    {
        var model = new DeterministicModel();
        await using var kit = CreateHost(db, model, []);
        var run = await kit.Engine.ResumeAsync(runId);
        return Report(run, model);
    }

    private static async Task<int> SummaryAsync(string db, string runId)
    {
        await using var kit = CreateHost(db, new DeterministicModel(), []);
        var results = await kit.Engine.GetResultsAsync(runId);
        Console.WriteLine(JsonSerializer.Serialize(results.Summary, EvalKitJsonContext.Default.EvaluationSummary));
        return 0;
    }

    private static int Report(EvaluationRun run, DeterministicModel model)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluated {model.Evaluated}"));
        Console.WriteLine(JsonSerializer.Serialize(run.Summary!, EvalKitJsonContext.Default.EvaluationSummary));
        return run.Status == RunStatus.Completed ? 0 : 3;
    }

    private static EvalKitHost CreateHost(string db, DeterministicModel model, IEnumerable<IEvaluationObserver> observers) =>
        EvalKitHost.Create(
            o => o.RetryBaseDelay = TimeSpan.Zero,
            OpenStorage(db),
            new ModelClientMap().Add(ModelId, model),
            [new NumericScorer()],
            observers: observers);

    // A SQLite file path, or "postgres|<schema>|<connection string>" for a schema on a PostgreSQL server.
    private static IEvalKitStorage OpenStorage(string db) =>
        db.Split('|', 3) is ["postgres", var schema, var connectionString]
            ? new Postgres.PostgresEvalKitStorage(new Postgres.PostgresStorageOptions { ConnectionString = connectionString, Schema = schema })
            : new SqliteEvalKitStorage(new SqliteConnectionStringBuilder { DataSource = db }.ToString());

    private static async IAsyncEnumerable<EvalCase> CasesAsync(int count, bool hangHalfway)
    {
        for (var i = 0; i < count; i++)
        {
            if (hangHalfway && i == count / 2)
            {
                // The import transaction is open and holds half of the cases: the test kills the process here.
                Console.WriteLine("importing");
                await Task.Delay(Timeout.Infinite);
            }

            var text = i.ToString(CultureInfo.InvariantCulture);
            yield return new EvalCase
            {
                Id = $"case-{text}",
                Input = $"Case {text}: what is {text} + {text}?",
                References = [(2L * i).ToString(CultureInfo.InvariantCulture)],
                Group = $"g{i % 50}",
            };
        }
    }

    /// <summary>Prints <c>started</c> once, when the run has stored enough results.</summary>
    private sealed class StartedReporter(long threshold) : IProgress<EvaluationProgress>
    {
        private int _printed;

        public void Report(EvaluationProgress value)
        {
            if (value.Done >= threshold && Interlocked.Exchange(ref _printed, 1) == 0)
            {
                Console.WriteLine("started");
            }
        }
    }

    /// <summary>Stops the run after it is marked running and before any case is evaluated.</summary>
    private sealed class HangOnStart : IEvaluationObserver
    {
        public async ValueTask OnRunEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
        {
            if (runEvent.Kind == RunEventKind.Started)
            {
                Console.WriteLine("running");
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}
