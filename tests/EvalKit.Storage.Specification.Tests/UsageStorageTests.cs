using EvalKit.Evaluation;
using EvalKit.Projects;
using EvalKit.Scoring;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// The conformance suite of <see cref="IUsageStorage"/>: every provider counts calls, tokens and costs the same way
/// (cached answers, failed calls, calls without usage or pricing, scorer usage recorded in the scores), sums costs exactly,
/// splits by UTC day, and filters by project, model, runs and time.
/// </summary>
public abstract class UsageStorageTests : StorageTestBase
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 30, 23, 59, 59, TimeSpan.Zero);

    private static CaseResult Result(string runId, long ordinal, DateTimeOffset at) => new()
    {
        RunId = runId,
        CaseOrdinal = ordinal,
        CaseId = $"case-{ordinal}",
        Output = "answer",
        Scores = [Score.FromPass("exact_match", true)],
        InputTokens = 100,
        OutputTokens = 10,
        Cost = 0.1m,
        CompletedAt = at,
    };

    private static ScoreUsage Judge(decimal? cost, long? input = 50, long? output = 5) =>
        new() { Kind = ScoreUsageKind.Judge, ModelId = "judge", InputTokens = input, OutputTokens = output, Cost = cost };

    // Run r1: every kind of result; judge and embedding usage in the scores.
    private static List<CaseResult> Mixed(string runId) =>
    [
        Result(runId, 0, Day1),
        Result(runId, 1, Day1) with { Cost = 0.2m },
        Result(runId, 2, Day1) with { Cost = null },                                                  // no pricing
        Result(runId, 3, Day1) with { InputTokens = null, OutputTokens = null, Cost = null },         // no usage
        Result(runId, 4, Day1) with { Cached = true, Cost = 0m },                                     // cache: no call
        Result(runId, 5, Day1) with
        {
            Output = null, Scores = [], InputTokens = null, OutputTokens = null, Cost = null,
            Error = new CaseError(ErrorCategory.Timeout, "timed out"),
        },
        Result(runId, 6, Day1) with
        {
            Scores =
            [
                Score.FromPass("exact_match", false),
                new Score { Name = "panel", Value = 0.5, Usage = [Judge(0.001m), Judge(null), Judge(null, null, null) with { Calls = 2 }] },
                new Score
                {
                    Name = "similarity", Value = 0.9,
                    Usage = [new ScoreUsage { Kind = ScoreUsageKind.Embedding, ModelId = "embed", Calls = 3, InputTokens = 30, OutputTokens = 0, Cost = 0.0000006m }],
                },
            ],
        },
    ];

    [Fact]
    public virtual async Task Aggregate_CountsEveryKindOfResult()
    {
        await Storage.Results.AppendAsync(Mixed("r1"), Ct);

        var row = (await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery(), Ct))).Should().ContainSingle().Subject;

        row.RunId.Should().Be("r1");
        row.Day.Should().BeNull();
        row.Evaluation.Should().Be(new UsageTotals
        {
            Calls = 5,                     // 0, 1, 2, 3 and 6; not the cached answer, not the failed call
            CachedCalls = 1,
            FailedCalls = 1,
            InputTokens = 400,
            OutputTokens = 40,
            Cost = 0.4m,                   // 0.1 + 0.2 + 0.1; the unknown costs add nothing
            UnknownCostCalls = 2,
            CallsWithoutUsage = 1,
        });
        row.Judge.Should().Be(new UsageTotals { Calls = 4, InputTokens = 100, OutputTokens = 10, Cost = 0.001m, UnknownCostCalls = 3, CallsWithoutUsage = 2 });
        row.Embedding.Should().Be(new UsageTotals { Calls = 3, InputTokens = 30, Cost = 0.0000006m });
    }

    [Fact]
    public virtual async Task Aggregate_SumsCostsExactly()
    {
        // A thousand calls of 0.1: binary floating point would not give exactly 100.
        var results = Enumerable.Range(0, 1000).Select(i => Result("r", i, Day1) with { Cost = 0.1m, InputTokens = 1, OutputTokens = 1 }).ToList();
        results.Add(Result("r", 1000, Day1) with { Cost = 0.000000000123456789m });
        await Storage.Results.AppendAsync(results, Ct);

        var row = (await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery(), Ct))).Should().ContainSingle().Subject;

        row.Evaluation.Cost.Should().Be(100.000000000123456789m);
        row.Evaluation.Calls.Should().Be(1001);
    }

    [Fact]
    public virtual async Task Aggregate_ByDay_SplitsAtUtcMidnight()
    {
        await Storage.Results.AppendAsync(
            [Result("r", 0, Day1), Result("r", 1, Day1.AddSeconds(1)), Result("r", 2, Day1.AddSeconds(1).AddHours(5)), Result("q", 0, Day1.AddDays(3))], Ct);

        var rows = await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery { ByDay = true }, Ct));

        rows.Select(r => (r.RunId, r.Day, r.Evaluation.Calls)).Should().BeEquivalentTo(
        [
            ("r", (DateOnly?)new DateOnly(2026, 3, 30), 1L),
            ("r", (DateOnly?)new DateOnly(2026, 3, 31), 2L),
            ("q", (DateOnly?)new DateOnly(2026, 4, 2), 1L),
        ]);
    }

    [Fact]
    public virtual async Task Aggregate_FiltersByProjectModelRunsAndTime()
    {
        await Storage.Runs.TryAddAsync(TestData.Run("a", modelId: "m1") with { ProjectId = "p1" }, Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("b", modelId: "m2") with { ProjectId = "p1" }, Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("c", modelId: "m1") with { ProjectId = "p2" }, Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("d", modelId: "m1"), Ct);
        foreach (var run in (string[])["a", "b", "c", "d"])
        {
            await Storage.Results.AppendAsync([Result(run, 0, Day1), Result(run, 1, Day1.AddSeconds(1)), Result(run, 2, Day1.AddDays(1))], Ct);
        }

        async Task<Dictionary<string, long>> Calls(UsageQuery query) =>
            (await ToListAsync(Storage.Usage.AggregateAsync(query, Ct))).ToDictionary(r => r.RunId, r => r.Evaluation.Calls);

        (await Calls(new UsageQuery { ProjectId = "p1" })).Should().BeEquivalentTo(new Dictionary<string, long> { ["a"] = 3, ["b"] = 3 });
        (await Calls(new UsageQuery { ModelId = "m1" })).Keys.Should().BeEquivalentTo(["a", "c", "d"]);
        (await Calls(new UsageQuery { ProjectId = "p1", ModelId = "m1" })).Keys.Should().BeEquivalentTo(["a"]);
        (await Calls(new UsageQuery { RunIds = ["d", "b", "zz"] })).Keys.Should().BeEquivalentTo(["b", "d"]);
        (await Calls(new UsageQuery { RunIds = [] })).Should().BeEmpty();

        // From is inclusive and To exclusive, to the tick.
        (await Calls(new UsageQuery { RunIds = ["a"], From = Day1.AddSeconds(1) })).Should().BeEquivalentTo(new Dictionary<string, long> { ["a"] = 2 });
        (await Calls(new UsageQuery { RunIds = ["a"], To = Day1.AddSeconds(1) })).Should().BeEquivalentTo(new Dictionary<string, long> { ["a"] = 1 });
        (await Calls(new UsageQuery { RunIds = ["a"], From = Day1.AddTicks(1), To = Day1.AddDays(1) })).Should().BeEquivalentTo(new Dictionary<string, long> { ["a"] = 1 });
        (await Calls(new UsageQuery { ProjectId = "nothing" })).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Aggregate_EmptyRange_IsRejected()
    {
        var act = async () => await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery { From = Day1, To = Day1 }, Ct));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*empty*");
    }

    [Fact]
    public virtual async Task Aggregate_SeesOnlyTheCurrentTenant()
    {
        using (EvalKitTenant.Use("acme"))
        {
            await Storage.Runs.TryAddAsync(TestData.Run("r") with { ProjectId = "p" }, Ct);
            await Storage.Results.AppendAsync(Mixed("r"), Ct);
        }

        using (EvalKitTenant.Use("globex"))
        {
            (await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery(), Ct))).Should().BeEmpty();
            (await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery { ProjectId = "p" }, Ct))).Should().BeEmpty();
            await Storage.Results.AppendAsync([Result("r", 0, Day1) with { Cost = 7m }], Ct);
            (await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery(), Ct))).Should().ContainSingle().Which.Evaluation.Cost.Should().Be(7m);
        }

        using (EvalKitTenant.Use("acme"))
        {
            (await ToListAsync(Storage.Usage.AggregateAsync(new UsageQuery { ProjectId = "p" }, Ct))).Should().ContainSingle().Which.Evaluation.Cost.Should().Be(0.4m);
        }
    }
}
