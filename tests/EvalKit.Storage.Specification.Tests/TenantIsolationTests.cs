using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// The conformance suite of tenant isolation: for every store, tenant B can neither see (by id, by list, by aggregate), nor
/// change, nor delete tenant A's records, and both tenants can hold records with the same ids. Tenants are set with
/// <see cref="EvalKitTenant.Use(string)"/>, which every provider honours whatever its tenant context.
/// </summary>
public abstract class TenantIsolationTests : StorageTestBase
{
    private const string A = "acme";
    private const string B = "globex";
    private static readonly DateTimeOffset Hour0 = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static IDisposable As(string tenant) => EvalKitTenant.Use(tenant);

    [Fact]
    public virtual async Task Models_BCannotSeeChangeOrDeleteAsModels_AndBothCanUseTheSameId()
    {
        var a = ModelRevision.Of(TestData.Model("gpt-4o") with { DisplayName = "A's" });
        long countersOfB;
        using (As(B))
        {
            countersOfB = await Storage.Models.GetChangeCounterAsync(Ct);
        }

        using (As(A))
        {
            (await Storage.Models.TryAddAsync(a, Ct)).Should().BeTrue();
            (await Storage.Runs.TryAddAsync(TestData.Run("run-of-a", modelId: "gpt-4o"), Ct)).Should().BeTrue();
        }

        using (As(B))
        {
            (await Storage.Models.GetAsync("gpt-4o", Ct)).Should().BeNull();
            (await ToListAsync(Storage.Models.ListAsync(Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Models.GetRevisionsAsync("gpt-4o", Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Models.GetHistoryAsync("gpt-4o", Ct))).Should().BeEmpty();
            (await Storage.Models.GetChangeCounterAsync(Ct)).Should().Be(countersOfB, "A's writes are not B's changes");
            (await Storage.Models.TryUpdateAsync(TestData.Model("gpt-4o", revision: 2) with { DisplayName = "B was here" }, expectedRevision: 1, Ct))
                .Should().BeFalse("B has no model gpt-4o to update");
            (await Storage.Models.DeleteAsync("gpt-4o", Ct)).Status.Should().Be(ModelDeleteStatus.NotFound);

            // B registers its own gpt-4o, referenced by none of B's runs: B may delete it, and A's stays.
            (await Storage.Models.TryAddAsync(TestData.Model("gpt-4o") with { DisplayName = "B's" }, Ct)).Should().BeTrue();
            (await Storage.Models.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("B's");
            (await Storage.Models.GetChangeCounterAsync(Ct)).Should().NotBe(countersOfB);
            (await Storage.Models.DeleteAsync("gpt-4o", Ct)).Status.Should().Be(ModelDeleteStatus.Deleted, "A's run does not reference B's model");
            (await Storage.Models.GetAsync("gpt-4o", Ct)).Should().BeNull();
        }

        using (As(A))
        {
            (await Storage.Models.GetAsync("gpt-4o", Ct)).Should().Be(a.Model);
            (await ToListAsync(Storage.Models.GetRevisionsAsync("gpt-4o", Ct))).Should().ContainSingle().Which.Model.DisplayName.Should().Be("A's");
            var refused = await Storage.Models.DeleteAsync("gpt-4o", Ct);
            refused.Status.Should().Be(ModelDeleteStatus.ReferencedByRuns);
            refused.RunIds.Should().Equal("run-of-a");
        }

        // The records written without a scope belong to the default tenant, which is a tenant like any other.
        (await Storage.Models.GetAsync("gpt-4o", Ct)).Should().BeNull();
        (await Storage.Models.TryAddAsync(TestData.Model("gpt-4o") with { DisplayName = "default's" }, Ct)).Should().BeTrue();
        using (As(EvalKitTenant.Default))
        {
            (await Storage.Models.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("default's");
        }

        using (As(A))
        {
            (await ToListAsync(Storage.Models.ListAsync(Ct))).Should().ContainSingle().Which.DisplayName.Should().Be("A's");
        }
    }

    [Fact]
    public virtual async Task ModelChangeCounter_MovesOnlyForTheTenantThatWrites()
    {
        long beforeA, beforeB;
        using (As(A))
        {
            beforeA = await Storage.Models.GetChangeCounterAsync(Ct);
        }

        using (As(B))
        {
            beforeB = await Storage.Models.GetChangeCounterAsync(Ct);
            await Storage.Models.TryAddAsync(TestData.Model("m"), Ct);
            await Storage.Models.TryUpdateAsync(TestData.Model("m", revision: 2), expectedRevision: 1, Ct);
            await Storage.Models.DeleteAsync("m", Ct);
            (await Storage.Models.GetChangeCounterAsync(Ct)).Should().NotBe(beforeB);
        }

        using (As(A))
        {
            (await Storage.Models.GetChangeCounterAsync(Ct)).Should().Be(beforeA);
        }
    }

    [Fact]
    public virtual async Task Datasets_AreInvisibleToOtherTenants_AndTheSameVersionCanExistInBoth()
    {
        DatasetInfo ofA;
        using (As(A))
        {
            ofA = await Storage.Datasets.CreateAsync(TestData.Import("qa", TestData.Cases(3)), Ct);
        }

        using (As(B))
        {
            (await Storage.Datasets.GetAsync(ofA.Id, Ct)).Should().BeNull();
            (await ToListAsync(Storage.Datasets.ListAsync(Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Datasets.ReadCasesAsync(ofA.Id, 0, Ct))).Should().BeEmpty();

            var ofB = await Storage.Datasets.CreateAsync(TestData.Import("qa", TestData.Cases(5).Skip(3)), Ct);
            ofB.Id.Should().Be(ofA.Id, "the same name and version");
            (await ToListAsync(Storage.Datasets.ReadCasesAsync(ofB.Id, 0, Ct))).Select(c => c.Case.Id).Should().Equal("case-3", "case-4");
        }

        using (As(A))
        {
            (await Storage.Datasets.GetAsync(ofA.Id, Ct)).Should().Be(ofA);
            (await ToListAsync(Storage.Datasets.ReadCasesAsync(ofA.Id, 0, Ct))).Select(c => c.Case.Id).Should().Equal("case-0", "case-1", "case-2");
            await FluentActions.Awaiting(async () => await Storage.Datasets.CreateAsync(TestData.Import("qa", TestData.Cases(1)), Ct))
                .Should().ThrowAsync<EvalKitException>("A's own version is still immutable");
        }
    }

    [Fact]
    public virtual async Task Benchmarks_AreInvisibleToOtherTenants_AndASaveByBDoesNotReplaceAs()
    {
        var ofA = new Benchmark { Id = "suite", DatasetId = "qa@1", Scorers = ["exact_match"], PrimaryMetric = "exact_match" };
        using (As(A))
        {
            await Storage.Benchmarks.SaveAsync(ofA, Ct);
        }

        using (As(B))
        {
            (await Storage.Benchmarks.GetAsync("suite", Ct)).Should().BeNull();
            (await ToListAsync(Storage.Benchmarks.ListAsync(Ct))).Should().BeEmpty();
            await Storage.Benchmarks.SaveAsync(ofA with { DatasetId = "other@2" }, Ct);
            (await Storage.Benchmarks.GetAsync("suite", Ct))!.DatasetId.Should().Be("other@2");
        }

        using (As(A))
        {
            (await Storage.Benchmarks.GetAsync("suite", Ct))!.DatasetId.Should().Be("qa@1");
            (await ToListAsync(Storage.Benchmarks.ListAsync(Ct))).Should().ContainSingle();
        }
    }

    [Fact]
    public virtual async Task Runs_BCannotSeeOrUpdateAsRun_AndBothCanUseTheSameId()
    {
        var ofA = TestData.Run("r1", modelId: "gpt-4o", datasetId: "qa@1");
        using (As(A))
        {
            (await Storage.Runs.TryAddAsync(ofA, Ct)).Should().BeTrue();
        }

        using (As(B))
        {
            (await Storage.Runs.GetAsync("r1", Ct)).Should().BeNull();
            (await ToListAsync(Storage.Runs.ListAsync(cancellationToken: Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Runs.ListAsync("gpt-4o", "qa@1", Ct))).Should().BeEmpty();
            await FluentActions.Awaiting(async () => await Storage.Runs.UpdateAsync(ofA with { Status = RunStatus.Cancelled }, Ct))
                .Should().ThrowAsync<NotFoundException>();
            await FluentActions.Awaiting(async () => await Storage.Runs.TryUpdateAsync(ofA with { Status = RunStatus.Cancelled }, RunStatus.Pending, Ct))
                .Should().ThrowAsync<NotFoundException>();

            (await Storage.Runs.TryAddAsync(ofA with { Status = RunStatus.Running }, Ct)).Should().BeTrue("B's run r1 is not A's");
            (await Storage.Runs.TryUpdateAsync(ofA with { Status = RunStatus.Failed }, RunStatus.Running, Ct)).Should().BeTrue();
            (await Storage.Runs.GetAsync("r1", Ct))!.Status.Should().Be(RunStatus.Failed);
        }

        using (As(A))
        {
            (await Storage.Runs.GetAsync("r1", Ct)).Should().Be(ofA);
            (await ToListAsync(Storage.Runs.ListAsync("gpt-4o", null, Ct))).Should().ContainSingle().Which.Status.Should().Be(RunStatus.Pending);
        }
    }

    [Fact]
    public virtual async Task Results_AreInvisibleToOtherTenants_AndTheSameKeysAreWrittenForEach()
    {
        CaseResult[] ofA = [TestData.Result("r1", 0), TestData.Result("r1", 1, failed: true), TestData.Result("r1", 2)];
        using (As(A))
        {
            (await Storage.Results.AppendAsync(ofA, Ct)).Should().Be(3);
        }

        using (As(B))
        {
            (await ToListAsync(Storage.Results.ReadAsync("r1", Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Results.ReadKeysAsync("r1", Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Results.ReadKeysAsync("r1", 0, 10, Ct))).Should().BeEmpty();
            (await Storage.Results.CountAsync("r1", Ct)).Should().Be(default(ResultCounts));

            // The same keys are new in B: they are written, not ignored as A's duplicates.
            (await Storage.Results.AppendAsync([ofA[0] with { Output = "B's answer" }, ofA[1] with { Output = "B's too", Error = null }], Ct)).Should().Be(2);
            (await Storage.Results.CountAsync("r1", Ct)).Should().Be(new ResultCounts(2, 0));
            (await ToListAsync(Storage.Results.ReadAsync("r1", Ct))).Select(r => r.Output).Should().Equal("B's answer", "B's too");
        }

        using (As(A))
        {
            (await ToListAsync(Storage.Results.ReadAsync("r1", Ct))).Should().Equal(ofA);
            (await Storage.Results.CountAsync("r1", Ct)).Should().Be(new ResultCounts(3, 1));
            (await Storage.Results.AppendAsync([ofA[2] with { Output = "again" }], Ct)).Should().Be(0, "A's key is still A's");
        }
    }

    [Fact]
    public virtual async Task Metrics_RangeReadsAggregatesAndPercentilesSeeOnlyTheTenantsPoints_AndDeletesTouchOnlyIt()
    {
        using (As(A))
        {
            await Storage.Metrics.AppendAsync([.. Enumerable.Range(0, 10).Select(i => TestData.Point("gpt-4o", "latency_ms", 100 + i, Hour0.AddMinutes(i)))], Ct);
        }

        var query = new MetricAggregateQuery { ModelId = "gpt-4o", Name = "latency_ms", From = Hour0, To = Hour0.AddHours(1), Period = MetricPeriod.Hour };
        using (As(B))
        {
            (await ToListAsync(Storage.Metrics.QueryAsync("gpt-4o", null, Hour0, Hour0.AddDays(1), Ct))).Should().BeEmpty();
            (await Storage.Metrics.AggregateAsync(query, Ct)).Should().BeEmpty();

            await Storage.Metrics.AppendAsync([TestData.Point("gpt-4o", "latency_ms", 1, Hour0.AddMinutes(1)), TestData.Point("gpt-4o", "latency_ms", 3, Hour0.AddMinutes(2))], Ct);
            var ofB = (await Storage.Metrics.AggregateAsync(query, Ct)).Should().ContainSingle().Subject;
            ofB.Count.Should().Be(2);
            ofB.Sum.Should().Be(4);
            ofB.Max.Should().Be(3);
            ofB.P50.Should().Be(2);
            (await ToListAsync(Storage.Metrics.QueryAsync("gpt-4o", "latency_ms", Hour0, Hour0.AddDays(1), Ct))).Select(p => p.Value).Should().Equal(1.0, 3.0);

            (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0.AddDays(1) }, Ct)).Should().Be(2, "only B's points");
            (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = Hour0.AddDays(1), ModelId = "gpt-4o", Name = "latency_ms" }, Ct)).Should().Be(0);
        }

        using (As(A))
        {
            var ofA = (await Storage.Metrics.AggregateAsync(query, Ct)).Should().ContainSingle().Subject;
            ofA.Count.Should().Be(10);
            ofA.Sum.Should().Be(1045);
            ofA.Min.Should().Be(100);
            ofA.P50.Should().Be(104.5);
            (await ToListAsync(Storage.Metrics.QueryAsync("gpt-4o", null, Hour0, Hour0.AddDays(1), Ct))).Should().HaveCount(10);
        }
    }

    [Fact]
    public virtual async Task ResponseCache_EntriesAreInvisibleToOtherTenants_AndEachKeepsItsOwnFirstAnswer()
    {
        using (As(A))
        {
            await Storage.ResponseCache.AddAsync([Entry("k", "A's answer")], Ct);
        }

        using (As(B))
        {
            (await Storage.ResponseCache.GetAsync("k", Ct)).Should().BeNull();
            await Storage.ResponseCache.AddAsync([Entry("k", "B's answer")], Ct);
            (await Storage.ResponseCache.GetAsync("k", Ct))!.Text.Should().Be("B's answer");
        }

        using (As(A))
        {
            (await Storage.ResponseCache.GetAsync("k", Ct))!.Text.Should().Be("A's answer");
        }

        static CachedResponse Entry(string key, string text) => new() { Key = key, ModelId = "gpt-4o", Text = text, CreatedAt = TestData.Epoch };
    }

    [Fact]
    public virtual async Task AbTests_BCannotSeeOrUpdateAsTest_AndBothCanUseTheSameId()
    {
        var ofA = AbTest("t1");
        using (As(A))
        {
            (await Storage.AbTests.TryAddAsync(ofA, Ct)).Should().BeTrue();
        }

        using (As(B))
        {
            (await Storage.AbTests.GetAsync("t1", Ct)).Should().BeNull();
            (await ToListAsync(Storage.AbTests.ListAsync(Ct))).Should().BeEmpty();
            await FluentActions.Awaiting(async () => await Storage.AbTests.UpdateAsync(ofA with { Status = AbTestStatus.Failed }, Ct)).Should().ThrowAsync<NotFoundException>();
            (await Storage.AbTests.TryAddAsync(ofA with { Status = AbTestStatus.Running }, Ct)).Should().BeTrue();
            (await Storage.AbTests.GetAsync("t1", Ct))!.Status.Should().Be(AbTestStatus.Running);
        }

        using (As(A))
        {
            (await Storage.AbTests.GetAsync("t1", Ct))!.Status.Should().Be(AbTestStatus.Created);
            (await ToListAsync(Storage.AbTests.ListAsync(Ct))).Should().ContainSingle();
        }
    }

    [Fact]
    public virtual async Task Experiments_TemplatesAndExperimentRuns_AreSeparatePerTenant()
    {
        var experiment = ExperimentStorageTests.Experiment("e1");
        var template = new ExperimentTemplate
        {
            Id = "nightly",
            Definition = new ExperimentDefinition { Name = "nightly", BenchmarkIds = ["arith"], ModelIds = ["local/a"] },
            CreatedAt = TestData.Epoch,
            UpdatedAt = TestData.Epoch,
        };
        using (As(A))
        {
            (await Storage.Experiments.TryAddAsync(experiment, Ct)).Should().BeTrue();
            await Storage.Experiments.SaveTemplateAsync(template, Ct);
            await Storage.Experiments.SaveRunAsync(Record("e1", "r1", 0), Ct);
        }

        using (As(B))
        {
            (await Storage.Experiments.GetAsync("e1", Ct)).Should().BeNull();
            (await ToListAsync(Storage.Experiments.ListAsync(Ct))).Should().BeEmpty();
            await FluentActions.Awaiting(async () => await Storage.Experiments.UpdateAsync(experiment with { Status = ExperimentStatus.Failed }, Ct))
                .Should().ThrowAsync<NotFoundException>();
            (await Storage.Experiments.GetTemplateAsync("nightly", Ct)).Should().BeNull();
            (await ToListAsync(Storage.Experiments.ListTemplatesAsync(Ct))).Should().BeEmpty();
            (await Storage.Experiments.DeleteTemplateAsync("nightly", Ct)).Should().BeFalse("B has no template nightly");
            (await ToListAsync(Storage.Experiments.ListRunsAsync("e1", Ct))).Should().BeEmpty();

            (await Storage.Experiments.TryAddAsync(experiment with { Status = ExperimentStatus.Running }, Ct)).Should().BeTrue();
            await Storage.Experiments.SaveTemplateAsync(template with { Definition = template.Definition with { Name = "B's" } }, Ct);
            await Storage.Experiments.SaveRunAsync(Record("e1", "r1", 7), Ct);
            (await ToListAsync(Storage.Experiments.ListRunsAsync("e1", Ct))).Should().ContainSingle().Which.VariantIndex.Should().Be(7);
            (await Storage.Experiments.DeleteTemplateAsync("nightly", Ct)).Should().BeTrue();
        }

        using (As(A))
        {
            (await Storage.Experiments.GetAsync("e1", Ct))!.Status.Should().Be(ExperimentStatus.Created);
            (await Storage.Experiments.GetTemplateAsync("nightly", Ct))!.Definition.Name.Should().Be("nightly");
            (await ToListAsync(Storage.Experiments.ListRunsAsync("e1", Ct))).Should().ContainSingle().Which.VariantIndex.Should().Be(0);
        }

        static ExperimentRun Record(string experimentId, string runId, int index) => new()
        {
            ExperimentId = experimentId, RunId = runId, VariantIndex = index, Label = $"variant {index}", BenchmarkId = "arith", ModelId = "local/a",
            Status = RunStatus.Running, StartedAt = TestData.Epoch,
        };
    }

    [Fact]
    public virtual async Task Shards_AreClaimedCountedAndListedOnlyByTheirTenant_AndALeaseOfAIsDeadInB()
    {
        var t0 = TestData.Epoch;
        ShardLease leaseOfA;
        using (As(A))
        {
            (await Storage.Shards.CreateAsync(RunShard.Split("r1", 20, 10), Ct)).Should().BeTrue();
            leaseOfA = (await Storage.Shards.TryClaimAsync("r1", "worker-a", t0, Lease, Ct))!;
            leaseOfA.Shard.Index.Should().Be(0);
        }

        using (As(B))
        {
            (await Storage.Shards.CountAsync("r1", Ct)).Total.Should().Be(0);
            (await ToListAsync(Storage.Shards.ListAsync("r1", Ct))).Should().BeEmpty();
            (await Storage.Shards.TryClaimAsync(null, "worker-b", t0, Lease, Ct)).Should().BeNull("a queue worker of B claims only B's shards");
            (await Storage.Shards.TryClaimAsync("r1", "worker-b", t0 + (2 * Lease), Lease, Ct)).Should().BeNull("not even A's expired lease");
            (await Storage.Shards.RenewAsync(leaseOfA, t0, Lease, Ct)).Should().BeNull();
            (await Storage.Shards.CompleteAsync(leaseOfA, t0, Ct)).Should().BeFalse();

            (await Storage.Shards.CreateAsync(RunShard.Split("r1", 10, 10), Ct)).Should().BeTrue("B's run r1 has no shards yet");
            var ofB = await Storage.Shards.TryClaimAsync(null, "worker-b", t0, Lease, Ct);
            ofB!.Shard.Should().Match<RunShard>(s => s.RunId == "r1" && s.Index == 0 && s.Claims == 1);
            (await Storage.Shards.CompleteAsync(ofB, t0, Ct)).Should().BeTrue();
            (await Storage.Shards.CountAsync("r1", Ct)).Should().Be(new ShardCounts(1, 0, 1));
        }

        using (As(A))
        {
            (await Storage.Shards.CountAsync("r1", Ct)).Should().Be(new ShardCounts(2, 1, 0));
            var listed = await ToListAsync(Storage.Shards.ListAsync("r1", Ct));
            listed[0].Should().Match<RunShard>(s => s.State == ShardState.Claimed && s.WorkerId == "worker-a" && s.Claims == 1);
            (await Storage.Shards.RenewAsync(leaseOfA, t0, Lease, Ct)).Should().NotBeNull("A's lease is still A's");
            (await Storage.Shards.CompleteAsync(leaseOfA, t0, Ct)).Should().BeTrue();
        }
    }

    [Fact]
    public virtual async Task EachTenantsRecords_AreReadBackByAnotherInstanceOverTheSameData()
    {
        using (As(A))
        {
            await Storage.Models.TryAddAsync(TestData.Model("gpt-4o") with { DisplayName = "A's" }, Ct);
        }

        using (As(B))
        {
            await Storage.Models.TryAddAsync(TestData.Model("gpt-4o") with { DisplayName = "B's" }, Ct);
        }

        // A persistent provider is read through a second instance over the same data; an in-memory one through itself.
        var reopened = await ReopenAsync();
        var store = reopened ?? Storage;
        try
        {
            using (As(A))
            {
                (await store.Models.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("A's");
            }

            using (As(B))
            {
                (await store.Models.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("B's");
            }

            (await store.Models.GetAsync("gpt-4o", Ct)).Should().BeNull("the default tenant has no gpt-4o");
        }
        finally
        {
            if (reopened is not null)
            {
                await reopened.DisposeAsync();
            }
        }
    }

    private static AbTest AbTest(string id) => new()
    {
        Id = id,
        Definition = new AbTestDefinition { Id = id, Name = $"test {id}", ModelIds = ["local/a", "local/b"], BenchmarkId = "bench", PrimaryMetric = "exact_match" },
        Status = AbTestStatus.Created,
        RunIds = new Dictionary<string, string> { ["local/a"] = $"{id}-run-a", ["local/b"] = $"{id}-run-b" },
        CreatedAt = TestData.Epoch,
    };
}
