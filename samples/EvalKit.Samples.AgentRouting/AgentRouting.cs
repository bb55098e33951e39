using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Selection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Samples.AgentRouting;

/// <summary>
/// The routing sample: four local models with different capabilities, prices, latencies and quality are registered and
/// evaluated (the selection engine's evidence), then an agent sends requests with different needs through one
/// <see cref="IChatClient"/> pipeline built with <c>UseModelSelection</c>, and the sample prints, per request, the model
/// that answered and why.
/// </summary>
public static class AgentRouting
{
    /// <summary>The id of the benchmark whose runs are the quality evidence.</summary>
    public const string BenchmarkId = "agent-qa";

    /// <summary>The quality metric.</summary>
    public const string Metric = ExactMatchScorer.DefaultName;

    /// <summary>The number of questions in the evaluation.</summary>
    public const int QuestionCount = 60;

    /// <summary>The cost cap of the budget requests, in USD per 1,000 requests.</summary>
    public const decimal BudgetPer1kRequests = 0.25m;

    /// <summary>The model the <c>pinned</c> request is pinned to.</summary>
    public const string PinnedModelId = "local/pixel-vision";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Gets the time the simulated clock starts at.</summary>
    public static DateTimeOffset Start { get; } = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the local models: the only vision model, the only tool-calling one, a balanced one and a cheap, fast one.</summary>
    public static IReadOnlyList<LocalModel> Models { get; } =
    [
        Model("local/atlas-large", "Atlas (large, simulated)", [ModelCapabilities.Chat, ModelCapabilities.Json, ModelCapabilities.Tools], 10m, 30m, 1_800, wrongPercent: 3),
        Model(PinnedModelId, "Pixel (vision, simulated)", [ModelCapabilities.Chat, ModelCapabilities.Vision], 2.5m, 10m, 900, wrongPercent: 14),
        Model("local/sage-medium", "Sage (medium, simulated)", [ModelCapabilities.Chat, ModelCapabilities.Json], 0.6m, 2.4m, 600, wrongPercent: 8),
        Model("local/swift-small", "Swift (small, simulated)", [ModelCapabilities.Chat], 0.1m, 0.4m, 150, wrongPercent: 28),
    ];

    /// <summary>Gets the id of a model's evaluation run (fixed, so that the transcript is the same on every run).</summary>
    /// <param name="modelId">The model.</param>
    /// <returns>The run id.</returns>
    public static string EvidenceRunId(string modelId) => BenchmarkId + "-" + modelId.Replace('/', '-');

    /// <summary>
    /// The selection request the pipeline builds for every chat request (the per-request overrides apply on top): chat,
    /// plus vision when a message carries an image; quality from the runs on <see cref="BenchmarkId"/>; default weights.
    /// </summary>
    /// <param name="context">The chat request being routed.</param>
    /// <returns>The selection request.</returns>
    public static SelectionRequest BaseRequest(ChatSelectionContext context) => new()
    {
        RequiredCapabilities = HasImage(context.Messages) ? [ModelCapabilities.Chat, ModelCapabilities.Vision] : [ModelCapabilities.Chat],
        BenchmarkId = BenchmarkId,
        QualityMetric = Metric,
    };

    /// <summary>Creates the requests the agent sends, each with different needs.</summary>
    /// <returns>The requests, in the order they are sent.</returns>
    public static IReadOnlyList<RoutingScenario> CreateScenarios()
    {
        var screenshot = new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D }, "image/png");
        var everything = BaseRequest(default) with { Weights = new SelectionWeights(Quality: 1, Cost: 0, Latency: 0, Reliability: 0) };
        return
        [
            new("balanced", "nothing special: chat, default weights (quality 0.5, cost 0.2, latency 0.15, reliability 0.15)",
                new ChatMessage(ChatRole.User, "Draft a reply to a customer who asks when their order will arrive.")),
            new("vision", "an image is attached: the request factory adds the 'vision' capability",
                new ChatMessage(ChatRole.User, [new TextContent("What does this screenshot show?"), screenshot])),
            new("cheap", string.Create(Invariant, $"at most {BudgetPer1kRequests} USD per 1,000 requests ({SelectionPropertyNames.MaxCostPer1kRequests})"),
                new ChatMessage(ChatRole.User, "Tag this ticket with one word: 'My parcel is late again.'"),
                Overrides((SelectionPropertyNames.MaxCostPer1kRequests, BudgetPer1kRequests))),
            new("best-quality", $"the best answer whatever it costs: weights quality 1, others 0 (the whole request replaced, {SelectionPropertyNames.Request})",
                new ChatMessage(ChatRole.User, "Check this contract clause for risks: 'Either party may end the agreement at any time.'"),
                Overrides((SelectionPropertyNames.Request, everything))),
            new("tools", $"must call tools ({SelectionPropertyNames.Capabilities} = tools)",
                new ChatMessage(ChatRole.User, "Look up the status of order 1042 with the order tool."),
                Overrides((SelectionPropertyNames.Capabilities, ModelCapabilities.Tools))),
            new("pinned", $"pinned to {PinnedModelId}, the model that began this conversation ({SelectionPropertyNames.Candidates})",
                new ChatMessage(ChatRole.User, "Go on with the description you started."),
                Overrides((SelectionPropertyNames.Candidates, PinnedModelId))),
            new("vision-on-a-budget", string.Create(Invariant, $"an image is attached, and at most {BudgetPer1kRequests} USD per 1,000 requests"),
                new ChatMessage(ChatRole.User, [new TextContent("Which button is highlighted in this screenshot?"), screenshot]),
                Overrides((SelectionPropertyNames.MaxCostPer1kRequests, BudgetPer1kRequests))),
        ];
    }

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Receives the report (and the error message, on failure).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The exit code: 0 on success, 1 on failure, 130 when cancelled.</returns>
    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            await RunCoreAsync(output, cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("Cancelled.");
            return 130;
        }
