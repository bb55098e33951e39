using System.Diagnostics;
using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Postgres;
using EvalKit.Storage.Sqlite;
using Microsoft.Extensions.AI;

namespace EvalKit.Samples.Workers;

/// <summary>The sample's two roles: the coordinator that enqueues the run and starts the workers, and a worker.</summary>
public static class Workers
{
    /// <summary>The model every worker evaluates.</summary>
    public const string ModelId = "local/adder";

    /// <summary>The cases in the run.</summary>
    public const int Cases = 3_000;

    /// <summary>The cases per shard.</summary>
    public const int ShardSize = 250;

    /// <summary>The number of worker processes.</summary>
    public const int WorkerCount = 3;

    /// <summary>A store description for a SQLite file (passed to the workers on their command line).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The description.</returns>
    public static string SqliteStore(string path) => "sqlite|" + path;

    /// <summary>A store description for a PostgreSQL database.</summary>
    /// <param name="connectionString">The connection string (passed to the worker processes on their command line; use trust or a password file rather than a password in it).</param>
    /// <returns>The description.</returns>
    public static string PostgresStore(string connectionString) => "postgres|" + connectionString;

    /// <summary>The command that starts this program again: the executable and the arguments before <c>worker</c>.</summary>
    /// <returns>The command.</returns>
    public static (string FileName, string[] Arguments) ThisProgram()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var assembly = typeof(Workers).Assembly.Location;
        if (System.Reflection.Assembly.GetEntryAssembly() == typeof(Workers).Assembly && Path.GetFileNameWithoutExtension(process) != "dotnet")
        {
            return (process, []);
        }

        // Run through the dotnet host: this program was started by "dotnet", or its code runs inside another host (a test).
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        return (dotnet, [assembly]);
    }

    /// <summary>Enqueues the run, starts the worker processes, waits for them and prints what each did and the run's summary.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="store">The store description (<see cref="SqliteStore"/> or <see cref="PostgresStore"/>).</param>
    /// <param name="program">The command that starts a worker (see <see cref="ThisProgram"/>).</param>
    /// <param name="cancellationToken">Stops the workers.</param>
    /// <returns>0 when the run completed.</returns>
    public static async Task<int> RunAsync(TextWriter output, string store, (string FileName, string[] Arguments) program, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        string runId;
        await using (var kit = Open(store))
        {
            if (await kit.Registry.GetAsync(ModelId, cancellationToken) is null)
            {
                await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId, DisplayName = "Adds, usually right" }, cancellationToken);
            }

            var dataset = await kit.Datasets.ImportAsync(new Dataset("sums", "1", Enumerable.Range(0, Cases).Select(i => new EvalCase
            {
                Id = "sum-" + i.ToString(CultureInfo.InvariantCulture),
                Input = string.Create(CultureInfo.InvariantCulture, $"What is {i} + {i}?"),
                References = [(2L * i).ToString(CultureInfo.InvariantCulture)],
            })), cancellationToken);
            var run = await kit.Engine.EnqueueAsync(
                new EvaluationRequest { ModelId = ModelId, DatasetId = dataset.Id, Options = new EvaluationOptions { MaxConcurrency = 4 } },
                new DistributedRunOptions { ShardSize = ShardSize },
                cancellationToken);
            runId = run.Id;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Run {run.Id}: {Cases:N0} cases in {(Cases + ShardSize - 1) / ShardSize} shards of {ShardSize}, {WorkerCount} workers"));
        }

        var workers = Enumerable.Range(1, WorkerCount).Select(n => StartWorker(program, store, runId, $"worker-{n}", cancellationToken)).ToList();
        foreach (var line in await Task.WhenAll(workers))
        {
            await output.WriteLineAsync(line);
        }

        await using (var kit = Open(store))
        {
            var results = await kit.Engine.GetResultsAsync(runId, cancellationToken);
            var summary = results.Summary;
            var exact = summary.Metrics["exact_match"];
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Run {results.Run.Status}: {summary.Total:N0} results, exact match {100 * exact.Mean:F1}% (95% CI {100 * exact.ConfidenceInterval.Lower:F1}% – {100 * exact.ConfidenceInterval.Upper:F1}%)"));
            return results.Run.Status == RunStatus.Completed ? 0 : 1;
        }
    }

    /// <summary>One worker: works on the run until it is complete and prints one line about what it did.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="store">The store description.</param>
    /// <param name="runId">The run.</param>
    /// <param name="name">The worker's name.</param>
    /// <param name="cancellationToken">Stops the worker.</param>
    /// <returns>0 when the run completed.</returns>
    public static async Task<int> WorkAsync(TextWriter output, string store, string runId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var kit = Open(store);
        var report = await kit.Engine.RunWorkerAsync(runId, new WorkerOptions { WorkerId = name, PollInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {report.ShardsCompleted} shards, {report.ResultsWritten:N0} results{(report.RunsFinalized.Count > 0 ? ", computed the summary" : string.Empty)}"));
        return 0;
    }

    private static async Task<string> StartWorker((string FileName, string[] Arguments) program, string store, string runId, string name, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in program.Arguments.Concat(["worker", store, runId, name]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? (await stdout).Trim()
            : throw new InvalidOperationException($"{name} exited with {process.ExitCode}: {await stderr}");
    }

    private static EvalKitHost Open(string store)
    {
        IEvalKitStorage storage = store.Split('|', 2) switch
        {
            ["sqlite", var path] => new SqliteEvalKitStorage($"Data Source={path}"),
            ["postgres", var connectionString] => new PostgresEvalKitStorage(connectionString),
            _ => throw new ArgumentException($"Unknown store '{store}'.", nameof(store)),
        };
        return EvalKitHost.Create(storage: storage, clients: new ModelClientMap().Add(ModelId, new AdderChatClient()));
    }

    /// <summary>Answers "What is N + N?" with 2N, except on every ninth case; each answer takes a moment.</summary>
    private sealed class AdderChatClient : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var prompt = messages.Last().Text;
            var n = long.Parse(prompt.AsSpan(8, prompt.IndexOf(' ', 8) - 8), CultureInfo.InvariantCulture);
            var answer = n % 9 == 4 ? "I am not sure." : (2 * n).ToString(CultureInfo.InvariantCulture);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { Usage = new UsageDetails { InputTokenCount = 9, OutputTokenCount = 2 } };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
