using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;
using EvalKit.Reporting;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace EvalKit.Integration.Tests.Security;

/// <summary>
/// The whole flow with a model client built with an API key: register, import, evaluate, A/B test, experiment, export in
/// every format, over HTTP to an OpenAI-compatible server and into a SQLite file, with every log message, activity and
/// measurement recorded. The key is then looked for in the database file and its WAL, in every export, every log line and
/// every telemetry tag: it must be nowhere.
/// </summary>
public sealed class SecretLeakTests : IDisposable
{
    private const string Key = "sk-test-SECRET-0123456789";
    private const string ModelA = "openai/gpt-test";
    private const string ModelB = "openai/gpt-test-b";

    // Case n of model B fails the way some providers fail: with the rejected key in the error message.
    private const int EchoingCase = 3;

    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-secrets-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task WholeFlow_WithAnApiKeyedClient_LeavesTheKeyInNoStoreExportLogOrTelemetry()
    {
        using var recorder = new TelemetryRecorder();
        await using var server = await OpenAiCompatibleServer.StartAsync((_, _) => ScriptedReply.Ok, Ct);
        var dbPath = Path.Combine(_folder, "evalkit.db");
        var exports = new Dictionary<string, byte[]>();
        var refusals = new List<ValidationException>();
        CaseResult echoed;

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        services.AddEvalKit(o => o.RetryBaseDelay = TimeSpan.Zero).UseSqliteStorage($"Data Source={dbPath}");
        services.AddKeyedChatClient(ModelA, _ => OpenAiClient(server, "gpt-test")).UseLogging().UseOpenTelemetry();
        // The echo sits outside the host's Microsoft.Extensions.AI middleware: that middleware is the host's, and it records a
        // provider's error message as it is (the span status of UseOpenTelemetry, the error log of UseLogging). What is
        // checked here is what EvalKit does with a message that reaches it.
        services.AddKeyedChatClient(ModelB, sp => new KeyEchoingClient(OpenAiClient(server, "gpt-test-b").AsBuilder().UseLogging(sp.GetRequiredService<ILoggerFactory>()).UseOpenTelemetry().Build(sp)));
        await using (var provider = services.BuildServiceProvider())
        {
            var registry = provider.GetRequiredService<IModelRegistry>();
            foreach (var id in new[] { ModelA, ModelB })
            {
                await registry.RegisterAsync(new ModelDescriptor { Id = id, CredentialName = "OPENAI_API_KEY", Endpoint = new Uri(server.BaseUrl + "/v1"), Pricing = new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 } }, Ct);
            }

            // A host that tries to put the key into the registry is refused, and the refusal does not repeat the key.
            foreach (var leaky in new[]
            {
                new ModelDescriptor { Id = "openai/leaky", Metadata = new Dictionary<string, string> { ["api_key"] = Key } },
                new ModelDescriptor { Id = "openai/leaky", Endpoint = new Uri($"{server.BaseUrl}/v1?api_key={Key}") },
                new ModelDescriptor { Id = "openai/leaky", CredentialName = Key },
            })
            {
                refusals.Add(await Assert.ThrowsAsync<ValidationException>(async () => await registry.RegisterAsync(leaky, Ct)));
            }

            var datasets = provider.GetRequiredService<IDatasetStore>();
            var dataset = await datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(6)), Ct);
            await datasets.SaveBenchmarkAsync(new Benchmark { Id = "arith-bench", DatasetId = dataset.Id }, Ct);

            var engine = provider.GetRequiredService<IEvaluationEngine>();
            var options = new EvaluationOptions { MaxRetries = 1, MaxConcurrency = 3, UseResponseCache = true };
            var runA = await engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelA, DatasetId = dataset.Id, Options = options }, cancellationToken: Ct);
            var runB = await engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelB, DatasetId = dataset.Id, Options = options }, cancellationToken: Ct);
            runA.Status.Should().Be(RunStatus.Completed);
            runB.Status.Should().Be(RunStatus.Completed);
            (await engine.GetResultsAsync(runA.Id, Ct)).Results.Should().OnlyContain(r => r.Succeeded);
            echoed = (await engine.GetResultsAsync(runB.Id, Ct)).Results.Single(r => r.CaseOrdinal == EchoingCase);

            var abTests = provider.GetRequiredService<IAbTestService>();
            var abTest = await abTests.CreateAsync(new AbTestDefinition { Name = "a vs b", ModelIds = [ModelA, ModelB], BenchmarkId = "arith-bench", Options = options }, Ct);
            (await abTests.ExecuteAsync(abTest.Id, cancellationToken: Ct)).Should().NotBeNull();

            var experiments = provider.GetRequiredService<IExperimentService>();
            var experiment = await experiments.CreateAsync(new ExperimentDefinition
            {
                Name = "prompts",
                BenchmarkIds = ["arith-bench"],
                ModelIds = [ModelA, ModelB],
                PromptVariants = [new PromptVariant { Name = "plain" }, new PromptVariant { Name = "terse", PromptTemplate = "Q: {{input}}" }],
                Options = options,
            }, Ct);
            (await experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct)).Should().NotBeNull();

            var requests = new Dictionary<string, ReportRequest>
            {
                ["runs"] = new() { RunIds = [runA.Id, runB.Id] },
                ["abtest"] = new() { AbTestIds = [abTest.Id] },
                ["experiment"] = new() { ExperimentId = experiment.Id },
            };
            foreach (var (name, request) in requests)
            {
                foreach (var format in Enum.GetValues<ReportFormat>())
                {
                    using var stream = new MemoryStream();
                    await experiments.ExportAsync(request, format, stream, Ct);
                    exports[$"{name}.{format}"] = stream.ToArray();
                }
            }
        }

        // The key was really in use: the server saw it on every request.
        server.Seen.Should().NotBeEmpty().And.OnlyContain(r => r.Authorization == $"Bearer {Key}");

        // The flow was observed and did exercise the paths a key could leak through.
        echoed.Error.Should().NotBeNull();
        echoed.Error!.Message.Should().Contain("Incorrect API key provided: [secret removed]", "the provider's message is kept, its key is not");
        refusals.Should().HaveCount(3).And.OnlyContain(e => e.Errors.Any(x => x.Message.Contains("CredentialName", StringComparison.Ordinal)));
        exports.Should().HaveCount(15).And.OnlyContain(e => e.Value.Length > 0);
        exports["experiment.Json"].Should().Contain(Encoding.UTF8.GetBytes("OPENAI_API_KEY"), "the credential's name is exported, never its value");
        recorder.LogTexts.Should().Contain(t => t.Contains("EvalKit.Evaluation.EvaluationEngine", StringComparison.Ordinal));
        recorder.ActivityTexts.Should().Contain(t => t.Contains("activity EvalKit evalkit.case", StringComparison.Ordinal));
        recorder.ActivityTexts.Should().Contain(t => t.StartsWith("activity Experimental.Microsoft.Extensions.AI", StringComparison.Ordinal) || t.Contains(" chat ", StringComparison.Ordinal));
        recorder.MeasurementTexts.Should().Contain(t => t.Contains("evalkit.evaluation.tokens", StringComparison.Ordinal));

        // And the key is nowhere.
        var files = new[] { dbPath, dbPath + "-wal", dbPath + "-shm", dbPath + "-journal" }.Where(File.Exists).ToList();
        files.Should().Contain(dbPath);
        foreach (var file in files)
        {
            Contains(File.ReadAllBytes(file), Key).Should().BeFalse($"{Path.GetFileName(file)} must not hold the key");
        }

        foreach (var (name, bytes) in exports)
        {
            Contains(bytes, Key).Should().BeFalse($"the {name} export must not hold the key");
        }

        foreach (var text in recorder.AllTexts.Concat(refusals.Select(e => e.ToString())))
        {
            text.Should().NotContain(Key);
        }
    }

    private static IChatClient OpenAiClient(OpenAiCompatibleServer server, string model) =>
        new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseUrl + "/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        }).AsIChatClient();

    private static bool Contains(byte[] bytes, string text) =>
        bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;

    /// <summary>The real client, except that one prompt fails with the key in the message, as some providers' 401 answers do.</summary>
    private sealed class KeyEchoingClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages.Last(m => m.Role == ChatRole.User).Text;
            return prompt.EndsWith($"What is {EchoingCase} + {EchoingCase}?", StringComparison.Ordinal)
                ? throw new HttpRequestException($"401 Unauthorized: Incorrect API key provided: {Key}. You can find your API key in your account settings.", null, HttpStatusCode.Unauthorized)
                : base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