#pragma warning disable CA1031 // The sample's top level turns any failure into a message and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            output.WriteLine($"The agent-routing sample failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static async Task RunCoreAsync(TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("EvalKit agent routing: four local models behind one IChatClient pipeline (offline; latency on a simulated clock).");
        output.WriteLine();

        // 1. The services: EvalKit in memory, on the simulated clock; one keyed IChatClient per model id; the selection
        //    engine wrapped so that the sample can explain each decision (registered before AddEvalKit, which keeps it).
        var clock = new SimulatedClock(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(sp => new RecordingSelectionEngine(ActivatorUtilities.CreateInstance<SelectionEngine>(sp)));
        services.AddSingleton<ISelectionEngine>(sp => sp.GetRequiredService<RecordingSelectionEngine>());
        services.AddEvalKit();
        foreach (var model in Models)
        {
            services.AddKeyedChatClient(model.Id, new LocalChatClient(model, clock));
        }

        // 2. The agent's pipeline: every request goes to the model the engine ranks first (falling back to the next on a
        //    failure). The inner client would serve requests no model is eligible for, if that option were set; it is not.
        services.AddChatClient(_ => new UnroutedChatClient())
            .UseModelSelection(BaseRequest);

        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();
        var datasets = provider.GetRequiredService<IDatasetStore>();
        var engine = provider.GetRequiredService<IEvaluationEngine>();
        var decisions = provider.GetRequiredService<RecordingSelectionEngine>();

        // 3. The evidence: register the models (capabilities, pricing) and evaluate each on a short benchmark. The runs
        //    give quality (exact match), p95 latency, success rate and cost per request.
        foreach (var model in Models)
        {
            await registry.RegisterAsync(model.Descriptor, cancellationToken);
        }

        var dataset = await datasets.ImportAsync(Questions(), cancellationToken);
        await datasets.SaveBenchmarkAsync(
            new Benchmark
            {
                Id = BenchmarkId, Name = "Agent questions", DatasetId = dataset.Id, PromptTemplate = "{{input}} Answer with the number only.",
                Scorers = [Metric], PrimaryMetric = Metric,
            },
            cancellationToken);

        output.WriteLine(string.Create(Invariant, $"Evidence: each model evaluated on '{BenchmarkId}' ({dataset.CaseCount} questions, exact match)."));
        output.WriteLine(string.Create(Invariant, $"{"Model",-20}{"Capabilities",-20}{"USD/1M in",10}{"USD/1M out",11}  {"Exact match (95% CI)",-22}{"p95 latency",12}{"USD/1k requests",17}"));
        foreach (var model in Models)
        {
            // One call at a time, so that each call's latency on the shared simulated clock is its own.
            var run = await engine.EvaluateAsync(
                new EvaluationRequest
                {
                    ModelId = model.Id, BenchmarkId = BenchmarkId, RunId = EvidenceRunId(model.Id),
                    Options = new EvaluationOptions { MaxConcurrency = 1, MaxRetries = 0 },
                },
                cancellationToken: cancellationToken);
            if (run.Status != RunStatus.Completed || run.Summary is not { } summary)
            {
                throw new InvalidOperationException($"The evaluation run {run.Id} of {model.Id} ended {run.Status}: {run.Error ?? "no summary"}.");
            }

            var score = summary.Metrics[Metric];
            var pricing = model.Descriptor.Pricing!;
            output.WriteLine(string.Create(
                Invariant,
                $"{model.Id,-20}{string.Join(",", model.Descriptor.Capabilities.Order(StringComparer.Ordinal)),-20}{pricing.InputPerMillionTokens,10:0.00}{pricing.OutputPerMillionTokens,11:0.00}  {$"{score.Mean:0.000} [{score.ConfidenceInterval.Lower:0.00}, {score.ConfidenceInterval.Upper:0.00}]",-22}{$"{summary.Latency?.P95.TotalMilliseconds:#,0} ms",12}{summary.CostPerRequest * 1000,17:0.000}"));
        }

        output.WriteLine();

        // 4. The agent's requests, each with different needs.
        var chat = provider.GetRequiredService<IChatClient>();
        var routed = 0;
        var scenarios = CreateScenarios();
        foreach (var scenario in scenarios)
        {
            output.WriteLine($"[{scenario.Name}] \"{scenario.Message.Text}\"{(HasImage([scenario.Message]) ? " + image" : string.Empty)}");
            output.WriteLine($"  needs:      {scenario.Requirement}");
            try
            {
                var response = await chat.GetResponseAsync([scenario.Message], scenario.Options, cancellationToken);
                var attempts = response.AdditionalProperties?.TryGetValue(SelectionPropertyNames.Attempts, out var a) == true ? Convert.ToInt32(a, Invariant) : 1;
                output.WriteLine(string.Create(Invariant, $"  routed to:  {response.ModelId} ({attempts} attempt{(attempts == 1 ? string.Empty : "s")})"));
                WriteWhy(output, await decisions.ExplainLastAsync(cancellationToken));
                output.WriteLine($"  answer:     {response.Text}");
                routed++;
            }
            catch (NoEligibleModelException e)
            {
                output.WriteLine("  routed to:  no eligible model (NoEligibleModelException)");
                WriteWhy(output, e.Explanation ?? await decisions.ExplainLastAsync(cancellationToken));
            }

            output.WriteLine();
        }

        await (chat.GetService<SelectingChatClient>()?.FlushMetricsAsync(cancellationToken) ?? Task.CompletedTask);
        output.WriteLine(string.Create(Invariant, $"Routed {routed} of {scenarios.Count} requests; {scenarios.Count - routed} had no eligible model."));
    }

    private static void WriteWhy(TextWriter output, SelectionExplanation explanation)
    {
        if (explanation.Winner is { } winner)
        {
            var runnerUp = explanation.Ranked.Count > 1 ? explanation.Ranked[1] : null;
            var second = runnerUp is null ? " (the only eligible model)" : string.Create(Invariant, $", ahead of {runnerUp.ModelId} ({runnerUp.Score:0.000})");
            output.WriteLine(string.Create(Invariant, $"  why:        {winner.ModelId} ranks #1 of {explanation.Ranked.Count} eligible with score {winner.Score:0.000}{second}"));
            foreach (var criterion in winner.Criteria.Where(c => c.Weight > 0))
            {
                var value = criterion.RawValue is { } raw ? string.Create(Invariant, $"{raw:0.####} {criterion.Unit}") : "insufficient evidence";
                output.WriteLine(string.Create(Invariant, $"              {criterion.Criterion,-12}{value,-32} scale {criterion.Score:0.000} x weight {criterion.Weight:0.00} = {criterion.Contribution:0.000}"));
            }
        }

        foreach (var rejected in explanation.Rejected)
        {
            output.WriteLine($"  rejected:   {rejected.ModelId} ({rejected.Reason}): {rejected.Message}");
        }
    }

    private static ChatOptions Overrides(params (string Key, object Value)[] overrides)
    {
        var properties = new AdditionalPropertiesDictionary();
        foreach (var (key, value) in overrides)
        {
            properties[key] = value;
        }

        return new ChatOptions { AdditionalProperties = properties };
    }

    private static bool HasImage(IEnumerable<ChatMessage>? messages) =>
        messages?.Any(m => m.Contents.OfType<DataContent>().Any(c => c.HasTopLevelMediaType("image"))) == true;

    // Sums "What is a + b?" with seeded operands: the same 60 questions on every run.
    private static Dataset Questions()
    {
        var random = new Random(20250602);
        return new Dataset("agent-qa", "1", Enumerable.Range(1, QuestionCount).Select(i =>
        {
            var (a, b) = (random.Next(10, 500), random.Next(10, 500));
            return new EvalCase
            {
                Id = string.Create(Invariant, $"q-{i:00}"),
                Input = string.Create(Invariant, $"What is {a} + {b}?"),
                References = [(a + b).ToString(Invariant)],
            };
        }).ToList());
    }

    private static LocalModel Model(string id, string name, string[] capabilities, decimal inputPrice, decimal outputPrice, int latencyMilliseconds, int wrongPercent) =>
        new(
            new ModelDescriptor
            {
                Id = id,
                DisplayName = name,
                Provider = "local",
                Capabilities = new HashSet<string>(capabilities),
                Pricing = new ModelPricing { InputPerMillionTokens = inputPrice, OutputPerMillionTokens = outputPrice },
                Metadata = new Dictionary<string, string> { ["simulated"] = "true" },
            },
            TimeSpan.FromMilliseconds(latencyMilliseconds),
            wrongPercent);
}
