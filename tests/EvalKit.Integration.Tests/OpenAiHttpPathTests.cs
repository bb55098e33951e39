using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage.Specification.Tests;
using EvalKit.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using Polly;

namespace EvalKit.Integration.Tests;

/// <summary>
/// The real HTTP path: the engine calls an OpenAI-compatible server on Kestrel through Microsoft.Extensions.AI.OpenAI, over an
/// HttpClient with Microsoft.Extensions.Http.Resilience's standard handler, and stores the results in SQLite.
/// </summary>
public sealed class OpenAiHttpPathTests : IDisposable
{
    private const string ModelId = "openai/gpt-test";
    private const string ApiKey = "test-key";

    // Engine retries and HTTP-handler retries, kept apart: each engine attempt is up to 1 + HttpRetries requests.
    private const int EngineRetries = 2;
    private const int HttpRetries = 2;
    private const int Cases = 12;

    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-http-").FullName;

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

    /// <summary>What the server does with request <paramref name="attempt"/> (1-based) for the prompt "What is <paramref name="n"/> + n?".</summary>
    private static ScriptedReply Script(int n, int attempt) => n switch
    {
        // Rate limited once with Retry-After: 1 s; the HTTP handler waits and retries: the engine sees one success.
        0 => attempt == 1 ? new ScriptedReply(429, RetryAfter: 1) : ScriptedReply.Ok,
        // Rate limited once with Retry-After: 0.
        1 => attempt == 1 ? new ScriptedReply(429, RetryAfter: 0) : ScriptedReply.Ok,
        // Unavailable once.
        2 => attempt == 1 ? new ScriptedReply(503) : ScriptedReply.Ok,
        // Rate limited on every request of the first engine attempt: the SDK throws (status 429), the engine retries once.
        3 => attempt <= 1 + HttpRetries ? new ScriptedReply(429, RetryAfter: 0) : ScriptedReply.Ok,
        // Unavailable on every request of the first engine attempt: the engine retries once.
        4 => attempt <= 1 + HttpRetries ? new ScriptedReply(503) : ScriptedReply.Ok,
        // Always fails: every engine attempt is 1 + HttpRetries requests.
        5 => new ScriptedReply(500),
        // A bad request: neither layer retries.
        6 => new ScriptedReply(400),
        // Never answers: every engine attempt times out.
        7 => new ScriptedReply(200, Hang: true),
        _ => ScriptedReply.Ok,
    };

