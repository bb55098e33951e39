using EvalKit.Erasure;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// The conformance suite of erasure: a tenant, a project or a model is erased with everything linked to it, in the current
/// tenant only; shared definitions go only when nothing that remains uses them; older audit entries lose the erased ids,
/// and the erasure itself is recorded with its counts. Data is seeded through EvalKit's services (<see cref="ErasureSeed"/>).
/// </summary>
public abstract class ErasureStorageTests : StorageTestBase
{
    private const string A = "MKALPHA7";
    private const string B = "MKBRAVO8";

    private static IDisposable As(string tenant) => EvalKitTenant.Use(tenant);

    private Task<TenantCensus> CensusAsync() => TenantCensus.TakeAsync(Storage, [$"{A}-model", $"{B}-model", ErasureSeed.SharedModel, ErasureSeed.ControlModel], Ct);

    private async Task<List<AuditEntry>> AuditAsync(string tenant)
    {
        var all = new List<AuditEntry>();
        var query = new AuditQuery { PageSize = 500 };
        while (true)
        {
            var page = await Storage.Audit.QueryAsync(tenant, query, Ct);
            all.AddRange(page.Entries);
            if (page.Next is null)
            {
                return all;
            }

            query = query with { After = page.Next };
        }
    }

    [Fact]
    public virtual async Task EraseTenant_RemovesEveryRecordOfTheTenant_AndKeepsTheOtherTenant()
    {
        await using var kit = ErasureSeed.CreateHost(Storage);
        TenantCensus acmeBefore, globexBefore;
        using (As("acme"))
        {
            await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: true, Ct);
            acmeBefore = await CensusAsync();
        }

