using EvalKit.Datasets;
using EvalKit.Evaluation;

namespace EvalKit.Storage.Specification.Tests;

public abstract class BenchmarkStorageTests : StorageTestBase
{
    private static Benchmark Suite(string id) => new()
    {
        Id = id,
        Name = "Arithmetic",
        Version = "2",
        DatasetId = "arith@1",
        PromptTemplate = "Q: {{input}} ({{metadata.i}})",
        SystemPrompt = "Answer with a number.",
        Scorers = ["exact_match", "contains"],
        PrimaryMetric = "exact_match",
        DefaultOptions = new EvaluationOptions { MaxConcurrency = 3, Repetitions = 5, Timeout = TimeSpan.FromSeconds(7), Seed = 42 },
    };

    [Fact]
    public virtual async Task Save_ThenGet_RoundTrips()
    {
        await Storage.Benchmarks.SaveAsync(Suite("arith"), Ct);

        (await Storage.Benchmarks.GetAsync("arith", Ct)).Should().Be(Suite("arith"));
        (await Storage.Benchmarks.GetAsync("missing", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task Save_ExistingId_Replaces()
    {
        await Storage.Benchmarks.SaveAsync(Suite("arith"), Ct);
        await Storage.Benchmarks.SaveAsync(Suite("arith") with { Version = "3" }, Ct);

        (await ToListAsync(Storage.Benchmarks.ListAsync(Ct))).Should().ContainSingle().Which.Version.Should().Be("3");
    }

    [Fact]
    public virtual async Task List_IsOrderedById()
    {
        await Storage.Benchmarks.SaveAsync(Suite("zeta"), Ct);
        await Storage.Benchmarks.SaveAsync(Suite("alpha"), Ct);

        (await ToListAsync(Storage.Benchmarks.ListAsync(Ct))).Select(b => b.Id).Should().Equal("alpha", "zeta");
    }
}
