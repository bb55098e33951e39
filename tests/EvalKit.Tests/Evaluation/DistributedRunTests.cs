using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Evaluation;

/// <summary>
/// Distributed runs in one process: several engines (as several worker processes would) share one store, claim shards,
/// and complete the run once. The multi-process test with a killed worker is in the SQLite tests.
/// </summary>
public sealed class DistributedRunTests
{
    private const string ModelId = "local/model";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly WorkerOptions FastWorker = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(30),
        HeartbeatInterval = TimeSpan.FromSeconds(10),
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    // Right on even case numbers, wrong on odd ones; fails fatally on every 50th.
    private static FakeChatClient Model() => new((messages, _, _) =>
    {
        var text = messages.Last(m => m.Role == ChatRole.User).Text;
        var n = int.Parse(text.AsSpan(8, text.IndexOf(' ', 8) - 8), CultureInfo.InvariantCulture);
        return n % 50 == 49
            ? throw new ModelCallException(ErrorCategory.Fatal, "refused")
            : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, (n % 2 == 0 ? n + n : n).ToString(CultureInfo.InvariantCulture))));
    });

    private static async Task<EvalKitHost> HostAsync(IEvalKitStorage storage, IChatClient client, bool seed)
    {
        var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage, new ModelClientMap().Add(ModelId, client));
        if (seed)
        {
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
            await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(1_000, groups: 10)), Ct);
        }

        return kit;
    }

    private static EvaluationRequest Request(string? runId = null) => new()
    {
        ModelId = ModelId,
        DatasetId = "arith@1",
        RunId = runId,
        Options = new EvaluationOptions { MaxConcurrency = 4, Repetitions = 2, Seed = 7 },
    };

    [Fact]
    public async Task ThreeWorkers_ShareTheShards_StoreEveryResultOnce_AndSummarizeLikeOneProcess()
    {
        var storage = new InMemoryEvalKitStorage();
        await using var owner = await HostAsync(storage, Model(), seed: true);
        var run = await owner.Engine.EnqueueAsync(Request("distributed"), new DistributedRunOptions { ShardSize = 60 }, Ct);
        run.Status.Should().Be(RunStatus.Running);
        (await storage.Shards.CountAsync(run.Id, Ct)).Should().Be(new ShardCounts(18, 0, 0), "1,000 cases in shards of 60 make 17, plus the finalizing shard");

        var clients = Enumerable.Range(0, 3).Select(_ => Model()).ToList();
        var kits = clients.Select(c => EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage, new ModelClientMap().Add(ModelId, c))).ToList();
        var reports = await Task.WhenAll(kits.Select((k, i) => k.Engine.RunWorkerAsync(run.Id, FastWorker with { WorkerId = $"w{i}" }, Ct)));

        reports.Sum(r => r.ShardsCompleted).Should().Be(18);
        reports.Sum(r => r.ResultsWritten).Should().Be(2_000);
        reports.SelectMany(r => r.RunsFinalized).Should().Equal(run.Id);
        clients.Sum(c => c.Calls).Should().Be(2_000, "no (case, repetition) is asked twice");
        var done = await owner.Engine.GetResultsAsync(run.Id, Ct);
        done.Run.Status.Should().Be(RunStatus.Completed);
        done.Results.Select(r => (r.CaseOrdinal, r.Repetition)).Should().OnlyHaveUniqueItems().And.HaveCount(2_000);

        var single = await owner.Engine.EvaluateAsync(Request(), cancellationToken: Ct);
        done.Run.Summary.Should().BeEquivalentTo(single.Summary!, o => o
            .Excluding(s => s.Latency).Excluding(s => s.TimeToFirstToken).Excluding(s => s.Duration).Excluding(s => s.Throughput));
        done.Run.Summary!.Failed.Should().Be(40);
        var points = await storage.Metrics.QueryAsync(ModelId, "exact_match", run.CreatedAt.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), Ct).ToListAsync(Ct);
        points.Where(p => p.RunId == run.Id).Should().ContainSingle("the run's summary is recorded once, by the worker that finalized it")
            .Which.Value.Should().Be(done.Run.Summary.Metrics["exact_match"].Mean);

        foreach (var kit in kits)
        {
            await kit.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShardOfADeadWorker_IsTakenOverAfterItsLease_AndWhatItStoredIsNotAskedAgain()
    {
        var storage = new InMemoryEvalKitStorage();
        var client = Model();
        await using var kit = await HostAsync(storage, client, seed: true);
        var run = await kit.Engine.EnqueueAsync(Request("takeover"), new DistributedRunOptions { ShardSize = 400 }, Ct);

        // A worker claimed shard 0 a minute ago, stored two results and died: its lease has long expired.
        var dead = await storage.Shards.TryClaimAsync(run.Id, "dead", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromSeconds(30), Ct);
        dead!.Shard.Index.Should().Be(0);
        await storage.Results.AppendAsync([TestData.Result(run.Id, 0, 0), TestData.Result(run.Id, 1, 1)], Ct);

        var report = await kit.Engine.RunWorkerAsync(run.Id, FastWorker with { WorkerId = "alive" }, Ct);

        report.ShardsCompleted.Should().Be(4, "shards 0 (taken over), 1, 2 and the finalizing shard");
        report.ResultsWritten.Should().Be(1_998);
        client.Calls.Should().Be(1_998, "the two stored results are skipped");
        var shards = await storage.Shards.ListAsync(run.Id, Ct).ToListAsync(Ct);
        shards[0].Claims.Should().Be(2);
        shards[0].WorkerId.Should().Be("alive");
        (await storage.Shards.CompleteAsync(dead, DateTimeOffset.UtcNow, Ct)).Should().BeFalse("the dead worker's lease is gone");
        (await kit.Engine.GetStatusAsync(run.Id, Ct)).Status.Should().Be(RunStatus.Completed);
    }

    [Fact]
    public async Task ShardThatFailsOnEveryAttempt_FailsTheRunWithTheError_AndTheWorkerReturns()
    {
        var storage = new InMemoryEvalKitStorage();
        await using var kit = await HostAsync(storage, Model(), seed: true);
        var run = await kit.Engine.EnqueueAsync(Request("poison"), new DistributedRunOptions { ShardSize = 400 }, Ct);

        // An earlier attempt at shard 0 died (its lease expired long ago); this worker has no client for the run's model,
        // so its attempt fails too: the second of two allowed.
        _ = await storage.Shards.TryClaimAsync(run.Id, "dead", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromSeconds(30), Ct);
        await using var misconfigured = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage, new ModelClientMap());

        var report = await misconfigured.Engine.RunWorkerAsync(run.Id, FastWorker with { WorkerId = "misconfigured", MaxShardAttempts = 2 }, Ct)
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);

        report.ShardsFailed.Should().Be(1);
        report.RunsFailed.Should().Equal(run.Id);
        report.ShardsCompleted.Should().Be(0);
        var failed = await storage.Runs.GetAsync(run.Id, Ct);
        failed!.Status.Should().Be(RunStatus.Failed);
        failed.Error.Should().Contain("Shard 0").And.Contain("2 attempts").And.Contain(ModelId, "the last error names what was missing");
        (await storage.Shards.ListAsync(run.Id, Ct).ToListAsync(Ct))[0].State.Should().Be(ShardState.Done, "a failed run's shard is not claimed again");
        (await storage.Results.CountAsync(run.Id, Ct)).Total.Should().Be(0);

        var queue = await kit.Engine.RunWorkerAsync(FastWorker with { WorkerId = "queue", StopWhenIdle = true }, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        queue.ResultsWritten.Should().Be(0, "a queue worker leaves the shards of a failed run alone");
    }

    [Fact]
    public void WorkerOptions_MaxShardAttempts_MustBePositive() =>
        FluentActions.Invoking(() => new WorkerOptions { MaxShardAttempts = 0 }.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxShardAttempts");

    [Fact]
    public async Task QueueWorker_ServesEveryEnqueuedRun_AndStopsWhenIdle()
    {
        var storage = new InMemoryEvalKitStorage();
        var client = Model();
        await using var kit = await HostAsync(storage, client, seed: true);
        var first = await kit.Engine.EnqueueAsync(Request("first"), new DistributedRunOptions { ShardSize = 300 }, Ct);
        var second = await kit.Engine.EnqueueAsync(Request("second"), new DistributedRunOptions { ShardSize = 700 }, Ct);

        var report = await kit.Engine.RunWorkerAsync(FastWorker with { StopWhenIdle = true }, Ct);

        report.RunsFinalized.Should().BeEquivalentTo([first.Id, second.Id]);
        report.ShardsCompleted.Should().Be(5 + 3);
        (await kit.Engine.GetStatusAsync(first.Id, Ct)).Status.Should().Be(RunStatus.Completed);
        (await kit.Engine.GetStatusAsync(second.Id, Ct)).Status.Should().Be(RunStatus.Completed);
        client.Calls.Should().Be(4_000);
    }

    [Fact]
    public async Task CancelledDistributedRun_StopsItsWorkers_AndKeepsWhatWasStored()
    {
        var storage = new InMemoryEvalKitStorage();
        var client = Model();
        await using var kit = await HostAsync(storage, client, seed: true);
        var run = await kit.Engine.EnqueueAsync(Request("cancelled"), new DistributedRunOptions { ShardSize = 100 }, Ct);

        (await kit.Engine.CancelAsync(run.Id, Ct)).Should().BeTrue();
        var report = await kit.Engine.RunWorkerAsync(run.Id, FastWorker, Ct);

        report.ShardsCompleted.Should().Be(0);
        client.Calls.Should().Be(0);
        (await kit.Engine.GetStatusAsync(run.Id, Ct)).Status.Should().Be(RunStatus.Cancelled);
        (await kit.Engine.CancelAsync(run.Id, Ct)).Should().BeFalse("it is no longer running");
    }

    [Fact]
    public async Task Enqueue_OnAStoreThatCannotCoordinateWorkers_SaysSo()
    {
        await using var kit = await HostAsync(new NoShardStorage(new InMemoryEvalKitStorage()), Model(), seed: true);

        var act = async () => await kit.Engine.EnqueueAsync(Request(), cancellationToken: Ct);

        (await act.Should().ThrowAsync<NotSupportedException>()).WithMessage("*does not support distributed runs*");
        (await kit.Engine.EvaluateAsync(Request(), cancellationToken: Ct)).Status.Should().Be(RunStatus.Completed, "plain runs still work");
    }

    [Fact]
    public void Options_AreValidated()
    {
        FluentActions.Invoking(() => new DistributedRunOptions { ShardSize = 0 }.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ShardSize");
        FluentActions.Invoking(() => new WorkerOptions { HeartbeatInterval = TimeSpan.FromSeconds(30), LeaseDuration = TimeSpan.FromSeconds(30) }.Validate())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("HeartbeatInterval");
        FluentActions.Invoking(() => new WorkerOptions { WorkerId = " " }.Validate()).Should().Throw<ArgumentException>().WithParameterName("WorkerId");
    }

    // A third-party provider that predates distributed runs: it keeps the interface's default Shards.
    private sealed class NoShardStorage(InMemoryEvalKitStorage inner) : IEvalKitStorage
    {
        public IModelStorage Models => inner.Models;

        public IDatasetStorage Datasets => inner.Datasets;

        public IBenchmarkStorage Benchmarks => inner.Benchmarks;

        public IRunStorage Runs => inner.Runs;

        public IResultStorage Results => inner.Results;

        public IMetricStorage Metrics => inner.Metrics;

        public IResponseCacheStorage ResponseCache => inner.ResponseCache;

        public IAbTestStorage AbTests => inner.AbTests;

        public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>A store failure in the middle of a run ends the run with the failure, promptly: nothing waits forever.</summary>
public sealed class EngineFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StoreFailingMidRun_FailsTheRun_WithoutHanging(bool failWrites)
    {
        // The first write fails only once the workers have filled the result queue (batches of one: 1 in the batch, 64
        // queued, one in each worker's hands), so that the workers are waiting when the writer stops.
        var queueFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var model = FakeChatClient.Answering(_ =>
        {
            if (Interlocked.Increment(ref calls) >= 1 + 64 + 2)
            {
                queueFull.TrySetResult();
            }

            return "4";
        });
        var inner = new InMemoryEvalKitStorage();
        var storage = new FailingStorage(inner, failWrites, queueFull.Task);
        await using var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage, new ModelClientMap().Add("local/model", model));
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/model" }, Ct);
        await kit.Datasets.ImportAsync(new Dataset("many", "1", TestData.Cases(500)), Ct);

        // Writes fail: the writer stops while workers wait to hand over results. Cache reads fail: every worker fails
        // while the producer waits on a full work queue.
        var act = () => kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = "local/model", DatasetId = "many@1", Options = new EvaluationOptions { MaxConcurrency = 2, WriteBatchSize = 1, UseResponseCache = !failWrites } },
            cancellationToken: Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var error = await act.Should().ThrowAsync<Exception>();
        error.Which.Should().NotBeOfType<TimeoutException>("the run must end with the store's failure, not hang");
        (await inner.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().ContainSingle().Which.Status.Should().Be(RunStatus.Failed);
    }

    private sealed class FailingStorage(InMemoryEvalKitStorage inner, bool failWrites, Task queueFull) : IEvalKitStorage
    {
        public IModelStorage Models => inner.Models;

        public IDatasetStorage Datasets => inner.Datasets;

        public IBenchmarkStorage Benchmarks => inner.Benchmarks;

        public IRunStorage Runs => inner.Runs;

        public IResultStorage Results { get; } = failWrites ? new FailingResults(inner.Results, queueFull) : inner.Results;

        public IMetricStorage Metrics => inner.Metrics;

        public IResponseCacheStorage ResponseCache { get; } = failWrites ? inner.ResponseCache : new FailingCache();

        public IAbTestStorage AbTests => inner.AbTests;

        public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public void Dispose() => inner.Dispose();
    }

    private sealed class FailingResults(IResultStorage inner, Task queueFull) : IResultStorage
    {
        public async ValueTask<int> AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default)
        {
            await queueFull.WaitAsync(cancellationToken);
            throw new StorageException("The disk is full.");
        }

        public IAsyncEnumerable<CaseResult> ReadAsync(string runId, CancellationToken cancellationToken = default) => inner.ReadAsync(runId, cancellationToken);

        public IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, CancellationToken cancellationToken = default) => inner.ReadKeysAsync(runId, cancellationToken);

        public ValueTask<ResultCounts> CountAsync(string runId, CancellationToken cancellationToken = default) => inner.CountAsync(runId, cancellationToken);
    }

    private sealed class FailingCache : IResponseCacheStorage
    {
        public ValueTask<CachedResponse?> GetAsync(string key, CancellationToken cancellationToken = default) => throw new StorageException("The cache is gone.");

        public ValueTask AddAsync(IReadOnlyList<CachedResponse> entries, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
