using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Security;

/// <summary>
/// A host whose policy denies some operations to some actors: a denied operation writes nothing and is audited as denied;
/// every other write is audited once, as succeeded or failed, without any content.
/// </summary>
public sealed class AuthorizationAndAuditTests : IAsyncDisposable
{
    private const string ModelId = "local/model";
    private const string Admin = "admin@acme";
    private const string Intern = "intern@acme";
    private readonly InMemoryEvalKitStorage _storage = new();
    private readonly ModelClientMap _clients = new();
    private readonly SwitchableActor _actor = new(Admin);
    private readonly RulePolicy _policy = new();
    private readonly EvalKitHost _kit;

    public AuthorizationAndAuditTests()
    {
        _kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, _storage, _clients, authorization: _policy, actorContext: _actor);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    private async Task<List<AuditEntry>> AuditAsync(AuditQuery? query = null)
    {
        var all = new List<AuditEntry>();
        query ??= new AuditQuery();
        while (true)
        {
            var page = await _kit.Audit.QueryAsync(query, Ct);
            all.AddRange(page.Entries);
            if (page.Next is null)
            {
                return all;
            }

            query = query with { After = page.Next };
        }
    }

    private async Task<string> SetUpAsync(FakeChatClient client, int cases = 5)
    {
        _clients.Add(ModelId, client);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        var info = await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct);
        return info.Id;
    }

    [Fact]
    public async Task DeniedDelete_LeavesTheModel_AndIsAuditedAsDeniedWithTheActor()
    {
        _policy.Deny(EvalKitOperationKinds.ModelDelete, Intern);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        _actor.Current = Intern;

        var act = async () => await _kit.Registry.DeleteAsync(ModelId, Ct);

        var denial = (await act.Should().ThrowAsync<EvalKitAuthorizationException>()).Which;
        denial.Message.Should().Contain(Intern).And.Contain("model.delete").And.Contain($"model '{ModelId}'");
        denial.Operation.Should().Be(new EvalKitOperation
        {
            Kind = EvalKitOperationKinds.ModelDelete, RecordType = EvalKitRecordTypes.Model, RecordId = ModelId, TenantId = EvalKitTenant.Default, Actor = Intern,
        });
        (await _storage.Models.GetAsync(ModelId, Ct)).Should().NotBeNull();
        (await _storage.Models.GetRevisionsAsync(ModelId, Ct).ToListAsync(Ct)).Should().ContainSingle();

        var audit = await AuditAsync();
        audit.Select(e => (e.Operation, e.Actor, e.Outcome)).Should().Equal(
            (EvalKitOperationKinds.ModelDelete, Intern, AuditOutcome.Denied),
            (EvalKitOperationKinds.ModelRegister, Admin, AuditOutcome.Succeeded));
        audit[0].Should().BeEquivalentTo(new
        {
            TenantId = EvalKitTenant.Default, RecordType = EvalKitRecordTypes.Model, RecordId = ModelId, ErrorType = typeof(EvalKitAuthorizationException).FullName,
        });

        // The same call by an actor the policy allows goes through.
        _actor.Current = Admin;
        (await _kit.Registry.DeleteAsync(ModelId, Ct)).Should().BeTrue();
        (await AuditAsync(new AuditQuery { Outcome = AuditOutcome.Succeeded, Operation = EvalKitOperationKinds.ModelDelete })).Should().ContainSingle().Which.Actor.Should().Be(Admin);
    }

    [Fact]
    public async Task DeniedRegistrationAndImport_StoreNothing()
    {
        _policy.Deny(EvalKitOperationKinds.ModelRegister, Intern);
        _policy.Deny(EvalKitOperationKinds.DatasetImport, Intern);
        _policy.Deny(EvalKitOperationKinds.BenchmarkSave, Intern);
        _actor.Current = Intern;

        await FluentActions.Awaiting(async () => await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct)).Should().ThrowAsync<EvalKitAuthorizationException>();
        await FluentActions.Awaiting(async () => await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(3)), Ct)).Should().ThrowAsync<EvalKitAuthorizationException>();
        await FluentActions.Awaiting(async () => await _kit.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "b", Name = "b", DatasetId = "arith@1" }, Ct)).Should().ThrowAsync<EvalKitAuthorizationException>();

        (await _storage.Models.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
        (await _storage.Datasets.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
        (await _storage.Benchmarks.GetAsync("b", Ct)).Should().BeNull();
        (await AuditAsync()).Select(e => (e.Operation, e.RecordId, e.Outcome)).Should().Equal(
            (EvalKitOperationKinds.BenchmarkSave, "b", AuditOutcome.Denied),
            (EvalKitOperationKinds.DatasetImport, "arith@1", AuditOutcome.Denied),
            (EvalKitOperationKinds.ModelRegister, ModelId, AuditOutcome.Denied));
    }

    [Fact]
    public async Task DeniedEvaluation_CallsNoModel_StoresNoRun_AndNamesTheRunInTheAudit()
    {
        var model = FakeChatClient.Answering(_ => "4");
        var dataset = await SetUpAsync(model);
        _policy.Deny(EvalKitOperationKinds.EvaluationEvaluate, Intern);
        _actor.Current = Intern;

        var act = () => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "run-1" }, cancellationToken: Ct);

        await act.Should().ThrowAsync<EvalKitAuthorizationException>().WithMessage("*evaluation.evaluate*run 'run-1'*");
        model.Calls.Should().Be(0);
        (await _storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty();
        (await _storage.Results.CountAsync("run-1", Ct)).Total.Should().Be(0);
        (await AuditAsync(new AuditQuery { Actor = Intern })).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Operation = EvalKitOperationKinds.EvaluationEvaluate, RecordType = EvalKitRecordTypes.Run, RecordId = "run-1", Outcome = AuditOutcome.Denied });
    }

    [Fact]
    public async Task DeniedMetricsDeleteAndAbTest_WriteNothing()
    {
        await SetUpAsync(FakeChatClient.Answering(_ => "4"));
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/other" }, Ct);
        await _kit.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "bench", Name = "bench", DatasetId = "arith@1" }, Ct);
        await _kit.Metrics.RecordAsync(ModelId, "latency_ms", 12, cancellationToken: Ct);
        _policy.Deny(EvalKitOperationKinds.MetricsDelete, Intern);
        _policy.Deny(EvalKitOperationKinds.AbTestCreate, Intern);
        _actor.Current = Intern;

        await FluentActions.Awaiting(async () => await _kit.Metrics.DeleteOlderThanAsync(new MetricRetentionRule { MaxAge = TimeSpan.FromTicks(1) }, Ct))
            .Should().ThrowAsync<EvalKitAuthorizationException>();
        await FluentActions.Awaiting(async () => await _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "t", ModelIds = [ModelId, "local/other"], BenchmarkId = "bench" }, Ct))
            .Should().ThrowAsync<EvalKitAuthorizationException>();

        (await _storage.Metrics.QueryAsync(ModelId, "latency_ms", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct)).Should().ContainSingle();
        (await _storage.AbTests.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
        (await AuditAsync(new AuditQuery { Outcome = AuditOutcome.Denied })).Select(e => e.Operation)
            .Should().Equal(EvalKitOperationKinds.AbTestCreate, EvalKitOperationKinds.MetricsDelete);
    }

    [Fact]
    public async Task MetricPoints_AreAuthorized_ButOnlyADeniedAppendIsAudited()
    {
        await SetUpAsync(FakeChatClient.Answering(_ => "4"));
        var before = (await AuditAsync(new AuditQuery())).Count;

        await _kit.Metrics.RecordAsync(ModelId, "latency_ms", 12, cancellationToken: Ct);
        await _kit.Metrics.RecordAsync(ModelId, "latency_ms", 13, cancellationToken: Ct);
        (await AuditAsync(new AuditQuery())).Should().HaveCount(before, "runtime points are data arriving with live traffic, not changes to audit");

        _policy.Deny(EvalKitOperationKinds.MetricsRecord, Intern);
        _actor.Current = Intern;
        await FluentActions.Awaiting(async () => await _kit.Metrics.RecordAsync(ModelId, "latency_ms", 14, cancellationToken: Ct))
            .Should().ThrowAsync<EvalKitAuthorizationException>();

        (await _storage.Metrics.QueryAsync(ModelId, "latency_ms", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct)).Should().HaveCount(2);
        (await AuditAsync(new AuditQuery { Outcome = AuditOutcome.Denied })).Should().ContainSingle()
            .Which.Operation.Should().Be(EvalKitOperationKinds.MetricsRecord);
    }

    [Fact]
    public async Task AnEvaluation_IsAuditedOnce_NotPerCase_AndTheAuditHoldsNoContent()
    {
        const string Answer = "the-secret-answer-text";
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => Answer), cases: 40);

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        run.Summary!.Total.Should().Be(40);
        var audit = await AuditAsync();
        audit.Select(e => e.Operation).Should().Equal(EvalKitOperationKinds.EvaluationEvaluate, EvalKitOperationKinds.DatasetImport, EvalKitOperationKinds.ModelRegister);
        audit[0].Should().BeEquivalentTo(new { RecordType = EvalKitRecordTypes.Run, RecordId = run.Id, Outcome = AuditOutcome.Succeeded, Actor = Admin, ErrorType = (string?)null });
        var text = string.Join("|", audit.Select(e => $"{e.Actor}|{e.Operation}|{e.RecordType}|{e.RecordId}|{e.ErrorType}"));
        text.Should().NotContain(Answer).And.NotContain("What is");
    }

    [Fact]
    public async Task AFailedOperation_IsAuditedAsFailed_WithItsErrorType()
    {
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);

        await FluentActions.Awaiting(async () => await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct)).Should().ThrowAsync<EvalKitException>();
        await FluentActions.Awaiting(async () => await _kit.Engine.ResumeAsync("no-such-run", Ct)).Should().ThrowAsync<NotFoundException>();

        var failed = await AuditAsync(new AuditQuery { Outcome = AuditOutcome.Failed });
        failed.Select(e => (e.Operation, e.RecordId, e.ErrorType)).Should().Equal(
            (EvalKitOperationKinds.EvaluationResume, "no-such-run", typeof(NotFoundException).FullName),
            (EvalKitOperationKinds.ModelRegister, ModelId, typeof(EvalKitException).FullName));
    }

    [Fact]
    public async Task APolicyThatFails_StopsTheOperation_AndIsAuditedAsFailed()
    {
        _policy.Failing = true;

        await FluentActions.Awaiting(async () => await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct)).Should().ThrowAsync<TimeoutException>();

        (await _storage.Models.GetAsync(ModelId, Ct)).Should().BeNull();
        (await AuditAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Outcome = AuditOutcome.Failed, ErrorType = typeof(TimeoutException).FullName });
    }

    [Fact]
    public async Task TheAuditLog_OfOneTenant_IsInvisibleToAnother()
    {
        using (EvalKitTenant.Use("acme"))
        {
            await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        }

        using (EvalKitTenant.Use("globex"))
        {
            _policy.Deny(EvalKitOperationKinds.ModelRetire, Admin);
            await FluentActions.Awaiting(async () => await _kit.Registry.RetireAsync(ModelId, cancellationToken: Ct)).Should().ThrowAsync<EvalKitAuthorizationException>();
            (await AuditAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(new { TenantId = "globex", Operation = EvalKitOperationKinds.ModelRetire, Outcome = AuditOutcome.Denied });
        }

        using (EvalKitTenant.Use("acme"))
        {
            (await AuditAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(new { TenantId = "acme", Operation = EvalKitOperationKinds.ModelRegister });
        }

        (await AuditAsync()).Should().BeEmpty("the default tenant did nothing");
    }

    [Fact]
    public async Task AStoreWithoutAnAuditLog_StillRunsEveryOperation()
    {
        await using var kit = EvalKitHost.Create(storage: new NoAuditStorage(new InMemoryEvalKitStorage()));

        var model = await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);

        model.Revision.Should().Be(1);
        await FluentActions.Awaiting(async () => await kit.Audit.QueryAsync(new AuditQuery(), Ct)).Should().ThrowAsync<NotSupportedException>();
    }

    /// <summary>An actor context the test switches between calls.</summary>
    private sealed class SwitchableActor(string actor) : IEvalKitActorContext
    {
        public string Current { get; set; } = actor;

        public string CurrentActor => Current;
    }

    /// <summary>Denies the listed (operation, actor) pairs; or fails every call, as a policy whose role store is down.</summary>
    private sealed class RulePolicy : IEvalKitAuthorizationPolicy
    {
        private readonly HashSet<(string Kind, string Actor)> _denied = [];

        public bool Failing { get; set; }

        public void Deny(string kind, string actor) => _denied.Add((kind, actor));

        public ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default)
        {
            if (Failing)
            {
                throw new TimeoutException("The role store did not answer.");
            }

            return _denied.Contains((operation.Kind, operation.Actor))
                ? throw new EvalKitAuthorizationException(operation, "the test policy denies it")
                : ValueTask.CompletedTask;
        }
    }

    /// <summary>A store that keeps no audit log (the interface's default).</summary>
    private sealed class NoAuditStorage(InMemoryEvalKitStorage inner) : IEvalKitStorage
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