    [Fact]
    public async Task Evaluate_OverHttpWithResilienceHandler_RecordsEveryOutcomeAndUsage_AndNeverStoresTheKey()
    {
        await using var server = await OpenAiCompatibleServer.StartAsync(Script, Ct);
        await using var services = new ServiceCollection()
            .AddHttpClient("model")
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = HttpRetries;
                o.Retry.Delay = TimeSpan.FromMilliseconds(10);
                o.Retry.BackoffType = DelayBackoffType.Constant;
                o.Retry.UseJitter = false;
                o.Retry.ShouldRetryAfterHeader = true;
                o.CircuitBreaker.MinimumThroughput = 10_000;
            })
            .Services
            .BuildServiceProvider();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        using var chat = new OpenAI.Chat.ChatClient("gpt-test", new ApiKeyCredential(ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseUrl + "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            // The SDK retries 429 and 5xx itself by default: off, so that the retries counted are the handler's and the engine's.
            RetryPolicy = new ClientRetryPolicy(0),
        }).AsIChatClient();

        // Warm up (JIT, connection) so that the first scripted case does not pay for it against the timeout.
        (await chat.GetResponseAsync("warm up", cancellationToken: Ct)).Text.Should().Be("ok");

        var dbPath = Path.Combine(_folder, "evalkit.db");
        var clients = new ModelClientMap().Add(ModelId, chat);
        EvaluationRun run;
        IReadOnlyList<CaseResult> results;
        await using (var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, new SqliteEvalKitStorage($"Data Source={dbPath}"), clients))
        {
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId, Pricing = new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 } }, Ct);
            var dataset = await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(Cases)), Ct);

            var started = Stopwatch.GetTimestamp();
            run = await kit.Engine.EvaluateAsync(
                new EvaluationRequest
                {
                    ModelId = ModelId,
                    DatasetId = dataset.Id,
                    Options = new EvaluationOptions { MaxRetries = EngineRetries, Timeout = TimeSpan.FromSeconds(2), MaxConcurrency = Cases },
                },
                cancellationToken: Ct);
            Stopwatch.GetElapsedTime(started).Should().BeLessThan(TimeSpan.FromSeconds(30));
            results = (await kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        }

        // The run completes and every case has a result.
        run.Status.Should().Be(RunStatus.Completed);
        results.Select(r => r.CaseOrdinal).Should().BeEquivalentTo(Enumerable.Range(0, Cases).Select(i => (long)i));
        var byCase = results.ToDictionary(r => (int)r.CaseOrdinal);

        // Retried below the engine by the HTTP handler: successes with no engine retry.
        foreach (var n in new[] { 0, 1, 2, 8, 9, 10, 11 })
        {
            byCase[n].Should().Match<CaseResult>(r => r.Error == null && r.RetryCount == 0, $"case {n}");
        }

        // The SDK's ClientResultException after the handler gave up: classified from its status, retried by the engine once.
        byCase[3].Should().Match<CaseResult>(r => r.Error == null && r.RetryCount == 1);
        byCase[4].Should().Match<CaseResult>(r => r.Error == null && r.RetryCount == 1);
        byCase[5].Error!.Category.Should().Be(ErrorCategory.Transient);
        byCase[5].RetryCount.Should().Be(EngineRetries);
        byCase[6].Error!.Category.Should().Be(ErrorCategory.Fatal);
        byCase[6].RetryCount.Should().Be(0);
        byCase[7].Error!.Category.Should().Be(ErrorCategory.Timeout);
        byCase[7].RetryCount.Should().Be(EngineRetries);

        // Answers and tokens come from the server's JSON, its usage in particular.
        foreach (var r in results.Where(r => r.Succeeded))
        {
            var n = (int)r.CaseOrdinal;
            r.Output.Should().Be((n + n).ToString(System.Globalization.CultureInfo.InvariantCulture));
            r.GetScore("exact_match")!.Passed.Should().BeTrue();
            r.InputTokens.Should().Be(OpenAiCompatibleServer.PromptTokens(n));
            r.OutputTokens.Should().Be(OpenAiCompatibleServer.CompletionTokens(n));
            r.Cost.Should().Be(((decimal)OpenAiCompatibleServer.PromptTokens(n) + (2m * OpenAiCompatibleServer.CompletionTokens(n))) / 1_000_000m);
        }

        results.Where(r => !r.Succeeded).Should().OnlyContain(r => r.InputTokens == null && r.OutputTokens == null && r.Output == null);

        var summary = run.Summary!;
        summary.Total.Should().Be(Cases);
        summary.Succeeded.Should().Be(9);
        summary.Failed.Should().Be(3);
        summary.Retries.Should().Be(1 + 1 + EngineRetries + EngineRetries);
        summary.RetryRate.Should().Be(4.0 / Cases);
        summary.ErrorRate.Should().Be(3.0 / Cases);
        int[] succeeded = [0, 1, 2, 3, 4, 8, 9, 10, 11];
        summary.InputTokens.Should().Be(succeeded.Sum(OpenAiCompatibleServer.PromptTokens));
        summary.OutputTokens.Should().Be(succeeded.Sum(OpenAiCompatibleServer.CompletionTokens));
        summary.UnknownUsageCount.Should().Be(0);

        // The server saw exactly the requests the two retry layers should make.
        var seen = server.Seen.Where(s => s.Key >= 0).ToList();
        var perCase = seen.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Count());
        var engineAttempts = 1 + EngineRetries;
        var expected = new Dictionary<int, int>
        {
            [0] = 2, [1] = 2, [2] = 2,
            [3] = (1 + HttpRetries) + 1,
            [4] = (1 + HttpRetries) + 1,
            [5] = engineAttempts * (1 + HttpRetries),
            [6] = 1,
            [7] = engineAttempts,
            [8] = 1, [9] = 1, [10] = 1, [11] = 1,
        };
        perCase.Should().Equal(expected);
        seen.Should().HaveCount(expected.Values.Sum());
        server.Seen.Should().OnlyContain(s => s.Authorization == "Bearer " + ApiKey, "the key does reach the server");

        // The handler honoured Retry-After: 1 on case 0.
        var zero = seen.Where(s => s.Key == 0).OrderBy(s => s.Attempt).ToList();
        Stopwatch.GetElapsedTime(zero[0].Timestamp, zero[1].Timestamp).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));

        // Errors are stored with the server's message, and the API key appears nowhere in the database.
        byCase[5].Error!.Message.Should().Contain("500");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_folder);
        files.Should().Contain(dbPath);
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();
        bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("scripted failure 500 for case 5")).Should().BeGreaterThanOrEqualTo(0, "the scan reads stored errors");
        bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(ApiKey)).Should().Be(-1);
        bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(ApiKey)).Should().Be(-1);
    }
}
