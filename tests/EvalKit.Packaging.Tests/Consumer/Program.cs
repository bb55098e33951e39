// A console program that uses EvalKit the way a NuGet consumer does: through the EvalKit and EvalKit.Storage.Sqlite
// packages, not the repository's projects. PackageConsumerTests copies it into a throwaway project, runs it with the
// SQLite file's path as its argument and checks every line it prints.
using System.Globalization;
using System.Reflection;
using EvalKit;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage.Sqlite;
using Microsoft.Extensions.AI;

const string ModelId = "local/arithmetic";
var connectionString = $"Data Source={(args.Length > 0 ? args[0] : "evalkit.db")}";

var version = typeof(EvalKitHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
var sqliteVersion = typeof(SqliteEvalKitStorage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"EvalKit {version}");
Console.WriteLine($"EvalKit.Storage.Sqlite {sqliteVersion}");

var dataset = new Dataset("arithmetic", "1",
[
    new EvalCase { Id = "add", Input = "What is 2 + 3?", References = ["5"] },
    new EvalCase { Id = "multiply", Input = "What is 4 * 6?", References = ["24"] },
    new EvalCase { Id = "subtract", Input = "What is 9 - 7?", References = ["2"] },
]);

string runId;
await using (var kit = EvalKitHost.Create(
    storage: new SqliteEvalKitStorage(connectionString),
    clients: new ModelClientMap().Add(ModelId, new ArithmeticClient())))
{
    await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId });
    var stored = await kit.Datasets.ImportAsync(dataset);
    Console.WriteLine($"dataset {stored.Id}: {stored.CaseCount} cases");

    var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = stored.Id });
    runId = run.Id;
    var summary = run.Summary ?? throw new InvalidOperationException($"Run {run.Id} ended {run.Status} without a summary: {run.Error}");
    var exactMatch = summary.Metrics["exact_match"];
    Console.WriteLine($"run {run.Status}: {summary.Succeeded} of {summary.Total} succeeded, {summary.Failed} failed");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact_match {exactMatch.Mean:F4} (n = {exactMatch.N})"));
}

// A second host on the same file reads the run back from storage.
await using (var reopened = EvalKitHost.Create(storage: new SqliteEvalKitStorage(connectionString)))
{
    var results = await reopened.Engine.GetResultsAsync(runId);
    Console.WriteLine($"stored {results.Results.Count} results of a {results.Run.Status} run");
}

/// <summary>A fake model: answers the addition and the multiplication right and the subtraction wrong.</summary>
internal sealed class ArithmeticClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var question = messages.Last(m => m.Role == ChatRole.User).Text;
        var answer = question.Contains("2 + 3", StringComparison.Ordinal) ? "5"
            : question.Contains("4 * 6", StringComparison.Ordinal) ? "24"
            : question.Contains("9 - 7", StringComparison.Ordinal) ? "3"
            : "I don't know";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("This model does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
