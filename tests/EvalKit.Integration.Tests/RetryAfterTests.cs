using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalKit.Integration.Tests;

/// <summary>The engine's own retry of an SDK exception: the provider's Retry-After sets the wait, not the back-off.</summary>
public sealed class RetryAfterTests
{
    private const string ModelId = "openai/gpt-test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluate_SdkRateLimitedWithRetryAfter_EngineWaitsAsTheServerAsked()
    {
        // Case 0 is refused once with Retry-After: 1; no HTTP handler and no SDK retry, so the engine retries it.
        await using var server = await OpenAiCompatibleServer.StartAsync((n, attempt) => n == 0 && attempt == 1 ? new ScriptedReply(429, RetryAfter: 1) : ScriptedReply.Ok, Ct);
        using var http = new HttpClient();
        using var chat = new OpenAI.Chat.ChatClient("gpt-test", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseUrl + "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        }).AsIChatClient();
        await using var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, new InMemoryEvalKitStorage(), new ModelClientMap().Add(ModelId, chat));
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        var dataset = await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(2)), Ct);

        var run = await kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset.Id, Options = new EvaluationOptions { MaxRetries = 1, Timeout = TimeSpan.FromSeconds(10) } },
            cancellationToken: Ct);

        var results = (await kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        results[0].Should().Match<CaseResult>(r => r.Error == null && r.RetryCount == 1);
        var requests = server.Seen.Where(s => s.Key == 0).OrderBy(s => s.Attempt).ToList();
        requests.Should().HaveCount(2);
        Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
    }
}
