using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// The conformance suite of <see cref="IChangeCounterStorage"/>: which writes move which counters, in every provider, and
/// the in-process <see cref="IChangeCounterStorage.Advanced"/> notification. Caches rely on it to never serve stale answers.
/// </summary>
public abstract class ChangeCounterStorageTests : StorageTestBase
{
    private static readonly ChangeScope RunA = ChangeScope.Run("run-a");
    private static readonly ChangeScope RunB = ChangeScope.Run("run-b");

    private async Task<long[]> ReadAsync(params ChangeScope[] scopes) => [.. await Storage.ChangeCounters.ReadAsync(scopes, Ct)];

    [Fact]
    public virtual async Task Read_NeverAdvanced_IsZero_AndTheEpochIsCreatedOnce()
    {
        var first = await ReadAsync(ChangeScope.Epoch, RunA, ChangeScope.Runs, ChangeScope.ModelMetrics("m"));

        first[1..].Should().Equal(0, 0, 0);
        first[0].Should().NotBe(0, "the epoch is created, at a random value, by the first read");
        (await ReadAsync(ChangeScope.Epoch)).Should().Equal(first[0]);
    }

    [Fact]
    public virtual async Task RunWrites_AdvanceTheRunAndTheRunList_OnlyWhenSomethingWasWritten()
    {
        var before = await ReadAsync(RunA, RunB, ChangeScope.Runs);

        (await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct)).Should().BeTrue();
        var added = await ReadAsync(RunA, RunB, ChangeScope.Runs);
        added[0].Should().NotBe(before[0]);
        added[1].Should().Be(before[1], "another run's counter does not move");
        added[2].Should().NotBe(before[2]);

        (await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct)).Should().BeFalse();
        (await ReadAsync(RunA, RunB, ChangeScope.Runs)).Should().Equal(added, "an ignored insert changes nothing");

        await Storage.Runs.UpdateAsync(TestData.Run("run-a") with { Status = RunStatus.Running }, Ct);
        var updated = await ReadAsync(RunA, RunB, ChangeScope.Runs);
        updated[0].Should().NotBe(added[0]);
        updated[2].Should().NotBe(added[2]);

        (await Storage.Runs.TryUpdateAsync(TestData.Run("run-a") with { Status = RunStatus.Completed }, RunStatus.Pending, Ct)).Should().BeFalse();
        (await ReadAsync(RunA, RunB, ChangeScope.Runs)).Should().Equal(updated, "a refused conditional update changes nothing");

        (await Storage.Runs.TryUpdateAsync(TestData.Run("run-a") with { Status = RunStatus.Completed }, RunStatus.Running, Ct)).Should().BeTrue();
        (await ReadAsync(RunA))[0].Should().NotBe(updated[0]);
    }

    [Fact]
    public virtual async Task AppendingResults_DoesNotMoveTheRun_DeletingThemDoes()
    {
        await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct);
        var before = await ReadAsync(RunA);

        await Storage.Results.AppendAsync([TestData.Result("run-a", 0), TestData.Result("run-a", 1)], Ct);
        (await ReadAsync(RunA)).Should().Equal(before, "caches keep answers about completed runs only, whose results no longer grow");

        (await Storage.Retention.DeleteResultsAsync("run-a", Ct)).Should().Be(2);
        (await ReadAsync(RunA))[0].Should().NotBe(before[0]);
    }

    [Fact]
    public virtual async Task DeletingARun_RemovesItsCounter_AndMovesTheEpochAndTheRunList()
    {
        await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct);
        var before = await ReadAsync(ChangeScope.Epoch, RunA, ChangeScope.Runs);
        before[1].Should().NotBe(0);

        await Storage.Retention.DeleteRunAsync("run-a", Ct);

        var after = await ReadAsync(ChangeScope.Epoch, RunA, ChangeScope.Runs);
        after[0].Should().NotBe(before[0]);
        after[1].Should().Be(0, "a deleted run leaves no counter behind");
        after[2].Should().NotBe(before[2]);
    }

    [Fact]
    public virtual async Task MetricWrites_AdvanceTheirModels_AndDeletesTheEpoch()
    {
        var a = ChangeScope.ModelMetrics("model/a");
        var b = ChangeScope.ModelMetrics("model/b");
        var before = await ReadAsync(ChangeScope.Epoch, a, b);

        await Storage.Metrics.AppendAsync([TestData.Point("model/a", "latency_ms", 12, TestData.Epoch), TestData.Point("model/a", "latency_ms", 14, TestData.Epoch)], Ct);
        var appended = await ReadAsync(ChangeScope.Epoch, a, b);
        appended[1].Should().NotBe(before[1]);
        appended[0].Should().Be(before[0]);
        appended[2].Should().Be(before[2], "model b's points did not change");

        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = TestData.Epoch.AddDays(-1) }, Ct)).Should().Be(0);
        (await ReadAsync(ChangeScope.Epoch, a, b)).Should().Equal(appended, "a delete that deleted nothing changes nothing");

        (await Storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = TestData.Epoch.AddDays(1) }, Ct)).Should().Be(2);
        (await ReadAsync(ChangeScope.Epoch))[0].Should().NotBe(appended[0]);
    }

    [Fact]
    public virtual async Task Counters_AreKeptPerTenant()
    {
        using (EvalKitTenant.Use("tenant-b"))
        {
            await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct);
        }

        (await ReadAsync(RunA, ChangeScope.Runs)).Should().Equal([0, 0], "tenant-b's run moves tenant-b's counters only");
        using (EvalKitTenant.Use("tenant-b"))
        {
            (await ReadAsync(RunA, ChangeScope.Runs)).Should().NotContain(0);
        }
    }

    [Fact]
    public virtual async Task Advanced_IsRaisedAfterEachCommittedWrite_WithTheTenantAndScopes()
    {
        var raised = new List<ChangeCountersAdvancedEventArgs>();
        Storage.ChangeCounters.Advanced += (_, e) => raised.Add(e);

        using (EvalKitTenant.Use("tenant-c"))
        {
            await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct);
            await Storage.Runs.TryAddAsync(TestData.Run("run-a"), Ct);
            await Storage.Metrics.AppendAsync([TestData.Point("model/a", "errors", 1, TestData.Epoch)], Ct);
        }

        raised.Should().HaveCount(2, "the ignored insert raises nothing");
        raised.Should().OnlyContain(e => e.Tenant == "tenant-c");
        raised[0].Scopes.Should().BeEquivalentTo([RunA, ChangeScope.Runs]);
        raised[1].Scopes.Should().Equal(ChangeScope.ModelMetrics("model/a"));
    }
}
