using EvalKit.Comparisons;
using EvalKit.Evaluation;

namespace EvalKit.Storage.Specification.Tests;

public abstract class AbTestStorageTests : StorageTestBase
{
    private static AbTest Test(string id, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        Definition = new AbTestDefinition
        {
            Id = id,
            Name = $"test {id}",
            ModelIds = ["local/a", "local/b"],
            BenchmarkId = "bench",
            PrimaryMetric = "exact_match",
            Alpha = 0.01,
            Design = AbTestDesign.Unpaired,
            Correction = PValueCorrection.BenjaminiHochberg,
            Options = new EvaluationOptions { MaxConcurrency = 2, Repetitions = 3 },
        },
        Status = AbTestStatus.Created,
        RunIds = new Dictionary<string, string> { ["local/a"] = $"{id}-run-a", ["local/b"] = $"{id}-run-b" },
        CreatedAt = createdAt ?? TestData.Epoch,
    };

    [Fact]
    public virtual async Task TryAdd_ThenGet_RoundTrips()
    {
        var test = Test("t1");

        (await Storage.AbTests.TryAddAsync(test, Ct)).Should().BeTrue();
        (await Storage.AbTests.TryAddAsync(test with { Status = AbTestStatus.Failed }, Ct)).Should().BeFalse();

        var stored = await Storage.AbTests.GetAsync("t1", Ct);
        stored.Should().Be(test);
        stored!.RunIds.Should().Equal(test.RunIds);
        stored.Definition.Options.Should().BeEquivalentTo(test.Definition.Options);
        (await Storage.AbTests.GetAsync("t2", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task TryAdd_MinimalDefinition_KeepsDefaults()
    {
        var test = new AbTest
        {
            Id = "min",
            Definition = new AbTestDefinition { Name = "min", ModelIds = ["a", "b"], BenchmarkId = "bench" },
            CreatedAt = TestData.Epoch,
        };

        await Storage.AbTests.TryAddAsync(test, Ct);

        var stored = await Storage.AbTests.GetAsync("min", Ct);
        stored.Should().Be(test);
        stored!.Definition.Alpha.Should().Be(0.05);
        stored.Definition.Design.Should().Be(AbTestDesign.Paired);
        stored.Definition.Correction.Should().Be(PValueCorrection.Holm);
        stored.RunIds.Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Update_ReplacesStatusAndError()
    {
        var test = Test("t1");
        await Storage.AbTests.TryAddAsync(test, Ct);
        var failed = test with { Status = AbTestStatus.Failed, Error = "boom", CompletedAt = TestData.Epoch.AddMinutes(5) };

        await Storage.AbTests.UpdateAsync(failed, Ct);

        (await Storage.AbTests.GetAsync("t1", Ct)).Should().Be(failed);
    }

    [Fact]
    public virtual async Task Update_MissingTest_ThrowsNotFound()
    {
        var act = async () => await Storage.AbTests.UpdateAsync(Test("ghost"), Ct);

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Id.Should().Be("ghost");
    }

    [Fact]
    public virtual async Task List_NewestFirst()
    {
        await Storage.AbTests.TryAddAsync(Test("old", TestData.Epoch), Ct);
        await Storage.AbTests.TryAddAsync(Test("newest", TestData.Epoch.AddDays(2)), Ct);
        await Storage.AbTests.TryAddAsync(Test("middle", TestData.Epoch.AddDays(1)), Ct);

        (await ToListAsync(Storage.AbTests.ListAsync(Ct))).Select(t => t.Id).Should().Equal("newest", "middle", "old");
    }

    [Fact]
    public virtual async Task Stored_SurvivesReopen()
    {
        await Storage.AbTests.TryAddAsync(Test("t1"), Ct);
        var reopened = await ReopenAsync();
        if (reopened is null)
        {
            return;
        }

        await using (reopened)
        {
            (await reopened.AbTests.GetAsync("t1", Ct)).Should().Be(Test("t1"));
        }
    }
}
