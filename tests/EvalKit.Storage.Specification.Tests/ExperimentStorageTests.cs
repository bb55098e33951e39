using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;

namespace EvalKit.Storage.Specification.Tests;

public abstract class ExperimentStorageTests : StorageTestBase
{
    private static ExperimentDefinition Definition(string? id) => new()
    {
        Id = id,
        Name = "prompt study",
        Description = "Does the terse prompt hold up?",
        Hypothesis = "terse is no worse and cheaper",
        BenchmarkIds = ["arith", "capitals"],
        ModelIds = ["local/a", "local/b"],
        PromptVariants =
        [
            new PromptVariant { Name = "terse", PromptTemplate = "Q: {{input}}", SystemPrompt = "Be brief.", FewShot = [new FewShotExample("1+1", "2")] },
            new PromptVariant { Name = "default" },
        ],
        OptionsVariants = [new OptionsVariant { Name = "t=0", Temperature = 0f, Seed = 7 }, new OptionsVariant { Name = "t=0.7", Temperature = 0.7f, Repetitions = 3, MaxOutputTokens = 64 }],
        Options = new EvaluationOptions { MaxConcurrency = 2, Repetitions = 2, Timeout = TimeSpan.FromSeconds(9) },
        PrimaryMetric = "exact_match",
        Alpha = 0.01,
        Correction = PValueCorrection.BenjaminiHochberg,
        PassThreshold = 0.75,
        MaxConcurrentRuns = 3,
        Tags = new Dictionary<string, string> { ["team"] = "search" },
    };

    public static Experiment Experiment(string id, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        Definition = Definition(id),
        Variants =
        [
            new ExperimentVariant
            {
                Index = 0, Label = "local/a · terse · t=0 @ arith", BenchmarkId = "arith", ModelId = "local/a", PromptVariant = "terse", OptionsVariant = "t=0",
                Options = new EvaluationOptions { Temperature = 0f, Seed = 7 }, RunId = $"{id}-run-0",
            },
            new ExperimentVariant
            {
                Index = 1, Label = "local/b @ capitals", BenchmarkId = "capitals", ModelId = "local/b",
                Options = new EvaluationOptions { MaxConcurrency = 5, Timeout = null }, RunId = $"{id}-run-1",
            },
        ],
        Status = ExperimentStatus.Created,
        TemplateId = "nightly",
        CreatedAt = createdAt ?? TestData.Epoch,
    };

    private static ExperimentRun Record(string experimentId, string runId, int index, RunStatus status = RunStatus.Running) => new()
    {
        ExperimentId = experimentId,
        RunId = runId,
        VariantIndex = index,
        Label = $"variant {index}",
        BenchmarkId = "arith",
        ModelId = "local/a",
        PromptVariant = index % 2 == 0 ? "terse" : null,
        OptionsVariant = "t=0",
        Status = status,
        StartedAt = TestData.Epoch.AddMinutes(index),
        CompletedAt = status == RunStatus.Running ? null : TestData.Epoch.AddHours(1),
        Error = status == RunStatus.Failed ? "no client" : null,
    };

