using System.Net;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Selection;

public sealed class SelectingChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SelectionRequest ByQuality = new() { BenchmarkId = "bench", Weights = new(1, 0, 0, 0) };
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "hello")];
    private static readonly ModelPricing Pricing = new() { InputPerMillionTokens = 2m, OutputPerMillionTokens = 8m };

    private static async Task<(RoutingFixture Kit, SimChatClient A, SimChatClient B, SimChatClient C)> ThreeModelsAsync(Func<int, IReadOnlyList<ChatMessage>, SimReply>? best = null)
    {
        var kit = new RoutingFixture();
        var a = SimChatClient.Answering("a", kit.Clock, TimeSpan.FromMilliseconds(300));
        var b = best is null ? SimChatClient.Answering("b", kit.Clock, TimeSpan.FromMilliseconds(700)) : new SimChatClient("b", kit.Clock, best);
        var c = SimChatClient.Answering("c", kit.Clock, TimeSpan.FromMilliseconds(500));
        await kit.AddModelAsync("m/a", 0.7, a, pricing: Pricing);
        await kit.AddModelAsync("m/b", 0.9, b, pricing: Pricing); // the best
        await kit.AddModelAsync("m/c", 0.8, c, pricing: Pricing);
        return (kit, a, b, c);
    }

    [Fact]
    public async Task GetResponseAsync_CallsTheSelectedModel_AndShowsItOnTheResponse()
    {
        var (kit, a, b, c) = await ThreeModelsAsync();
        using var router = kit.Router(ByQuality);

        var response = await router.GetResponseAsync(Hello, cancellationToken: Ct);

        response.Text.Should().Be("ok from b");
        response.ModelId.Should().Be("m/b");
        response.AdditionalProperties![SelectionPropertyNames.SelectedModel].Should().Be("m/b");
        response.AdditionalProperties[SelectionPropertyNames.Attempts].Should().Be(1);
        response.AdditionalProperties[SelectionPropertyNames.ProviderModelId].Should().Be("provider-b");
        (a.Calls, b.Calls, c.Calls).Should().Be((0, 1, 0));
    }

    [Fact]
    public async Task Metrics_AreRecordedPerCall_WithLatencyTokensAndCost()
    {
        var (kit, _, _, _) = await ThreeModelsAsync();
        using var router = kit.Router(ByQuality);

        await router.GetResponseAsync(Hello, cancellationToken: Ct);
        await router.FlushMetricsAsync(cancellationToken: Ct);

        var points = await kit.PointsAsync("m/b");
        points.Select(p => p.Name).Should().BeEquivalentTo([MetricNames.Requests, MetricNames.LatencyMs, MetricNames.InputTokens, MetricNames.OutputTokens, MetricNames.Cost]);
        points.Single(p => p.Name == MetricNames.LatencyMs).Value.Should().Be(700);
        points.Single(p => p.Name == MetricNames.Cost).Value.Should().BeApproximately(((100 * 2.0) + (50 * 8.0)) / 1_000_000, 1e-15);
        points.Should().OnlyContain(p => p.Tags[MetricTags.Source] == RoutingMetricTags.RoutingSource && p.Timestamp == kit.Clock.GetUtcNow());
        (await kit.PointsAsync("m/a")).Should().BeEmpty();
    }

    [Fact]
    public async Task AFailedCall_FallsBackToTheNextRankedModel_AndIsRecorded()
    {
        var failing = new SimReply("", TimeSpan.FromMilliseconds(50), Error: new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable));
        var (kit, a, b, c) = await ThreeModelsAsync((_, _) => failing);
        using var router = kit.Router(ByQuality);

        var response = await router.GetResponseAsync(Hello, cancellationToken: Ct);
        await router.FlushMetricsAsync(cancellationToken: Ct);

        response.ModelId.Should().Be("m/c");
        response.AdditionalProperties![SelectionPropertyNames.Attempts].Should().Be(2);
        (a.Calls, b.Calls, c.Calls).Should().Be((0, 1, 1));
        var failed = await kit.PointsAsync("m/b");
        failed.Select(p => p.Name).Should().BeEquivalentTo([MetricNames.Requests, MetricNames.Errors, MetricNames.LatencyMs]);
        failed.Should().OnlyContain(p => p.Tags[RoutingMetricTags.ErrorType] == "Transient");
        kit.Engine.OnlinePosterior(null, "m/b").Mean.Should().Be(0);
        kit.Engine.OnlinePosterior(null, "m/c").Mean.Should().Be(1);
    }

    [Fact]
    public async Task Fallback_IsBoundedByMaxAttempts_AndTheLastErrorSurfaces()
    {
        var kit = new RoutingFixture();
        var clients = new List<SimChatClient>();
        for (var i = 0; i < 4; i++)
        {
            var error = new HttpRequestException($"down {i}", null, HttpStatusCode.BadGateway);
            var client = new SimChatClient($"m{i}", kit.Clock, (_, _) => new SimReply("", TimeSpan.FromMilliseconds(10), Error: error));
            clients.Add(client);
            await kit.AddModelAsync($"m/{i}", 0.9 - (i * 0.1), client);
        }

        using var router = kit.Router(ByQuality with { TopK = 4 }, new SelectingChatClientOptions { MaxAttempts = 2 });

        var act = () => router.GetResponseAsync(Hello);

        (await act.Should().ThrowAsync<HttpRequestException>()).WithMessage("down 1");
        clients.Select(c => c.Calls).Should().Equal(1, 1, 0, 0);
    }

    [Fact]
    public async Task Cancellation_IsNotTreatedAsAModelFailure()
    {
        using var cts = new CancellationTokenSource();
        var (kit, _, _, c) = await ThreeModelsAsync((_, _) =>
        {
            cts.Cancel();
            return new SimReply("", TimeSpan.Zero, Error: new OperationCanceledException(cts.Token));
        });
        using var router = kit.Router(ByQuality);

        var act = () => router.GetResponseAsync(Hello, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        c.Calls.Should().Be(0);
    }

    [Fact]
    public async Task Overrides_InChatOptions_ChangeTheRequestPerCall()
    {
        var (kit, a, _, _) = await ThreeModelsAsync();
        await kit.AddModelAsync("m/vision", 0.5, SimChatClient.Answering("vision", kit.Clock, TimeSpan.FromMilliseconds(100)), capabilities: ["chat", "vision"]);
        using var router = kit.Router(ByQuality);
        static ChatOptions With(string key, object value) => new() { AdditionalProperties = new() { [key] = value } };

        var pinned = await router.GetResponseAsync(Hello, With(SelectionPropertyNames.Candidates, "m/a"), cancellationToken: Ct);
        var vision = await router.GetResponseAsync(Hello, With(SelectionPropertyNames.Capabilities, new[] { "vision" }), cancellationToken: Ct);
        var fast = await router.GetResponseAsync(Hello, With(SelectionPropertyNames.Request, ByQuality with { CandidateModelIds = ["m/a", "m/c"] }), cancellationToken: Ct);
        var invalid = () => router.GetResponseAsync(Hello, With(SelectionPropertyNames.MaxP95LatencyMilliseconds, "soon"));
        var invalidMode = () => router.GetResponseAsync(Hello, With(SelectionPropertyNames.Mode, "sometimes"));

        pinned.ModelId.Should().Be("m/a");
        a.Calls.Should().Be(1);
        vision.ModelId.Should().Be("m/vision");
        fast.ModelId.Should().Be("m/c");
        (await invalid.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(SelectionPropertyNames.MaxP95LatencyMilliseconds);
        (await invalidMode.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Contain(SelectionPropertyNames.Mode);
    }

    [Fact]
    public async Task LatencyOverride_ExcludesSlowModels()
    {
        var kit = new RoutingFixture();
        await kit.AddModelAsync("m/slow", 0.9, SimChatClient.Answering("slow", kit.Clock, TimeSpan.FromSeconds(2)), p95: TimeSpan.FromSeconds(2));
        await kit.AddModelAsync("m/quick", 0.6, SimChatClient.Answering("quick", kit.Clock, TimeSpan.FromMilliseconds(200)), p95: TimeSpan.FromMilliseconds(200));
        using var router = kit.Router(ByQuality);

        var unconstrained = await router.GetResponseAsync(Hello, cancellationToken: Ct);
        var constrained = await router.GetResponseAsync(Hello, new ChatOptions { AdditionalProperties = new() { [SelectionPropertyNames.MaxP95LatencyMilliseconds] = 1000 } }, cancellationToken: Ct);

        unconstrained.ModelId.Should().Be("m/slow");
        constrained.ModelId.Should().Be("m/quick");
    }

    [Fact]
    public async Task NoEligibleModel_Throws_OrUsesTheInnerClientWhenAllowed()
    {
        var (kit, _, _, _) = await ThreeModelsAsync();
        var impossible = ByQuality with { RequiredCapabilities = ["vision"] };
        var inner = SimChatClient.Answering("inner", kit.Clock, TimeSpan.Zero, "fallback");
        using var strict = kit.Router(impossible);
        using var lenient = kit.Router(impossible, new SelectingChatClientOptions { UseInnerClientWhenNoModelEligible = true }, inner);

        var act = () => strict.GetResponseAsync(Hello);
        var answer = await lenient.GetResponseAsync(Hello, cancellationToken: Ct);

        (await act.Should().ThrowAsync<NoEligibleModelException>()).Which.Explanation!.Rejected.Should().HaveCount(3);
        answer.Text.Should().Be("fallback from inner");
        inner.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Streaming_StampsTheModel_FallsBackBeforeTheFirstUpdate_AndRecordsTimeToFirstToken()
    {
        var failing = new SimReply("", TimeSpan.FromMilliseconds(40), Error: new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests));
        var (kit, _, b, c) = await ThreeModelsAsync((_, _) => failing);
        using var router = kit.Router(ByQuality);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in router.GetStreamingResponseAsync(Hello, cancellationToken: Ct))
        {
            updates.Add(update);
        }

        await router.FlushMetricsAsync(cancellationToken: Ct);

        updates.Should().HaveCount(2).And.OnlyContain(u => u.ModelId == "m/c");
        updates[0].AdditionalProperties![SelectionPropertyNames.SelectedModel].Should().Be("m/c");
        updates[0].AdditionalProperties![SelectionPropertyNames.Attempts].Should().Be(2);
        string.Concat(updates.Select(u => u.Text)).Should().Be("ok from c");
        (b.Calls, c.Calls).Should().Be((1, 1));
        var points = await kit.PointsAsync("m/c");
        points.Single(p => p.Name == MetricNames.TimeToFirstTokenMs).Value.Should().Be(250);
        points.Single(p => p.Name == MetricNames.LatencyMs).Value.Should().Be(500);
        points.Single(p => p.Name == MetricNames.OutputTokens).Value.Should().Be(50);
        (await kit.PointsAsync("m/b")).Should().Contain(p => p.Name == MetricNames.Errors && p.Tags[RoutingMetricTags.ErrorType] == "RateLimited");
    }

    [Fact]
    public async Task Streaming_AFailureAfterOutputBegan_IsRethrownWithoutFallback()
    {
        var broken = new SimReply("partial answer", TimeSpan.FromMilliseconds(40), Error: new HttpRequestException("reset"), FailMidStream: true);
        var (kit, _, b, c) = await ThreeModelsAsync((_, _) => broken);
        using var router = kit.Router(ByQuality);
        var received = new List<ChatResponseUpdate>();

        var act = async () =>
        {
            await foreach (var update in router.GetStreamingResponseAsync(Hello))
            {
                received.Add(update);
            }
        };

        await act.Should().ThrowAsync<HttpRequestException>().WithMessage("reset");
        received.Should().ContainSingle().Which.ModelId.Should().Be("m/b");
        (b.Calls, c.Calls).Should().Be((1, 0));
        await router.FlushMetricsAsync(cancellationToken: Ct);
        (await kit.PointsAsync("m/b")).Should().Contain(p => p.Name == MetricNames.Errors);
    }

    [Fact]
    public async Task QualityFeedback_ReachesTheOnlineLearner()
    {
        var (kit, _, _, _) = await ThreeModelsAsync((i, _) => new SimReply("ok", TimeSpan.FromMilliseconds(10), Quality: i % 4 == 0 ? 0 : 1));
        using var router = kit.Router(ByQuality, new SelectingChatClientOptions { QualityFeedback = r => (double)r.AdditionalProperties!["sim.quality"]! });

        for (var i = 0; i < 8; i++)
        {
            await router.GetResponseAsync(Hello, cancellationToken: Ct);
        }

        // Outcome i decays by 0.999 at each of the 7 - i later outcomes; the calls 0 and 4 were graded 0.
        var expectedWeight = Enumerable.Range(0, 8).Sum(i => Math.Pow(0.999, 7 - i));
        var expectedMean = Enumerable.Range(0, 8).Where(i => i % 4 != 0).Sum(i => Math.Pow(0.999, 7 - i)) / expectedWeight;
        var (weight, mean) = kit.Engine.OnlinePosterior(null, "m/b");
        weight.Should().BeApproximately(expectedWeight, 1e-9);
        mean.Should().BeApproximately(expectedMean, 1e-9);
    }

    [Fact]
    public async Task AFailingMetricStore_DropsPoints_ButNeverFailsTheRequest()
    {
        var (kit, _, _, _) = await ThreeModelsAsync();
        using var router = kit.Router(ByQuality, metrics: FailingMetricStorage.Create());

        var response = await router.GetResponseAsync(Hello, cancellationToken: Ct);
        await router.FlushMetricsAsync(cancellationToken: Ct);

        response.ModelId.Should().Be("m/b");
        router.DroppedMetricPoints.Should().Be(5);
    }

    [Fact]
    public async Task ModelWithoutClient_IsSkipped_AndNamedWhenNothingServes()
    {
        var kit = new RoutingFixture();
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "m/orphan", Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
        await StoredEvidence.AddCompletedRunAsync(kit.Storage, "run-orphan", "m/orphan", kit.Clock.GetUtcNow().AddDays(-1), mean: 0.99, n: 500, p95: TimeSpan.FromMilliseconds(100));
        kit.Evidence.Invalidate();
        using var router = kit.Router(ByQuality);

        var act = () => router.GetResponseAsync(Hello);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("'m/orphan'").And.Contain("keyed IChatClient");
    }

    [Fact]
    public void Constructor_RejectsInvalidOptions()
    {
        var kit = new RoutingFixture();

        var act = () => kit.Router(ByQuality, new SelectingChatClientOptions { MaxAttempts = 0 });

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "options.MaxAttempts");
    }
}
