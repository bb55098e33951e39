using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using EvalKit.Telemetry;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Evaluation;

/// <summary>Response cache, streaming, lifecycle notifications and telemetry.</summary>
public sealed class EvaluationEngineFeatureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<EvalKitHost> HostAsync(IChatClient client, IEvalKitStorage? storage = null, IEnumerable<IEvaluationObserver>? observers = null, string modelId = "local/model", int cases = 6)
    {
        var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage, new ModelClientMap().Add(modelId, client), observers: observers);
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = modelId, Pricing = new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 1 } }, Ct);
        await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct);
        return kit;
    }

    [Fact]
    public async Task ResponseCache_RerunOfTheSameSuite_CostsNoModelCalls_AndIsMarkedCached()
    {
        var client = FakeChatClient.Answering(p => p.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), inputTokens: 5, outputTokens: 1);
        await using var kit = await HostAsync(client);
        var request = new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1", Options = new EvaluationOptions { UseResponseCache = true, Repetitions = 2, Seed = 1 } };

        var first = await kit.Engine.EvaluateAsync(request, cancellationToken: Ct);
        var second = await kit.Engine.EvaluateAsync(request, cancellationToken: Ct);

        client.Calls.Should().Be(12, "the second run is served from the cache");
        first.Summary!.CachedCount.Should().Be(0);
        second.Summary!.CachedCount.Should().Be(12);
        second.Summary.Latency.Should().BeNull("cached answers are not counted in latency");
        second.Summary.TotalCost.Should().Be(0);
        var firstResults = (await kit.Engine.GetResultsAsync(first.Id, Ct)).Results;
        var secondResults = (await kit.Engine.GetResultsAsync(second.Id, Ct)).Results;
        secondResults.Should().OnlyContain(r => r.Cached && r.Latency == null);
        secondResults.Select(r => r.Output).Should().Equal(firstResults.Select(r => r.Output));
        second.Summary.Metrics["exact_match"].Mean.Should().Be(first.Summary.Metrics["exact_match"].Mean);
    }

    [Fact]
    public async Task ResponseCache_DifferentOptionsOrModelRevision_MissTheCache()
    {
        var client = FakeChatClient.Answering(_ => "x");
        await using var kit = await HostAsync(client, cases: 2);
        var request = new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1", Options = new EvaluationOptions { UseResponseCache = true, Temperature = 0 } };
        await kit.Engine.EvaluateAsync(request, cancellationToken: Ct);

        await kit.Engine.EvaluateAsync(request with { Options = request.Options with { Temperature = 1 } }, cancellationToken: Ct);
        client.Calls.Should().Be(4);

        await kit.Registry.UpdateAsync("local/model", m => m with { Version = "2" }, Ct);
        await kit.Engine.EvaluateAsync(request, cancellationToken: Ct);
        client.Calls.Should().Be(6);
    }

    [Fact]
    public async Task Streaming_MeasuresTimeToFirstToken()
    {
        await using var kit = await HostAsync(new StreamingClient());

        var run = await kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1", Options = new EvaluationOptions { Streaming = true } }, cancellationToken: Ct);

        var results = (await kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        results.Should().OnlyContain(r => r.TimeToFirstToken != null && r.TimeToFirstToken <= r.Latency && r.Output == "2 + 2");
        results.Should().OnlyContain(r => r.OutputTokens == 3);
        run.Summary!.TimeToFirstToken!.Count.Should().Be(6);
    }

    [Fact]
    public async Task Observers_HearStartedAndCompleted_AndAThrowingObserverDoesNotStopTheRun()
    {
        var events = new ConcurrentQueue<RunEvent>();
        await using var kit = await HostAsync(FakeChatClient.Answering(_ => "x"), observers: [new Recorder(events), new Thrower()]);

        var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1" }, cancellationToken: Ct);

        run.Status.Should().Be(RunStatus.Completed);
        events.Select(e => e.Kind).Should().Equal(RunEventKind.Started, RunEventKind.Completed);
        events.Last().Run.Summary.Should().NotBeNull();
    }

    [Fact]
    public async Task Observers_HearCancelled()
    {
        var events = new ConcurrentQueue<RunEvent>();
        using var started = new SemaphoreSlim(0);
        var client = new FakeChatClient(async (_, _, ct) =>
        {
            started.Release();
            await Task.Delay(Timeout.Infinite, ct);
            return new ChatResponse();
        });
        await using var kit = await HostAsync(client, observers: [new Recorder(events)]);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var running = kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1" }, cancellationToken: cancel.Token);
        await started.WaitAsync(Ct);
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => running).Should().ThrowAsync<OperationCanceledException>();
        events.Select(e => e.Kind).Should().Equal(RunEventKind.Started, RunEventKind.Cancelled);
        events.Last().Run.Status.Should().Be(RunStatus.Cancelled);
    }

    [Fact]
    public async Task Telemetry_EmitsRunAndCaseActivitiesAndTheInstruments()
    {
        const string model = "local/telemetry-model";
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EvalKitTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("gen_ai.request.model"), model))
                {
                    activities.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EvalKitTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        meters.Start();

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("gen_ai.request.model"), model))
            {
                measurements.Enqueue((instrument.Name, value, map));
            }
        }

        var client = new FakeChatClient((messages, _, _) => messages.Last().Text.Contains(" 3 ", StringComparison.Ordinal)
            ? throw new HttpRequestException("bad", null, System.Net.HttpStatusCode.BadRequest)
            : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 } }));
        await using var kit = await HostAsync(client, modelId: model);

        await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = model, DatasetId = "arith@1" }, cancellationToken: Ct);

        activities.Count(a => a.OperationName == "evalkit.run").Should().Be(1);
        activities.Count(a => a.OperationName == "evalkit.case").Should().Be(6);
        activities.Single(a => a.OperationName == "evalkit.case" && a.Status == ActivityStatusCode.Error).GetTagItem("evalkit.case.id").Should().Be("case-3");
        measurements.Where(m => m.Instrument == "evalkit.evaluation.cases").Sum(m => m.Value).Should().Be(6);
        measurements.Where(m => m.Instrument == "evalkit.evaluation.errors").Should().ContainSingle().Which.Tags["error.type"].Should().Be("Fatal");
        measurements.Where(m => m.Instrument == "evalkit.evaluation.tokens" && Equals(m.Tags["gen_ai.token.type"], "input")).Sum(m => m.Value).Should().Be(50);
        measurements.Count(m => m.Instrument == "evalkit.evaluation.call.duration").Should().Be(6);
        measurements.Where(m => m.Instrument == "evalkit.evaluation.cost").Sum(m => m.Value).Should().BeApproximately(5 * 12 / 1e6, 1e-12);
        measurements.SelectMany(m => m.Tags.Keys).Should().NotContain(["evalkit.run.id", "evalkit.case.id"], "ids are high-cardinality: spans only");
    }

    [Fact]
    public async Task StreamResults_WhileTheRunIsRunning_YieldsEveryResultOnceAndEndsWithTheRun()
    {
        using var release = new SemaphoreSlim(0);
        var client = new FakeChatClient(async (messages, _, ct) =>
        {
            // The second half of the cases waits until the reader has seen the first results.
            if (int.Parse(messages.Last().Text.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) >= 10)
            {
                await release.WaitAsync(ct);
                release.Release();
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
        });
        var events = new ConcurrentQueue<RunEvent>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kit = await HostAsync(client, cases: 20, observers: [new Recorder(events, started)]);

        var running = kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1", RunId = "live", Options = new EvaluationOptions { MaxConcurrency = 2, WriteBatchSize = 1 } },
            cancellationToken: Ct);
        await started.Task.WaitAsync(Ct);

        var streamed = new List<CaseResult>();
        await foreach (var result in kit.Engine.StreamResultsAsync("live", Ct))
        {
            streamed.Add(result);
            if (streamed.Count == 1)
            {
                (await kit.Engine.GetStatusAsync("live", Ct)).Status.Should().Be(RunStatus.Running);
                release.Release();
            }
        }

        (await running).Status.Should().Be(RunStatus.Completed);
        streamed.Select(r => r.CaseOrdinal).Should().BeEquivalentTo(Enumerable.Range(0, 20).Select(i => (long)i));
    }

    [Fact]
    public async Task RequestsPerMinute_AdmitsNoMoreCallsThanTheBudget()
    {
        var calls = new ConcurrentQueue<long>();
        var client = new FakeChatClient((_, _, _) =>
        {
            calls.Enqueue(TimeProvider.System.GetTimestamp());
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));
        });
        await using var kit = await HostAsync(client, cases: 7);

        // 120 per minute: two calls a second, refilled every second.
        await kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1", Options = new EvaluationOptions { RequestsPerMinute = 120, MaxConcurrency = 7 } },
            cancellationToken: Ct);

        var times = calls.Order().ToArray();
        times.Should().HaveCount(7);
        // Margins of 10% allow for the limiter's timer firing a little early.
        TimeProvider.System.GetElapsedTime(times[0], times[^1]).Should().BeGreaterThan(TimeSpan.FromSeconds(1.8), "7 calls at 2 per second need three refills");
        for (var i = 0; i + 4 < times.Length; i++)
        {
            TimeProvider.System.GetElapsedTime(times[i], times[i + 4]).Should().BeGreaterThan(TimeSpan.FromSeconds(0.9), "no window of a second admits five calls");
        }
    }

    private sealed class Recorder(ConcurrentQueue<RunEvent> events, TaskCompletionSource? started = null) : IEvaluationObserver
    {
        public ValueTask OnRunEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
        {
            events.Enqueue(runEvent);
            if (runEvent.Kind == RunEventKind.Started)
            {
                started?.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Thrower : IEvaluationObserver
    {
        public ValueTask OnRunEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default) => throw new InvalidOperationException("observer bug");
    }

    private sealed class StreamingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("This fake only streams.");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "2");
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, " + 2");
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 })] };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
