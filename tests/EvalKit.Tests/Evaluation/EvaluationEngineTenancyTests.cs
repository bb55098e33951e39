using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Evaluation;

/// <summary>
/// A run belongs to the tenant that started it: its background work (writer, workers, final updates, metric points, cached
/// answers) lands in that tenant even when the host's tenant context answers differently by the time it runs, and other
/// tenants can neither see nor cancel it.
/// </summary>
public sealed class EvaluationEngineTenancyTests : IAsyncDisposable
{
    private const string ModelId = "local/model";
    private const string A = "acme";
    private const string B = "globex";
    private readonly HostTenantContext _context = new(A);
    private readonly GatedModel _model = new();
    private readonly ServiceProvider _services;

    public EvaluationEngineTenancyTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITenantContext>(_context);
        services.AddEvalKit(o => o.RetryBaseDelay = TimeSpan.Zero);
        services.AddKeyedChatClient(ModelId, _model);
        _services = services.BuildServiceProvider();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEvaluationEngine Engine => _services.GetRequiredService<IEvaluationEngine>();

    private IEvalKitStorage Storage => _services.GetRequiredService<IEvalKitStorage>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private async Task<string> SetUpTenantAsync(string tenant, int cases)
    {
        _context.Tenant = tenant;
        await _services.GetRequiredService<IModelRegistry>().RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        return (await _services.GetRequiredService<IDatasetStore>().ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct)).Id;
    }

    [Fact]
    public async Task ARunWhoseCallersTenantChangesBeforeItCompletes_StoresEverythingInTheTenantThatStartedIt()
    {
        var dataset = await SetUpTenantAsync(A, cases: 6);
        var options = new EvaluationOptions { MaxConcurrency = 2, WriteBatchSize = 2, UseResponseCache = true };

        var running = Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "r1", Options = options }, cancellationToken: Ct);
        await _model.FirstCallStarted.WaitAsync(Ct);

        // The request that started the run is over: the host's context now names another tenant.
        _context.Tenant = B;
        _model.Release();
        var run = await running;

        run.Status.Should().Be(RunStatus.Completed);
        using (EvalKitTenant.Use(A))
        {
            (await Storage.Runs.GetAsync("r1", Ct))!.Status.Should().Be(RunStatus.Completed, "the final update went to the run's tenant");
            (await Storage.Results.CountAsync("r1", Ct)).Total.Should().Be(6);
            (await Storage.Metrics.QueryAsync(ModelId, null, run.CreatedAt.AddDays(-1), run.CompletedAt!.Value.AddDays(1), Ct).ToListAsync(Ct))
                .Should().NotBeEmpty("the run's metric points are A's");
        }

        using (EvalKitTenant.Use(B))
        {
            (await Storage.Runs.GetAsync("r1", Ct)).Should().BeNull();
            (await Storage.Results.CountAsync("r1", Ct)).Total.Should().Be(0);
            (await Storage.Metrics.QueryAsync(ModelId, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct)).Should().BeEmpty();
        }

        // The answers were cached for A: A's rerun is served from the cache, while B's identical run (same model id, dataset
        // and prompts, in B's own store) calls the model for every case.
        _context.Tenant = A;
        var rerun = await Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = options }, cancellationToken: Ct);
        rerun.Summary!.CachedCount.Should().Be(6);
        await SetUpTenantAsync(B, cases: 6);
        var ofB = await Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = options }, cancellationToken: Ct);
        ofB.Summary!.CachedCount.Should().Be(0);
        ofB.Summary.Total.Should().Be(6);
    }

    [Fact]
    public async Task AnotherTenant_CanNeitherSeeNorCancelARunningRun_ThatHasTheSameIdAsOneOfItsOwn()
    {
        var dataset = await SetUpTenantAsync(A, cases: 4);
        var running = Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "shared-id" }, cancellationToken: Ct);
        await _model.FirstCallStarted.WaitAsync(Ct);

        using (EvalKitTenant.Use(B))
        {
            (await Engine.CancelAsync("shared-id", Ct)).Should().BeFalse("B has no run shared-id");
            await FluentActions.Awaiting(async () => await Engine.GetStatusAsync("shared-id", Ct)).Should().ThrowAsync<NotFoundException>();
            await FluentActions.Awaiting(async () => await Engine.ResumeAsync("shared-id", Ct)).Should().ThrowAsync<NotFoundException>();
        }

        _model.Release();
        (await running).Status.Should().Be(RunStatus.Completed, "B's cancel did not reach A's run");

        // B may now run a run with the same id; A's stays as it was.
        await SetUpTenantAsync(B, cases: 2);
        using (EvalKitTenant.Use(B))
        {
            (await Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "shared-id" }, cancellationToken: Ct)).TotalCount.Should().Be(2);
        }

        using (EvalKitTenant.Use(A))
        {
            (await Engine.GetStatusAsync("shared-id", Ct)).Should().Match<EvaluationStatus>(s => s.Done == 4 && s.Total == 4 && s.Status == RunStatus.Completed);
        }
    }

    [Fact]
    public async Task QueueWorkers_ClaimOnlyTheShardsOfTheirOwnTenant()
    {
        _model.Release();
        var dataset = await SetUpTenantAsync(A, cases: 5);
        var enqueued = await Engine.EnqueueAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, new DistributedRunOptions { ShardSize = 2 }, Ct);
        var idle = new WorkerOptions { WorkerId = "w", StopWhenIdle = true };

        _context.Tenant = B;
        var ofB = await Engine.RunWorkerAsync(idle, Ct);
        ofB.ShardsCompleted.Should().Be(0, "A's shards are not B's to claim");

        _context.Tenant = A;
        var ofA = await Engine.RunWorkerAsync(idle, Ct);
        ofA.RunsFinalized.Should().Equal(enqueued.Id);
        ofA.ShardsCompleted.Should().Be(4, "three shards of cases and the finalizing one");
        (await Storage.Runs.GetAsync(enqueued.Id, Ct))!.Status.Should().Be(RunStatus.Completed);
        (await Storage.Results.CountAsync(enqueued.Id, Ct)).Total.Should().Be(5);
    }

    /// <summary>A host's tenant context that reads a value the host changes (as one reading the current request would).</summary>
    private sealed class HostTenantContext(string tenant) : ITenantContext
    {
        private volatile string _tenant = tenant;

        public string Tenant
        {
            get => _tenant;
            set => _tenant = value;
        }

        public string CurrentTenant => _tenant;
    }

    /// <summary>A model that answers "4", holding every call until <see cref="Release"/>.</summary>
    private sealed class GatedModel : IChatClient
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstCallStarted => _started.Task;

        public void Release() => _released.TrySetResult();

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            _started.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "4")) { Usage = new UsageDetails { InputTokenCount = 3, OutputTokenCount = 1 } };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The gated model does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