    [Fact]
    public virtual async Task TryAdd_ThenGet_RoundTripsEveryMember()
    {
        var experiment = Experiment("e1");

        (await Storage.Experiments.TryAddAsync(experiment, Ct)).Should().BeTrue();
        (await Storage.Experiments.TryAddAsync(experiment with { Status = ExperimentStatus.Failed }, Ct)).Should().BeFalse();

        var stored = await Storage.Experiments.GetAsync("e1", Ct);
        stored.Should().Be(experiment);
        stored!.Definition.PromptVariants[0].FewShot.Should().Equal(new FewShotExample("1+1", "2"));
        stored.Definition.OptionsVariants[1].Temperature.Should().Be(0.7f);
        stored.Definition.Tags.Should().Equal(experiment.Definition.Tags);
        stored.Variants[1].Options.Timeout.Should().BeNull();
        (await Storage.Experiments.GetAsync("e2", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task TryAdd_MinimalDefinition_KeepsDefaults()
    {
        var experiment = new Experiment
        {
            Id = "min",
            Definition = new ExperimentDefinition { Name = "min", BenchmarkIds = ["b"], ModelIds = ["m"] },
            CreatedAt = TestData.Epoch,
        };

        await Storage.Experiments.TryAddAsync(experiment, Ct);

        var stored = await Storage.Experiments.GetAsync("min", Ct);
        stored.Should().Be(experiment);
        stored!.Definition.Alpha.Should().Be(0.05);
        stored.Definition.PassThreshold.Should().Be(0.5);
        stored.Definition.MaxConcurrentRuns.Should().Be(2);
        stored.Definition.Options.Should().BeNull();
        stored.Variants.Should().BeEmpty();
        stored.TemplateId.Should().BeNull();
    }

    [Fact]
    public virtual async Task Update_ReplacesStatusAndError()
    {
        await Storage.Experiments.TryAddAsync(Experiment("e1"), Ct);
        var failed = Experiment("e1") with { Status = ExperimentStatus.Failed, Error = "1 of 2 variants failed", CompletedAt = TestData.Epoch.AddMinutes(5) };

        await Storage.Experiments.UpdateAsync(failed, Ct);

        (await Storage.Experiments.GetAsync("e1", Ct)).Should().Be(failed);
    }

    [Fact]
    public virtual async Task Update_MissingExperiment_ThrowsNotFound()
    {
        var act = async () => await Storage.Experiments.UpdateAsync(Experiment("ghost"), Ct);

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Id.Should().Be("ghost");
    }

    [Fact]
    public virtual async Task List_NewestFirst_TiesByIdDescending()
    {
        await Storage.Experiments.TryAddAsync(Experiment("old", TestData.Epoch), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("newest", TestData.Epoch.AddDays(2)), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("a-middle", TestData.Epoch.AddDays(1)), Ct);
        await Storage.Experiments.TryAddAsync(Experiment("b-middle", TestData.Epoch.AddDays(1)), Ct);

        (await ToListAsync(Storage.Experiments.ListAsync(Ct))).Select(e => e.Id).Should().Equal("newest", "b-middle", "a-middle", "old");
    }

    [Fact]
    public virtual async Task Templates_SaveReplacesListsByIdAndDeletes()
    {
        var first = new ExperimentTemplate { Id = "nightly", Definition = Definition(null), CreatedAt = TestData.Epoch, UpdatedAt = TestData.Epoch };
        var other = new ExperimentTemplate { Id = "adhoc", Definition = Definition(null) with { Name = "adhoc" }, CreatedAt = TestData.Epoch, UpdatedAt = TestData.Epoch };
        await Storage.Experiments.SaveTemplateAsync(first, Ct);
        await Storage.Experiments.SaveTemplateAsync(other, Ct);
        var changed = first with { Definition = first.Definition with { ModelIds = ["local/c"] }, UpdatedAt = TestData.Epoch.AddDays(1) };

        await Storage.Experiments.SaveTemplateAsync(changed, Ct);

        (await Storage.Experiments.GetTemplateAsync("nightly", Ct)).Should().Be(changed);
        (await ToListAsync(Storage.Experiments.ListTemplatesAsync(Ct))).Select(t => t.Id).Should().Equal("adhoc", "nightly");
        (await Storage.Experiments.DeleteTemplateAsync("adhoc", Ct)).Should().BeTrue();
        (await Storage.Experiments.DeleteTemplateAsync("adhoc", Ct)).Should().BeFalse();
        (await Storage.Experiments.GetTemplateAsync("adhoc", Ct)).Should().BeNull();
        (await ToListAsync(Storage.Experiments.ListTemplatesAsync(Ct))).Select(t => t.Id).Should().Equal("nightly");
    }

    [Fact]
    public virtual async Task Runs_SaveReplacesByExperimentAndRun_ListsInVariantOrder()
    {
        await Storage.Experiments.SaveRunAsync(Record("e1", "r-late", 2), Ct);
        await Storage.Experiments.SaveRunAsync(Record("e1", "r-b", 0), Ct);
        await Storage.Experiments.SaveRunAsync(Record("e1", "r-a", 0), Ct);
        await Storage.Experiments.SaveRunAsync(Record("e2", "r-a", 5), Ct);
        var done = Record("e1", "r-late", 2, RunStatus.Failed);

        await Storage.Experiments.SaveRunAsync(done, Ct);

        var runs = await ToListAsync(Storage.Experiments.ListRunsAsync("e1", Ct));
        runs.Select(r => r.RunId).Should().Equal("r-a", "r-b", "r-late");
        runs[2].Should().Be(done);
        (await ToListAsync(Storage.Experiments.ListRunsAsync("e2", Ct))).Should().ContainSingle().Which.Should().Be(Record("e2", "r-a", 5));
        (await ToListAsync(Storage.Experiments.ListRunsAsync("none", Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Text_RoundTripsVerbatim()
    {
        const string Hostile = "</script><img src=x onerror=alert(1)> \"quotes\" 'apostrophes' \\ \u00e9\u4e2d\ud83d\ude00 \t\r\n end";
        var experiment = Experiment("e1") with { Definition = Definition("e1") with { Name = Hostile, Hypothesis = Hostile } };

        await Storage.Experiments.TryAddAsync(experiment, Ct);
        await Storage.Experiments.SaveRunAsync(Record("e1", "r", 0) with { Error = Hostile, Label = Hostile }, Ct);

        (await Storage.Experiments.GetAsync("e1", Ct))!.Definition.Name.Should().Be(Hostile);
        (await ToListAsync(Storage.Experiments.ListRunsAsync("e1", Ct))).Single().Error.Should().Be(Hostile);
    }

    [Fact]
    public virtual async Task Stored_SurvivesReopen()
    {
        await Storage.Experiments.TryAddAsync(Experiment("e1"), Ct);
        await Storage.Experiments.SaveRunAsync(Record("e1", "r", 0), Ct);
        await Storage.Experiments.SaveTemplateAsync(new ExperimentTemplate { Id = "t", Definition = Definition(null), CreatedAt = TestData.Epoch, UpdatedAt = TestData.Epoch }, Ct);
        var reopened = await ReopenAsync();
        if (reopened is null)
        {
            return;
        }

        await using (reopened)
        {
            (await reopened.Experiments.GetAsync("e1", Ct)).Should().Be(Experiment("e1"));
            (await ToListAsync(reopened.Experiments.ListRunsAsync("e1", Ct))).Should().ContainSingle();
            (await reopened.Experiments.GetTemplateAsync("t", Ct)).Should().NotBeNull();
        }
    }
}
