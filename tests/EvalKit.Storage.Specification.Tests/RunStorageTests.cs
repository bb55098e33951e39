using EvalKit.Evaluation;
using EvalKit.Statistics;

namespace EvalKit.Storage.Specification.Tests;

public abstract class RunStorageTests : StorageTestBase
{
    [Fact]
    public virtual async Task TryAdd_ThenGet_RoundTrips()
    {
        var run = TestData.Run("r1");

        (await Storage.Runs.TryAddAsync(run, Ct)).Should().BeTrue();
        (await Storage.Runs.TryAddAsync(run with { ModelId = "other" }, Ct)).Should().BeFalse();

        (await Storage.Runs.GetAsync("r1", Ct)).Should().Be(run);
        (await Storage.Runs.GetAsync("r2", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task Update_WithSummary_RoundTripsTheSummary()
    {
        var run = TestData.Run("r1");
        await Storage.Runs.TryAddAsync(run, Ct);
        var summary = new EvaluationSummary
        {
            Metrics = new Dictionary<string, MetricSummary>
            {
                ["exact_match"] = new() { Name = "exact_match", Mean = 0.75, StandardDeviation = 0.44, StandardError = 0.1, ConfidenceInterval = new Interval(0.55, 0.95), N = 20, Clusters = 4 },
            },
            Latency = new LatencySummary(20, TimeSpan.FromMilliseconds(12), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(40)),
            Total = 20, Succeeded = 19, Failed = 1, Retries = 3, RetryRate = 0.1, InputTokens = 100, OutputTokens = null, TotalCost = 0.0001m,
            UnknownCostCount = 2, Duration = TimeSpan.FromSeconds(2), Throughput = 10,
        };
        var completed = run with { Status = RunStatus.Completed, Summary = summary, CompletedAt = TestData.Epoch.AddMinutes(1), Elapsed = TimeSpan.FromSeconds(2) };

        await Storage.Runs.UpdateAsync(completed, Ct);

        var stored = await Storage.Runs.GetAsync("r1", Ct);
        stored.Should().Be(completed);
        stored!.Summary.Should().BeEquivalentTo(summary);
    }

    [Fact]
    public virtual async Task Update_MissingRun_ThrowsNotFound()
    {
        var act = async () => await Storage.Runs.UpdateAsync(TestData.Run("ghost"), Ct);

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Id.Should().Be("ghost");
    }

    [Fact]
    public virtual async Task List_FiltersByModelAndDataset_NewestFirst()
    {
        await Storage.Runs.TryAddAsync(TestData.Run("old", "m1", "d1", TestData.Epoch), Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("new", "m1", "d2", TestData.Epoch.AddDays(1)), Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("other", "m2", "d1", TestData.Epoch.AddDays(2)), Ct);

        (await ToListAsync(Storage.Runs.ListAsync(cancellationToken: Ct))).Select(r => r.Id).Should().Equal("other", "new", "old");
        (await ToListAsync(Storage.Runs.ListAsync("m1", null, Ct))).Select(r => r.Id).Should().Equal("new", "old");
        (await ToListAsync(Storage.Runs.ListAsync(null, "d1", Ct))).Select(r => r.Id).Should().Equal("other", "old");
        (await ToListAsync(Storage.Runs.ListAsync("m1", "d1", Ct))).Select(r => r.Id).Should().Equal("old");
    }

    [Fact]
    public async Task TryUpdate_ChangesTheRunOnlyWhileItHasTheExpectedStatus()
    {
        var running = TestData.Run("r") with { Status = Evaluation.RunStatus.Running };
        await Storage.Runs.TryAddAsync(running, Ct);

        (await Storage.Runs.TryUpdateAsync(running with { Status = Evaluation.RunStatus.Completed, Error = "first" }, Evaluation.RunStatus.Running, Ct)).Should().BeTrue();
        (await Storage.Runs.TryUpdateAsync(running with { Status = Evaluation.RunStatus.Cancelled, Error = "second" }, Evaluation.RunStatus.Running, Ct)).Should().BeFalse();

        var stored = await Storage.Runs.GetAsync("r", Ct);
        stored!.Status.Should().Be(Evaluation.RunStatus.Completed);
        stored.Error.Should().Be("first");
        await FluentActions.Awaiting(async () => await Storage.Runs.TryUpdateAsync(TestData.Run("missing"), Evaluation.RunStatus.Running, Ct))
            .Should().ThrowAsync<NotFoundException>();
    }
}