        using (As("globex"))
        {
            await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: true, Ct);
            globexBefore = await CensusAsync();
        }

        ErasureReport report;
        using (As("acme"))
        {
            report = await kit.Erasure.EraseTenantAsync("acme", Ct);
            (await CensusAsync()).AsCounts().Should().Be(ErasureCounts.None, "nothing of the tenant remains");
            (await kit.Registry.GetAsync($"{A}-model", Ct)).Should().BeNull("the registry's snapshot was invalidated");
            var audit = await AuditAsync("acme");
            audit.Where(e => e.Operation is not EvalKitOperationKinds.ErasureTenant and not EvalKitOperationKinds.ErasureDelete)
                .Should().OnlyContain(e => e.RecordId == null || e.RecordId == AuditEntry.ErasedRecordId, "every older entry lost its record id");
            audit.Should().ContainSingle(e => e.Operation == EvalKitOperationKinds.ErasureTenant)
                .Which.Should().Match<AuditEntry>(e => e.RecordId == "acme" && e.Count == report.Counts.Total && e.Outcome == AuditOutcome.Succeeded);
        }

        report.Scope.Should().Be(ErasureScope.Tenant);
        report.TenantId.Should().Be("acme");
        report.Counts.Should().BeEquivalentTo(
            acmeBefore.AsCounts(),
            o => o.Excluding(c => c.CachedResponses).Excluding(c => c.AuditEntriesScrubbed).Excluding(c => c.Total));
        report.Counts.CachedResponses.Should().BeGreaterThan(0);
        report.Counts.AuditEntriesScrubbed.Should().BeGreaterThan(0);
        acmeBefore.Runs.Should().HaveCountGreaterThan(3, "the seed ran a run, an A/B test and an experiment");

        using (As("globex"))
        {
            (await CensusAsync()).Should().BeEquivalentTo(globexBefore, "another tenant keeps everything");
            (await AuditAsync("globex")).Should().Contain(e => e.RecordId == $"{B}-model").And.NotContain(e => e.RecordId == AuditEntry.ErasedRecordId);
        }
    }

    [Fact]
    public virtual async Task EraseModel_RemovesItsRunsComparisonsAndUnsharedDefinitions_AndKeepsTheOtherModel()
    {
        await using var kit = ErasureSeed.CreateHost(Storage);
        using var tenant = As("acme");
        var a = await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: false, Ct);
        var b = await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: false, Ct);
        var before = await CensusAsync();

        var report = await kit.Erasure.EraseModelAsync(a.ModelId, Ct);

        var after = await CensusAsync();
        after.Ids.Should().NotContain(id => id.Contains(A, StringComparison.Ordinal), "nothing linked to the model remains");
        after.Models.Should().Equal([.. before.Models.Where(m => m != a.ModelId)]);
        after.Models.Should().Contain([ErasureSeed.ControlModel, b.ModelId]);
        after.Datasets.Should().Equal(b.DatasetId);
        after.Benchmarks.Should().Equal(b.BenchmarkId);
        after.AbTests.Should().Equal(b.AbTestId);
        after.Experiments.Should().Equal(b.ExperimentId);
        after.Templates.Should().Equal(b.TemplateId!);
        after.Runs.Should().HaveCount(4, "B's run, its A/B test's two runs and its experiment's run remain")
            .And.Contain(b.RunId);

        // The counts match what disappeared from the port's view.
        var gone = before.AsCounts();
        var kept = after.AsCounts();
        report.Counts.Should().BeEquivalentTo(
            new ErasureCounts
            {
                Models = gone.Models - kept.Models,
                ModelRevisions = gone.ModelRevisions - kept.ModelRevisions,
                Datasets = gone.Datasets - kept.Datasets,
                Cases = gone.Cases - kept.Cases,
                Benchmarks = gone.Benchmarks - kept.Benchmarks,
                Runs = gone.Runs - kept.Runs,
                CaseResults = gone.CaseResults - kept.CaseResults,
                Shards = gone.Shards - kept.Shards,
                MetricPoints = gone.MetricPoints - kept.MetricPoints,
                AbTests = gone.AbTests - kept.AbTests,
                Experiments = gone.Experiments - kept.Experiments,
                ExperimentRuns = gone.ExperimentRuns - kept.ExperimentRuns,
                ExperimentTemplates = gone.ExperimentTemplates - kept.ExperimentTemplates,
            },
            o => o.Excluding(c => c.CachedResponses).Excluding(c => c.AuditEntriesScrubbed).Excluding(c => c.Total));
        report.Counts.Models.Should().Be(1);
        report.Counts.ModelRevisions.Should().Be(2);
        report.Counts.CachedResponses.Should().BeGreaterThan(0);
        (await kit.Registry.GetAsync(a.ModelId, Ct)).Should().BeNull();
        (await kit.Registry.GetAsync(b.ModelId, Ct)).Should().NotBeNull();

        // B's records are all there, and read back whole.
        (await Storage.Results.CountAsync(b.RunId, Ct)).Total.Should().Be(6);
        (await ToListAsync(Storage.Datasets.ReadCasesAsync(b.DatasetId, 0, Ct))).Should().HaveCount(6);
    }

    [Fact]
    public virtual async Task EraseProject_RemovesItsRecords_AndKeepsTheOtherProjectAndTheModels()
    {
        await using var kit = ErasureSeed.CreateHost(Storage);
        using var tenant = As("acme");
        var a = await ErasureSeed.SeedAsync(kit, A, ownModel: false, inProject: true, Ct);
        var b = await ErasureSeed.SeedAsync(kit, B, ownModel: false, inProject: true, Ct);
        var before = await CensusAsync();

        var report = await kit.Erasure.EraseProjectAsync(a.ProjectId!, Ct);

        var after = await CensusAsync();
        after.Ids.Should().NotContain(id => id.Contains(A, StringComparison.Ordinal));
        after.Projects.Should().Equal(b.ProjectId!);
        after.Models.Should().Equal(before.Models, "models belong to the tenant, not to a project");
        after.Datasets.Should().Equal(b.DatasetId);
        after.Benchmarks.Should().Equal(b.BenchmarkId);
        after.AbTests.Should().Equal(b.AbTestId);
        after.Experiments.Should().Equal(b.ExperimentId);
        after.Runs.Should().Contain(b.RunId).And.HaveCount(before.Runs.Count - (int)report.Counts.Runs);
        report.Counts.Projects.Should().Be(1);
        report.Counts.Models.Should().Be(0);
        report.Counts.Runs.Should().Be(4, "the run, the A/B test's two runs and the experiment's run");
        report.Counts.CaseResults.Should().Be(before.CaseResults - after.CaseResults);
        report.Counts.MetricPoints.Should().Be(before.MetricPoints - after.MetricPoints).And.BeGreaterThan(0);
        report.Counts.CachedResponses.Should().BeGreaterThan(0, "the project's answers were cached");
        (await Storage.Results.CountAsync(b.RunId, Ct)).Total.Should().Be(6);
    }

    [Fact]
    public virtual async Task Erase_ScrubsTheErasedIdsFromOlderAuditEntries_AndAuditsItselfWithAFingerprintAndCounts()
    {
        await using var kit = ErasureSeed.CreateHost(Storage);
        using var tenant = As("acme");
        var a = await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: false, Ct);
        await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: false, Ct);
        var before = await AuditAsync("acme");
        before.Should().Contain(e => e.RecordId == a.ModelId).And.Contain(e => e.RecordId == a.RunId).And.Contain(e => e.RecordId == a.DatasetId);
        var mentioningB = before.Where(e => e.RecordId?.Contains(B, StringComparison.Ordinal) == true).ToList();

        var report = await kit.Erasure.EraseModelAsync(a.ModelId, Ct);

        var after = await AuditAsync("acme");
        after.Should().NotContain(e => e.RecordId != null && e.RecordId.Contains(A, StringComparison.Ordinal));
        after.Where(e => e.RecordId?.Contains(B, StringComparison.Ordinal) == true).Should().BeEquivalentTo(mentioningB, "only the erased ids are scrubbed");
        var scrubbed = after.Where(e => e.RecordId == AuditEntry.ErasedRecordId).ToList();
        scrubbed.Should().HaveCount((int)report.Counts.AuditEntriesScrubbed).And.HaveCountGreaterThan(5);
        foreach (var entry in scrubbed)
        {
            // Only the id changed: who, what, when and how it ended are kept.
            before.Should().ContainSingle(e => e.Id == entry.Id).Which.Should().BeEquivalentTo(entry, o => o.Excluding(e => e.RecordId));
        }

        var erasure = after.Should().ContainSingle(e => e.Operation == EvalKitOperationKinds.ErasureModel).Subject;
        erasure.RecordType.Should().Be(EvalKitRecordTypes.Model);
        erasure.RecordId.Should().Be(ErasureService.Fingerprint("acme", a.ModelId)).And.Be(report.AuditRecordId);
        erasure.Count.Should().Be(report.Counts.Total);
        erasure.Outcome.Should().Be(AuditOutcome.Succeeded);
        var perKind = after.Where(e => e.Operation == EvalKitOperationKinds.ErasureDelete).ToDictionary(e => e.RecordType, e => e.Count);
        perKind.Should().BeEquivalentTo(report.Counts.ByKind().Where(k => k.Value > 0).ToDictionary(k => k.Key, k => (long?)k.Value));
    }

    [Fact]
    public virtual async Task Erase_OfWhatDoesNotExist_CountsZeros_AndIsStillAudited()
    {
        await using var kit = ErasureSeed.CreateHost(Storage);
        using var tenant = As("acme");
        await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: true, Ct);
        var before = await CensusAsync();

        var model = await kit.Erasure.EraseModelAsync("no-such-model", Ct);
        var project = await kit.Erasure.EraseProjectAsync("no-such-project", Ct);

        model.Counts.Should().BeEquivalentTo(ErasureCounts.None);
        project.Counts.Should().BeEquivalentTo(ErasureCounts.None);
        (await CensusAsync()).Should().BeEquivalentTo(before);
        var audit = await AuditAsync("acme");
        audit.Should().ContainSingle(e => e.Operation == EvalKitOperationKinds.ErasureModel).Which.Count.Should().Be(0);
        audit.Should().ContainSingle(e => e.Operation == EvalKitOperationKinds.ErasureProject).Which.RecordId.Should().Be(ErasureService.Fingerprint("acme", "no-such-project"));
    }

    [Fact]
    public virtual async Task EraseTenant_RefusesATenantOtherThanTheCurrentOne()
    {
        await using var kit = ErasureSeed.CreateHost(Storage);
        using var tenant = As("acme");
        await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: false, Ct);

        var refused = async () => await kit.Erasure.EraseTenantAsync("globex", Ct);

        (await refused.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'globex'").And.Contain("'acme'");
        (await CensusAsync()).Models.Should().Contain($"{A}-model");
    }
}
