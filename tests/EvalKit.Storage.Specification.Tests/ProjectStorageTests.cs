using EvalKit.Comparisons;
using EvalKit.Experiments;
using EvalKit.Projects;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>The conformance suite of <see cref="IProjectStorage"/>: projects, and the records that belong to one.</summary>
public abstract class ProjectStorageTests : StorageTestBase
{
    private static Project Project(string id, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        Name = $"Project {id}",
        Description = "Support answers, ε-tested 🙂",
        Budget = new ProjectBudget { HardLimit = 12.5m, SoftLimit = 10.000000001m, Period = BudgetPeriod.Monthly },
        CreatedAt = createdAt ?? TestData.Epoch,
        UpdatedAt = (createdAt ?? TestData.Epoch).AddMinutes(1),
    };

    private static AbTest Test(string id, string? projectId, DateTimeOffset createdAt) => new()
    {
        Id = id,
        Definition = new AbTestDefinition { Id = id, Name = id, ModelIds = ["a", "b"], BenchmarkId = "bench", ProjectId = projectId },
        CreatedAt = createdAt,
    };

    private static Experiment Experiment(string id, string? projectId, DateTimeOffset createdAt) => new()
    {
        Id = id,
        Definition = new ExperimentDefinition { Id = id, Name = id, BenchmarkIds = ["bench"], ModelIds = ["a"], ProjectId = projectId },
        CreatedAt = createdAt,
    };

