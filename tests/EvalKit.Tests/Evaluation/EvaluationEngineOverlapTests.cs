using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Projects;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Evaluation;

/// <summary>
/// A worker starts its next call as soon as the model has answered, and scores the answer while that call runs; the calls
/// in flight never exceed <see cref="EvaluationOptions.MaxConcurrency"/>. A scorer that waits for the next call to start
/// proves the order: with scoring first it would wait for ever (here: until its guard times out and the score fails).
/// </summary>
public sealed class EvaluationEngineOverlapTests : IAsyncDisposable
{
    private const string ModelId = "local/model";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly ModelClientMap _clients = new();
    private readonly EvalKitHost _kit;
    private readonly TaskCompletionSource _secondCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;

    public EvaluationEngineOverlapTests()
    {
        _kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, clients: _clients);
        _clients.Add(ModelId, new FakeChatClient(async (_, _, ct) =>
        {
            var inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, inFlight);
            if (Interlocked.Increment(ref _calls) == 2)
            {
                _secondCall.TrySetResult();
            }

            await Task.Yield(); // an answer that comes later, as a remote model's does
            Interlocked.Decrement(ref _inFlight);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
        }));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Worker_StartsItsNextCall_BeforeItScoresTheAnswer()
    {
        var dataset = await SetUpAsync(cases: 4);

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Scorers = [WaitsForTheSecondCall()], Options = new EvaluationOptions { MaxConcurrency = 1 } },
            cancellationToken: Ct);

        run.Status.Should().Be(RunStatus.Completed);
        run.Summary!.Metrics["waits"].Mean.Should().Be(1, "the first answer's scorer saw the second call start");
        run.Summary.Metrics["waits"].Errors.Should().Be(0);
        _maxInFlight.Should().Be(1, "MaxConcurrency bounds the model calls in flight");
        _calls.Should().Be(4);
    }

    [Fact]
    public async Task WithABudget_EachCaseIsFinished_BeforeTheNextCall()
    {
        var dataset = await SetUpAsync(cases: 3, pricing: new ModelPricing { InputPerMillionTokens = 1m, OutputPerMillionTokens = 1m });
        var project = await _kit.Projects.CreateAsync(new ProjectDefinition { Id = "p", Name = "P", Budget = new ProjectBudget { HardLimit = 1_000m } }, Ct);
        var scored = 0;
        var scorer = new DelegateScorer("order", (context, _) =>
        {
            // Scored before the next call: the calls so far are the cases scored so far plus this one.
            var calls = Volatile.Read(ref _calls);
            return ValueTask.FromResult(new Score { Name = "order", Value = calls == Interlocked.Increment(ref scored) ? 1 : 0 });
        });

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, ProjectId = project.Id, Scorers = [scorer], Options = new EvaluationOptions { MaxConcurrency = 1 } },
            cancellationToken: Ct);

        run.Summary!.Metrics["order"].Mean.Should().Be(1, "a budget settles every call before the next one is reserved");
    }

    [Fact]
    public async Task CaseFailingWhileTheNextOneCalls_TheRunEndsOnlyAfterThatCall()
    {
        // Case 0's scorer waits for case 1's call to start, then cancels the run. That call ignores the cancellation and
        // answers a million thread-pool turns after it (far longer than a run takes to stop): the run must wait
        // for it, not leave it running behind.
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var secondCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var calls = 0;
        var clients = new ModelClientMap().Add(ModelId, new FakeChatClient(async (_, _, _) =>
        {
            Interlocked.Increment(ref inFlight);
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Yield();
            }
            else
            {
                secondCall.TrySetResult();
                await cancelled.Task.WaitAsync(Guard, CancellationToken.None);
                for (var i = 0; i < 1_000_000; i++)
                {
                    await Task.Yield();
                }
            }

            Interlocked.Decrement(ref inFlight);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
        }));
        await using var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, clients: clients);
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        var dataset = (await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(5)), Ct)).Id;
        var scorer = new DelegateScorer("cancels", async (context, ct) =>
        {
            if (context.Case.Id == "case-0")
            {
                await secondCall.Task.WaitAsync(Guard, CancellationToken.None);
                await cancellation.CancelAsync();
                cancelled.TrySetResult();
                ct.ThrowIfCancellationRequested();
            }

            return new Score { Name = "cancels", Value = 1 };
        });

        var act = () => kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "r", Scorers = [scorer], Options = new EvaluationOptions { MaxConcurrency = 1 } },
            cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Volatile.Read(ref inFlight).Should().Be(0, "no call outlives its run");
        calls.Should().Be(2, "no case starts after the cancel");
        var run = await kit.Storage.Runs.GetAsync("r", Ct);
        run!.Status.Should().Be(RunStatus.Cancelled);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }

    private DelegateScorer WaitsForTheSecondCall()
    {
        var first = 0;
        return new DelegateScorer("waits", async (context, ct) =>
        {
            if (Interlocked.Exchange(ref first, 1) == 0)
            {
                await _secondCall.Task.WaitAsync(Guard, ct);
            }

            return new Score { Name = "waits", Value = 1 };
        });
    }

    private async Task<string> SetUpAsync(int cases, ModelPricing? pricing = null)
    {
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId, Pricing = pricing }, Ct);
        return (await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct)).Id;
    }
}
