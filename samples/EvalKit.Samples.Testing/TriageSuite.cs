using System.Collections.Frozen;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;

namespace EvalKit.Samples.Testing;

/// <summary>
/// The evaluation under test: a support-ticket triage benchmark (100 tickets shipped in <c>data/</c>, scored by exact
/// match), the models that answer it, and an in-memory EvalKit host that has everything registered.
/// </summary>
public static class TriageSuite
{
    /// <summary>The id of the benchmark.</summary>
    public const string BenchmarkId = "ticket-triage";

    /// <summary>The dataset's name (its stored id is <c>ticket-triage@1</c>).</summary>
    public const string DatasetName = "ticket-triage";

    /// <summary>The file name of the dataset shipped with the sample (under <c>data/</c>).</summary>
    public const string DatasetFileName = "ticket-triage.jsonl";

    /// <summary>The gated metric.</summary>
    public const string Metric = ExactMatchScorer.DefaultName;

    /// <summary>The text after which the prompt carries the ticket.</summary>
    public const string TicketMarker = "Ticket:";

    /// <summary>The prompt template that wraps every ticket.</summary>
    public const string PromptTemplate =
        "Classify the support ticket as billing, shipping, account, technical or refund. Reply with the label only.\n" + TicketMarker + " {{input}}";

    /// <summary>The id of the released model, whose run is the stored baseline.</summary>
    public const string ReleasedModelId = "local/triage-v1";

    /// <summary>The id of the candidate model that the tests hold to the bar.</summary>
    public const string CandidateModelId = "local/triage-v2";

    private static readonly Lazy<Dataset> DatasetValue = new(() =>
    {
        using var stream = File.OpenRead(DatasetPath);
        return EvalKit.Datasets.Datasets.LoadJsonl(stream, DatasetName, version: "1", source: DatasetFileName);
    });

    private static readonly Lazy<FrozenDictionary<string, string>> AnswerKeyValue = new(() =>
        Dataset.Cases.ToFrozenDictionary(c => c.Input.Text ?? string.Empty, c => c.References[0], StringComparer.Ordinal));

    /// <summary>Gets the path of the dataset shipped with the sample.</summary>
    public static string DatasetPath => Path.Combine(AppContext.BaseDirectory, "data", DatasetFileName);

    /// <summary>Gets the dataset, read once from <see cref="DatasetPath"/>.</summary>
    public static Dataset Dataset => DatasetValue.Value;

    /// <summary>Gets the right label of every ticket text: what the fake models know.</summary>
    public static IReadOnlyDictionary<string, string> AnswerKey => AnswerKeyValue.Value;

    /// <summary>Creates the released model: it labels 8% of the tickets wrongly.</summary>
    /// <returns>The model.</returns>
    public static TriageModel Released() => new(ReleasedModelId, AnswerKey, wrongPercent: 8);

    /// <summary>Creates the candidate model: it labels 7% of the tickets wrongly (other tickets than the released model).</summary>
    /// <returns>The model.</returns>
    public static TriageModel Candidate() => new(CandidateModelId, AnswerKey, wrongPercent: 7);

    /// <summary>
    /// Creates an in-memory EvalKit host with the models registered (each served by itself), the dataset imported and the
    /// benchmark saved.
    /// </summary>
    /// <param name="models">The models.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The host; dispose it.</returns>
    public static async Task<EvalKitHost> CreateHostAsync(IEnumerable<TriageModel> models, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        var list = models.ToList();
        var clients = new ModelClientMap();
        foreach (var model in list)
        {
            clients.Add(model.Id, model);
        }

        var kit = EvalKitHost.Create(clients: clients);
        try
        {
            foreach (var model in list)
            {
                await kit.Registry.RegisterAsync(
                    new ModelDescriptor
                    {
                        Id = model.Id,
                        DisplayName = $"Ticket triage ({model.Id}, simulated)",
                        Provider = "local",
                        Capabilities = new HashSet<string> { ModelCapabilities.Chat },
                    },
                    cancellationToken);
            }

            var dataset = await kit.Datasets.ImportAsync(Dataset, cancellationToken);
            await kit.Datasets.SaveBenchmarkAsync(
                new Benchmark
                {
                    Id = BenchmarkId,
                    Name = "Support ticket triage",
                    DatasetId = dataset.Id,
                    PromptTemplate = PromptTemplate,
                    Scorers = [Metric],
                    PrimaryMetric = Metric,
                    DefaultOptions = new EvaluationOptions { MaxConcurrency = 8, MaxRetries = 0, Temperature = 0, Seed = 7 },
                },
                cancellationToken);
            return kit;
        }
        catch
        {
            await kit.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates a model on the benchmark.</summary>
    /// <param name="kit">The host from <see cref="CreateHostAsync"/>.</param>
    /// <param name="modelId">The model.</param>
    /// <param name="runId">The run id, or <see langword="null"/> for a new one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The completed run.</returns>
    /// <exception cref="InvalidOperationException">The run did not complete; the message says how it ended.</exception>
    public static async Task<EvaluationRun> EvaluateAsync(EvalKitHost kit, string modelId, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = modelId, BenchmarkId = BenchmarkId, RunId = runId }, cancellationToken: cancellationToken);
        return run.Status == RunStatus.Completed
            ? run
            : throw new InvalidOperationException($"The run {run.Id} of {modelId} on '{BenchmarkId}' ended {run.Status}: {run.Error ?? "no error recorded"}.");
    }
}