    [Fact]
    public virtual async Task TryAdd_ThenGet_RoundTripsEveryField()
    {
        var project = Project("support");

        (await Storage.Projects.TryAddAsync(project, Ct)).Should().BeTrue();
        (await Storage.Projects.TryAddAsync(project with { Name = "other" }, Ct)).Should().BeFalse("the id is taken");

        (await Storage.Projects.GetAsync("support", Ct)).Should().Be(project);
        (await Storage.Projects.GetAsync("missing", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task TryAdd_WithoutBudget_ReadsBackWithoutOne()
    {
        var project = new Project { Id = "p", Name = "p", CreatedAt = TestData.Epoch, UpdatedAt = TestData.Epoch };

        await Storage.Projects.TryAddAsync(project, Ct);

        var stored = await Storage.Projects.GetAsync("p", Ct);
        stored.Should().Be(project);
        stored!.Budget.Should().BeNull();
        stored.Description.Should().BeNull();
    }

    [Fact]
    public virtual async Task List_IsNewestFirst_TiesByIdDescending()
    {
        await Storage.Projects.TryAddAsync(Project("a", TestData.Epoch), Ct);
        await Storage.Projects.TryAddAsync(Project("c", TestData.Epoch.AddDays(1)), Ct);
        await Storage.Projects.TryAddAsync(Project("b", TestData.Epoch), Ct);

        (await ToListAsync(Storage.Projects.ListAsync(Ct))).Select(p => p.Id).Should().Equal("c", "b", "a");
    }

    [Fact]
    public virtual async Task Update_ReplacesTheProject()
    {
        await Storage.Projects.TryAddAsync(Project("p"), Ct);
        var renamed = Project("p") with { Name = "Renamed", Budget = null, UpdatedAt = TestData.Epoch.AddHours(3) };

        await Storage.Projects.UpdateAsync(renamed, Ct);

        (await Storage.Projects.GetAsync("p", Ct)).Should().Be(renamed);
        (await ToListAsync(Storage.Projects.ListAsync(Ct))).Should().ContainSingle().Which.Name.Should().Be("Renamed");
    }

    [Fact]
    public virtual async Task Update_MissingProject_ThrowsNotFound()
    {
        var act = async () => await Storage.Projects.UpdateAsync(Project("ghost"), Ct);

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Id.Should().Be("ghost");
    }

    [Fact]
    public virtual async Task ListLinked_ReturnsOnlyTheProjectsRecords_NewestFirst()
    {
        await Storage.Projects.TryAddAsync(Project("p1"), Ct);
        await Storage.Projects.TryAddAsync(Project("p2"), Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("r-old") with { ProjectId = "p1" }, Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("r-new", createdAt: TestData.Epoch.AddHours(1)) with { ProjectId = "p1" }, Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("r-other") with { ProjectId = "p2" }, Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("r-none"), Ct);
        await Storage.AbTests.TryAddAsync(Test("t1", "p1", TestData.Epoch), Ct);
        await Storage.AbTests.TryAddAsync(Test("t2", "p2", TestData.Epoch), Ct);
        await Storage.AbTests.TryAddAsync(Test("t3", null, TestData.Epoch), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("e1", "p1", TestData.Epoch), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("e2", "p1", TestData.Epoch.AddMinutes(5)), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("e3", null, TestData.Epoch), Ct);

        var runs = await ToListAsync(Storage.Projects.ListRunsAsync("p1", Ct));
        runs.Select(r => r.Id).Should().Equal("r-new", "r-old");
        runs[0].ProjectId.Should().Be("p1");
        (await ToListAsync(Storage.Projects.ListAbTestsAsync("p1", Ct))).Select(t => t.Id).Should().Equal("t1");
        (await ToListAsync(Storage.Projects.ListExperimentsAsync("p1", Ct))).Select(e => e.Id).Should().Equal("e2", "e1");
        (await ToListAsync(Storage.Projects.ListRunsAsync("p2", Ct))).Select(r => r.Id).Should().Equal("r-other");
        (await ToListAsync(Storage.Projects.ListRunsAsync("missing", Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task UpdatingARecord_MovesItBetweenProjects()
    {
        await Storage.Projects.TryAddAsync(Project("p1"), Ct);
        await Storage.Projects.TryAddAsync(Project("p2"), Ct);
        var run = TestData.Run("r") with { ProjectId = "p1" };
        await Storage.Runs.TryAddAsync(run, Ct);
        await Storage.AbTests.TryAddAsync(Test("t", "p1", TestData.Epoch), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("e", "p1", TestData.Epoch), Ct);

        await Storage.Runs.UpdateAsync(run with { ProjectId = "p2" }, Ct);
        await Storage.AbTests.UpdateAsync(Test("t", "p2", TestData.Epoch), Ct);
        await Storage.Experiments.UpdateAsync(Experiment("e", null, TestData.Epoch), Ct);

        (await ToListAsync(Storage.Projects.ListRunsAsync("p1", Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Projects.ListAbTestsAsync("p1", Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Projects.ListExperimentsAsync("p1", Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Projects.ListRunsAsync("p2", Ct))).Should().ContainSingle().Which.ProjectId.Should().Be("p2");
        (await ToListAsync(Storage.Projects.ListAbTestsAsync("p2", Ct))).Should().ContainSingle();
        (await Storage.Runs.GetAsync("r", Ct))!.ProjectId.Should().Be("p2");
    }

    [Fact]
    public virtual async Task Delete_WithLinkedRecords_IsRefusedAndNamesThem()
    {
        await Storage.Projects.TryAddAsync(Project("p"), Ct);
        for (var i = 0; i < 12; i++)
        {
            await Storage.Runs.TryAddAsync(TestData.Run($"r{i:D2}", createdAt: TestData.Epoch.AddMinutes(i)) with { ProjectId = "p" }, Ct);
        }

        await Storage.AbTests.TryAddAsync(Test("t", "p", TestData.Epoch), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("e", "p", TestData.Epoch), Ct);

        var result = await Storage.Projects.DeleteAsync("p", Ct);

        result.Status.Should().Be(ProjectDeleteStatus.Referenced);
        result.RunCount.Should().Be(12);
        result.RunIds.Should().Equal(Enumerable.Range(2, 10).Reverse().Select(i => $"r{i:D2}"), "the newest ten");
        (result.AbTestCount, result.ExperimentCount).Should().Be((1L, 1L));
        result.AbTestIds.Should().Equal("t");
        result.ExperimentIds.Should().Equal("e");
        (await Storage.Projects.GetAsync("p", Ct)).Should().NotBeNull("nothing was deleted");
    }

    [Fact]
    public virtual async Task Delete_WithoutLinkedRecords_Deletes_ThenReportsNotFound()
    {
        await Storage.Projects.TryAddAsync(Project("p"), Ct);
        await Storage.Projects.TryAddAsync(Project("kept"), Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("r") with { ProjectId = "kept" }, Ct);

        (await Storage.Projects.DeleteAsync("p", Ct)).Should().Be(ProjectDeleteResult.Deleted);
        (await Storage.Projects.DeleteAsync("p", Ct)).Should().Be(ProjectDeleteResult.NotFound);
        (await Storage.Projects.DeleteAsync("never", Ct)).Should().Be(ProjectDeleteResult.NotFound);

        (await Storage.Projects.GetAsync("p", Ct)).Should().BeNull();
        (await ToListAsync(Storage.Projects.ListAsync(Ct))).Select(p => p.Id).Should().Equal("kept");
    }

    [Fact]
    public virtual async Task Projects_AreIsolatedByTenant()
    {
        using (EvalKitTenant.Use("acme"))
        {
            await Storage.Projects.TryAddAsync(Project("p"), Ct);
            await Storage.Runs.TryAddAsync(TestData.Run("r") with { ProjectId = "p" }, Ct);
        }

        using (EvalKitTenant.Use("globex"))
        {
            (await Storage.Projects.GetAsync("p", Ct)).Should().BeNull();
            (await ToListAsync(Storage.Projects.ListAsync(Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Projects.ListRunsAsync("p", Ct))).Should().BeEmpty();
            (await Storage.Projects.DeleteAsync("p", Ct)).Status.Should().Be(ProjectDeleteStatus.NotFound);

            // The same id in another tenant, free of A's run.
            (await Storage.Projects.TryAddAsync(Project("p") with { Name = "Globex's" }, Ct)).Should().BeTrue();
            (await Storage.Projects.DeleteAsync("p", Ct)).Status.Should().Be(ProjectDeleteStatus.Deleted);
        }

        using (EvalKitTenant.Use("acme"))
        {
            (await Storage.Projects.GetAsync("p", Ct))!.Name.Should().Be("Project p");
            (await Storage.Projects.DeleteAsync("p", Ct)).Status.Should().Be(ProjectDeleteStatus.Referenced);
        }
    }
}
