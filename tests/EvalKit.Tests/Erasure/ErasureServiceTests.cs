using EvalKit.Erasure;
using EvalKit.Metrics;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Selection;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using EvalKit.Tests.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvalKit.Tests.Erasure;

public class ErasureServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EraseModel_DeniedByThePolicy_ErasesNothing_AndIsAuditedAsDenied()
    {
        var storage = new InMemoryEvalKitStorage();
        await using (var seeding = ErasureSeed.CreateHost(storage))
        {
            await ErasureSeed.SeedAsync(seeding, "MKALPHA7", ownModel: true, inProject: false, Ct);
        }

        var guard = new OperationGuard(storage, TimeProvider.System, new DenyErasure());
        var service = new ErasureService(storage, TimeProvider.System, guard);
        var before = await TenantCensus.TakeAsync(storage, [], Ct);

        var denied = async () => await service.EraseModelAsync("MKALPHA7-model", Ct);

        await denied.Should().ThrowAsync<EvalKitAuthorizationException>();
        (await TenantCensus.TakeAsync(storage, [], Ct)).Should().BeEquivalentTo(before);
        var entry = (await storage.Audit.QueryAsync(EvalKitTenant.Default, new AuditQuery { Operation = EvalKitOperationKinds.ErasureModel }, Ct)).Entries.Should().ContainSingle().Subject;
        entry.Outcome.Should().Be(AuditOutcome.Denied);
        entry.RecordId.Should().Be("MKALPHA7-model", "the policy saw, and the log keeps, the id of what was not erased");
    }

    [Fact]
    public async Task Erase_ClearsEmbeddingCaches_TellsObservers_AndSurvivesAFailingObserver()
    {
        var storage = new InMemoryEvalKitStorage();
        var scorer = new SemanticSimilarityScorer(new LetterCountEmbeddingGenerator(), new SemanticSimilarityOptions { BatchWindow = TimeSpan.Zero });
        using (EvalKitTenant.Use("kept-tenant"))
        {
            await scorer.ScoreAsync(Ctx.Of("a kept output", "a reference"), Ct);
        }

        using var tenant = EvalKitTenant.Use("erased-tenant");
        await scorer.ScoreAsync(Ctx.Of("some erased output", "a reference"), Ct);
        scorer.CachedCount.Should().Be(4, "each tenant has its own entries");
        var seen = new List<ErasureReport>();
        var logger = new ListLogger();
        var service = new ErasureService(
            storage, TimeProvider.System, observers: [new FailingObserver(), new RecordingObserver(seen)], logger: logger);

        var report = await service.EraseProjectAsync("p1", Ct);

        scorer.CachedCount.Should().Be(2, "the erased tenant's embeddings are gone, the other tenant's stay");
        seen.Should().ContainSingle().Which.Should().BeSameAs(report);
        logger.Errors.Should().ContainSingle().Which.Should().Contain(nameof(FailingObserver));
        report.Scope.Should().Be(ErasureScope.Project);
        report.ScopeId.Should().Be("p1");
        report.AuditRecordId.Should().Be(ErasureService.Fingerprint("erased-tenant", "p1"));
    }

    [Fact]
    public async Task EraseModel_DropsTheTenantsSelectionDecisionsAndTheModelsOnlineLearning()
    {
        var storage = new InMemoryEvalKitStorage();
        await using var kit = ErasureSeed.CreateHost(storage);
        using var tenant = EvalKitTenant.Use("acme");
        await ErasureSeed.SeedAsync(kit, "MKALPHA7", ownModel: true, inProject: false, Ct);
        var engine = (SelectionEngine)kit.Selection;
        engine.RecordOutcome(new SelectionOutcome { ModelId = "MKALPHA7-model", Success = true });
        engine.RecordOutcome(new SelectionOutcome { ModelId = ErasureSeed.ControlModel, Success = true });
        engine.OnlinePosterior(null, "MKALPHA7-model").Weight.Should().BeGreaterThan(0);
        var before = await kit.Selection.RankAsync(new SelectionRequest(), 10, Ct);
        before.Should().Contain(r => r.ModelId == "MKALPHA7-model");

        await kit.Erasure.EraseModelAsync("MKALPHA7-model", Ct);

        engine.OnlinePosterior(null, "MKALPHA7-model").Weight.Should().Be(0);
        engine.OnlinePosterior(null, ErasureSeed.ControlModel).Weight.Should().BeGreaterThan(0, "another model's evidence stays");
        (await kit.Selection.RankAsync(new SelectionRequest(), 10, Ct)).Should().NotContain(r => r.ModelId == "MKALPHA7-model");
    }

    [Fact]
    public async Task EraseModel_CachedAnswersAboutItsRunsAndMetrics_AreNotServedAfterwards()
    {
        var storage = new InMemoryEvalKitStorage();
        await using var kit = ErasureSeed.CreateHost(storage);
        using var tenant = EvalKitTenant.Use("acme");
        var seeded = await ErasureSeed.SeedAsync(kit, "MKALPHA7", ownModel: true, inProject: false, Ct);
        var range = new MetricAggregateQuery
        {
            ModelId = seeded.ModelId, Name = "latency", From = ErasureSeed.PointTime.AddDays(-1), To = ErasureSeed.PointTime.AddDays(1), Period = MetricPeriod.Day,
        };
        (await kit.Engine.GetResultsAsync(seeded.RunId, Ct)).Summary.Total.Should().Be(6);
        (await kit.Engine.GetResultsAsync(seeded.RunId, Ct)).Summary.Total.Should().Be(6, "the second read is the cached answer");
        (await kit.Metrics.AggregateAsync(range, Ct)).Should().ContainSingle().Which.Count.Should().Be(1);
        (await kit.Metrics.AggregateAsync(range, Ct)).Should().ContainSingle();

        await kit.Erasure.EraseModelAsync(seeded.ModelId, Ct);

        var results = async () => await kit.Engine.GetResultsAsync(seeded.RunId, Ct);
        await results.Should().ThrowAsync<NotFoundException>();
        (await kit.Metrics.AggregateAsync(range, Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task ErasureService_IsRegisteredByAddEvalKit_AndReachesTheStoreThroughTheDecorators()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IErasureService>().Should().BeOfType<ErasureService>();
        var inner = new InMemoryEvalKitStorage();
        using var encrypting = new EncryptingEvalKitStorage(inner, new EncryptionKeyRing(FieldEncryptionStorageTests.Key2), ownsInner: false);
        using var redacting = new RedactingEvalKitStorage(encrypting, ownsInner: false);
        redacting.Erasure.Should().BeSameAs(inner.Erasure);
    }

    [Fact]
    public async Task GuardedOperations_ReadFromThePrimary_AndTheScopeEndsWithThem()
    {
        var guard = new OperationGuard(new InMemoryEvalKitStorage(), TimeProvider.System);
        ReadConsistency.IsPrimaryRequired.Should().BeFalse();

        var inside = await guard.RunAsync("test.op", "thing", "1", () => ValueTask.FromResult(ReadConsistency.IsPrimaryRequired), Ct);
        var inTask = false;
        using (ReadConsistency.RequirePrimary())
        {
            using (ReadConsistency.RequirePrimary())
            {
                await Task.Run(() => inTask = ReadConsistency.IsPrimaryRequired, Ct);
            }

            ReadConsistency.IsPrimaryRequired.Should().BeTrue("the outer scope is still open");
        }

        inside.Should().BeTrue();
        inTask.Should().BeTrue("the scope flows into the work it starts");
        ReadConsistency.IsPrimaryRequired.Should().BeFalse();
    }

    private sealed class DenyErasure : IEvalKitAuthorizationPolicy
    {
        public ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default) =>
            operation.Kind.StartsWith("erasure.", StringComparison.Ordinal)
                ? throw new EvalKitAuthorizationException(operation, "erasure needs an administrator")
                : ValueTask.CompletedTask;
    }

    private sealed class FailingObserver : IErasureObserver
    {
        public ValueTask OnErasedAsync(ErasureReport report, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the cache is down");
    }

    private sealed class RecordingObserver(List<ErasureReport> seen) : IErasureObserver
    {
        public ValueTask OnErasedAsync(ErasureReport report, CancellationToken cancellationToken = default)
        {
            seen.Add(report);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ListLogger : ILogger<ErasureService>
    {
        public List<string> Errors { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error)
            {
                Errors.Add(formatter(state, exception));
            }
        }
    }
}
