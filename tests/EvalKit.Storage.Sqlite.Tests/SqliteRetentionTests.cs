using System.Threading.Channels;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Retention;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// Retention on a real SQLite file, on a fake clock: results of old runs go while their summaries stay (and say so), old
/// metric points, cached responses and audit entries go, every deletion is audited with its count, and the background
/// service applies the policy on its own timer.
/// </summary>
public sealed class SqliteRetentionTests : IAsyncDisposable
{
    private const string ModelId = "local/model";
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ModelClientMap _clients = new();
    private readonly EvalKitHost _kit;

    public SqliteRetentionTests()
    {
        _kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, _db.Open(), _clients, timeProvider: _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _kit.DisposeAsync();
        _db.Dispose();
    }

    private async Task<string> SetUpAsync(int cases = 5)
    {
        _clients.Add(ModelId, FakeChatClient.Answering(p => p.Contains(" 2 ", StringComparison.Ordinal) ? "4" : "no idea"));
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        return (await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct)).Id;
    }

    private Task<EvaluationRun> EvaluateAsync(string dataset) =>
        _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

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

    [Fact]
    public async Task Apply_DeletesWhatIsTooOld_KeepsTheSummariesOfPurgedRuns_AndAuditsEachCount()
    {
        var dataset = await SetUpAsync();
        var old = await EvaluateAsync(dataset);
        await _kit.Storage.ResponseCache.AddAsync([new CachedResponse { Key = "old", ModelId = ModelId, Text = "x", CreatedAt = _clock.GetUtcNow() }], Ct);
        _clock.Advance(TimeSpan.FromDays(10));
        var recent = await EvaluateAsync(dataset);
        await _kit.Storage.ResponseCache.AddAsync([new CachedResponse { Key = "new", ModelId = ModelId, Text = "y", CreatedAt = _clock.GetUtcNow() }], Ct);
        var metricsBefore = await _kit.Storage.Metrics.QueryAsync(ModelId, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct);
        var oldPoints = metricsBefore.Count(p => p.RunId == old.Id);
        var auditBefore = await AuditAsync();

        var report = await _kit.Retention.ApplyAsync(
            new RetentionPolicy
            {
                CaseResultsMaxAge = TimeSpan.FromDays(5),
                MetricPointsMaxAge = TimeSpan.FromDays(5),
                CachedResponsesMaxAge = TimeSpan.FromDays(5),
                AuditEntriesMaxAge = TimeSpan.FromDays(5),
            },
            Ct);

        report.Should().BeEquivalentTo(new RetentionReport
        {
            TenantId = EvalKitTenant.Default, AppliedAt = _clock.GetUtcNow(), CaseResults = 5, RunsPurged = 1, RunsDeleted = 0,
            MetricPoints = oldPoints, CachedResponses = 1, AuditEntries = auditBefore.Count(e => e.OccurredAt < Start.AddDays(5)),
        });
        oldPoints.Should().BeGreaterThan(0);

        // The old run keeps its summary, says its results were purged, and neither reading nor resuming recomputes it.
        var purged = await _kit.Engine.GetResultsAsync(old.Id, Ct);
        purged.ResultsPurged.Should().BeTrue();
        purged.Run.ResultsPurgedAt.Should().Be(_clock.GetUtcNow());
        purged.Results.Should().BeEmpty();
        purged.Summary.Should().BeEquivalentTo(old.Summary);
        purged.Summary.Total.Should().Be(5);
        (await _kit.Engine.GetStatusAsync(old.Id, Ct)).Done.Should().Be(5);
        (await _kit.Engine.ResumeAsync(old.Id, Ct)).Summary.Should().BeEquivalentTo(old.Summary);

        // The recent run and recent data are untouched.
        var kept = await _kit.Engine.GetResultsAsync(recent.Id, Ct);
        kept.ResultsPurged.Should().BeFalse();
        kept.Results.Should().HaveCount(5);
        (await _kit.Storage.ResponseCache.GetAsync("old", Ct)).Should().BeNull();
        (await _kit.Storage.ResponseCache.GetAsync("new", Ct)).Should().NotBeNull();
        (await _kit.Storage.Metrics.QueryAsync(ModelId, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct))
            .Should().HaveCount(metricsBefore.Count - oldPoints).And.OnlyContain(p => p.RunId != old.Id);

        // Each deletion is audited with its count; the audit entries of the first days are gone, these are kept.
        var audit = await AuditAsync();
        audit.Where(e => e.Operation == EvalKitOperationKinds.RetentionDelete).Select(e => (e.RecordType, e.Count)).Should().BeEquivalentTo(new[]
        {
            (EvalKitRecordTypes.CaseResults, (long?)5), (EvalKitRecordTypes.MetricPoints, oldPoints), (EvalKitRecordTypes.CachedResponses, 1L),
            (EvalKitRecordTypes.AuditEntries, report.AuditEntries),
        });
        audit.Should().ContainSingle(e => e.Operation == EvalKitOperationKinds.RetentionApply && e.Outcome == AuditOutcome.Succeeded)
            .Which.Should().BeEquivalentTo(new { Actor = SystemActorContext.SystemActor, RecordType = EvalKitRecordTypes.Tenant, RecordId = EvalKitTenant.Default });
        audit.Should().OnlyContain(e => e.OccurredAt >= Start.AddDays(5));

        // The purge is stored, not kept in memory: a new store over the file sees it.
        await using var reopened = _db.Open();
        var stored = await reopened.Runs.GetAsync(old.Id, Ct);
        stored!.ResultsPurgedAt.Should().Be(_clock.GetUtcNow());
        stored.Summary.Should().BeEquivalentTo(old.Summary);
        (await reopened.Results.CountAsync(old.Id, Ct)).Total.Should().Be(0);
    }

    [Fact]
    public async Task Apply_ToAFailedRun_StoresTheSummaryOfWhatItHad_AndRefusesToResumeIt()
    {
        var dataset = await SetUpAsync();
        var failed = TestData.Run("failed-run", ModelId, dataset, createdAt: Start) with { Status = RunStatus.Failed, CompletedAt = Start, Error = "the host stopped" };
        await _kit.Storage.Runs.TryAddAsync(failed, Ct);
        await _kit.Storage.Results.AppendAsync([TestData.Result("failed-run", 0), TestData.Result("failed-run", 1), TestData.Result("failed-run", 2, failed: true)], Ct);
        _clock.Advance(TimeSpan.FromDays(2));

        var report = await _kit.Retention.ApplyAsync(new RetentionPolicy { CaseResultsMaxAge = TimeSpan.FromDays(1) }, Ct);

        report.CaseResults.Should().Be(3);
        var results = await _kit.Engine.GetResultsAsync("failed-run", Ct);
        results.Results.Should().BeEmpty();
        results.Summary.Total.Should().Be(3, "the summary counts the results the run had, not the none it has now");
        results.Summary.Failed.Should().Be(1);
        (await _kit.Engine.GetStatusAsync("failed-run", Ct)).Should().BeEquivalentTo(new { Status = RunStatus.Failed, Done = 3L, Failed = 1L });
        await FluentActions.Awaiting(() => _kit.Engine.ResumeAsync("failed-run", Ct)).Should().ThrowAsync<EvalKitException>().WithMessage("*failed-run*retention*");

        // A second pass finds nothing more to do.
        (await _kit.Retention.ApplyAsync(new RetentionPolicy { CaseResultsMaxAge = TimeSpan.FromDays(1) }, Ct)).Should().BeEquivalentTo(new { CaseResults = 0L, RunsPurged = 0L });
    }

    [Fact]
    public async Task Apply_WithoutKeepingSummaries_DeletesTheOldRunsWhole()
    {
        var dataset = await SetUpAsync();
        var old = await EvaluateAsync(dataset);
        _clock.Advance(TimeSpan.FromDays(3));
        var recent = await EvaluateAsync(dataset);

        var report = await _kit.Retention.ApplyAsync(new RetentionPolicy { CaseResultsMaxAge = TimeSpan.FromDays(1), KeepRunSummaries = false }, Ct);

        report.Should().BeEquivalentTo(new { CaseResults = 5L, RunsPurged = 0L, RunsDeleted = 1L });
        (await _kit.Storage.Runs.GetAsync(old.Id, Ct)).Should().BeNull();
        await FluentActions.Awaiting(async () => await _kit.Engine.GetResultsAsync(old.Id, Ct)).Should().ThrowAsync<NotFoundException>();
        (await _kit.Engine.GetResultsAsync(recent.Id, Ct)).Results.Should().HaveCount(5);
        (await AuditAsync(new AuditQuery { Operation = EvalKitOperationKinds.RetentionDelete, RecordType = EvalKitRecordTypes.Runs })).Should().ContainSingle().Which.Count.Should().Be(1);
    }

    [Fact]
    public async Task Apply_WhenThePolicyDeniesRetention_DeletesNothing_AndAuditsTheDenial()
    {
        var storage = _db.Open();
        await using var kit = EvalKitHost.Create(storage: storage, clients: _clients, timeProvider: _clock, authorization: new DenyRetention());
        _clients.Add(ModelId, FakeChatClient.Answering(_ => "4"));
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(3)), Ct);
        var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = "arith@1" }, cancellationToken: Ct);
        _clock.Advance(TimeSpan.FromDays(30));

        await FluentActions.Awaiting(async () => await kit.Retention.ApplyAsync(new RetentionPolicy { CaseResultsMaxAge = TimeSpan.FromDays(1), AuditEntriesMaxAge = TimeSpan.FromDays(1) }, Ct))
            .Should().ThrowAsync<EvalKitAuthorizationException>().WithMessage("*retention.apply*");

        (await storage.Results.CountAsync(run.Id, Ct)).Total.Should().Be(3);
        (await storage.Runs.GetAsync(run.Id, Ct))!.ResultsPurgedAt.Should().BeNull();
        var audit = (await kit.Audit.QueryAsync(new AuditQuery(), Ct)).Entries;
        audit[0].Should().BeEquivalentTo(new { Operation = EvalKitOperationKinds.RetentionApply, Outcome = AuditOutcome.Denied });
        audit.Should().Contain(e => e.Operation == EvalKitOperationKinds.ModelRegister, "no audit entry was deleted");
    }

    [Fact]
    public async Task BackgroundService_AppliesOnStart_ThenEveryInterval_OnTheInjectedClock()
    {
        var dataset = await SetUpAsync();
        var run = await EvaluateAsync(dataset);
        var options = new RetentionOptions { Interval = TimeSpan.FromHours(1) };
        options.Policy.CaseResultsMaxAge = TimeSpan.FromHours(2.5);
        var passes = new ReportingRetention(new RetentionService(_kit.Storage, _clock, Options.Create(options)));
        using var service = new RetentionBackgroundService(passes, Options.Create(options), _clock);

        await service.StartAsync(Ct);
        var reports = new List<RetentionReport> { await passes.NextAsync() };
        for (var hour = 1; hour <= 3; hour++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            reports.Add(await passes.NextAsync());
        }

        await service.StopAsync(Ct);

        // Passes at +0 h, +1 h, +2 h keep the run (finished less than 2.5 h before); the pass at +3 h purges it.
        reports.Select(r => r.AppliedAt).Should().Equal(Start, Start.AddHours(1), Start.AddHours(2), Start.AddHours(3));
        reports.Select(r => r.CaseResults).Should().Equal(0, 0, 0, 5);
        var results = await _kit.Engine.GetResultsAsync(run.Id, Ct);
        results.ResultsPurged.Should().BeTrue();
        results.Summary.Should().BeEquivalentTo(run.Summary);
        passes.Calls.Should().Be(4, "no pass runs without the clock moving");
    }

    [Fact]
    public async Task BackgroundService_AFailingPass_IsLogged_AndTheNextPassRunsOnSchedule()
    {
        var options = new RetentionOptions { Interval = TimeSpan.FromMinutes(10) };
        options.Policy.CachedResponsesMaxAge = TimeSpan.FromMinutes(5);
        options.Tenants.Add("acme");
        options.Tenants.Add("globex");
        var passes = new ReportingRetention(new RetentionService(_kit.Storage, _clock, Options.Create(options))) { FailFirst = 1 };
        using (EvalKitTenant.Use("globex"))
        {
            await _kit.Storage.ResponseCache.AddAsync([new CachedResponse { Key = "k", ModelId = ModelId, Text = "x", CreatedAt = Start }], Ct);
        }

        using var service = new RetentionBackgroundService(passes, Options.Create(options), _clock);
        await service.StartAsync(Ct);

        // The first pass: acme fails, globex still runs (its cache entry is not old yet).
        (await passes.NextAsync()).Should().BeEquivalentTo(new { TenantId = "globex", CachedResponses = 0L });
        _clock.Advance(TimeSpan.FromMinutes(10));
        (await passes.NextAsync()).Should().BeEquivalentTo(new { TenantId = "acme", CachedResponses = 0L });
        (await passes.NextAsync()).Should().BeEquivalentTo(new { TenantId = "globex", CachedResponses = 1L });
        await service.StopAsync(Ct);

        service.ExecuteTask!.IsCompletedSuccessfully.Should().BeTrue("a failing pass is not thrown to the host");
        passes.Failures.Should().Be(1);
    }

    /// <summary>Forwards to the real retention service and hands each report to the test as it completes.</summary>
    private sealed class ReportingRetention(IRetentionService inner) : IRetentionService
    {
        private readonly Channel<RetentionReport> _reports = Channel.CreateUnbounded<RetentionReport>();
        private int _calls;
        private int _failures;

        public int FailFirst { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public int Failures => Volatile.Read(ref _failures);

        public ValueTask<RetentionReport> NextAsync() => _reports.Reader.ReadAsync(TestContext.Current.CancellationToken);

        // The hosted service applies the configured policy.
        public async ValueTask<RetentionReport> ApplyAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) <= FailFirst)
            {
                Interlocked.Increment(ref _failures);
                throw new StorageException("The store is unreachable.");
            }

            var report = await inner.ApplyAsync(cancellationToken);
            _reports.Writer.TryWrite(report);
            return report;
        }

        public ValueTask<RetentionReport> ApplyAsync(RetentionPolicy policy, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The hosted service applies the configured policy only.");
    }

    private sealed class DenyRetention : IEvalKitAuthorizationPolicy
    {
        public ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default) =>
            operation.Kind == EvalKitOperationKinds.RetentionApply ? throw new EvalKitAuthorizationException(operation, "retention is run by the operator") : ValueTask.CompletedTask;
    }
}
