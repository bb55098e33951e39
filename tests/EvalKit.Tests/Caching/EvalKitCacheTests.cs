using EvalKit.Caching;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Selection;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using EvalKit.Tests.Experiments;

namespace EvalKit.Tests.Caching;

/// <summary>
/// EvalKit's cache in one process: each cached kind serves the same answer instance while nothing changed, and a write
/// through the host shows in the very next read, with no time passing.
/// </summary>
public sealed class EvalKitCacheTests
{
    private static readonly DateTimeOffset At = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MetricAggregateQuery Latency(string modelId) => new()
    {
        ModelId = modelId, Name = "latency_ms", From = At.AddHours(-1), To = At.AddHours(1), Period = MetricPeriod.Hour,
    };

    [Fact]
    public async Task GetResultsAsync_CompletedRun_IsServedFromTheCache_UntilTheRunChanges()
    {
        await using var kit = new ExperimentKit();
        var bench = await kit.BenchmarkAsync(cases: 10);
        await kit.AddModelAsync(ExperimentKit.A, ExperimentKit.Correct(i => i % 2 == 0));
        var run = await kit.RunAsync(ExperimentKit.A, bench);

        var first = await kit.Host.Engine.GetResultsAsync(run.Id, Ct);
        var second = await kit.Host.Engine.GetResultsAsync(run.Id, Ct);

        second.Should().BeSameAs(first);
        first.Results.Should().HaveCount(10);

        // Retention purges the results and marks the run (as RetentionService does): the next read shows it.
        await kit.Host.Storage.Retention.DeleteResultsAsync(run.Id, Ct);
        await kit.Host.Storage.Runs.UpdateAsync(run with { ResultsPurgedAt = At }, Ct);
        var purged = await kit.Host.Engine.GetResultsAsync(run.Id, Ct);

        purged.Should().NotBeSameAs(first);
        purged.ResultsPurged.Should().BeTrue();
        purged.Results.Should().BeEmpty();
    }

    [Fact]
    public async Task GetResultsAsync_RunStillGoing_IsNeverKept()
    {
        await using var kit = new ExperimentKit();
        var run = TestData.Run("running") with { Status = RunStatus.Running };
        await kit.Host.Storage.Runs.TryAddAsync(run, Ct);
        await kit.Host.Storage.Results.AppendAsync([TestData.Result("running", 0)], Ct);

        var first = await kit.Host.Engine.GetResultsAsync("running", Ct);
        await kit.Host.Storage.Results.AppendAsync([TestData.Result("running", 1)], Ct); // moves no counter
        var second = await kit.Host.Engine.GetResultsAsync("running", Ct);

        first.Results.Should().HaveCount(1);
        second.Results.Should().HaveCount(2, "the results of a run still going are read from the store every time");
    }

    [Fact]
    public async Task CompareRunsAsync_IsCached_AndADeletedRunShowsAtOnce()
    {
        await using var kit = new ExperimentKit();
        var bench = await kit.BenchmarkAsync(cases: 20);
        await kit.AddModelAsync(ExperimentKit.A, ExperimentKit.Correct(_ => true));
        await kit.AddModelAsync(ExperimentKit.B, ExperimentKit.Correct(i => i % 4 != 0));
        var a = await kit.RunAsync(ExperimentKit.A, bench);
        var b = await kit.RunAsync(ExperimentKit.B, bench);

        var first = await kit.Host.Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct);
        var again = await kit.Host.Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct);
        var otherOptions = await kit.Host.Experiments.CompareRunsAsync([a.Id, b.Id], new RunComparisonOptions { Alpha = 0.01 }, Ct);

        again.Should().BeSameAs(first);
        otherOptions.Should().NotBeSameAs(first, "the options are part of the key");
        otherOptions.Alpha.Should().Be(0.01);

        await kit.Host.Storage.Retention.DeleteRunAsync(b.Id, Ct);
        var act = () => kit.Host.Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct);

        await act.Should().ThrowAsync<NotFoundException>().WithMessage($"*{b.Id}*");
    }

    [Fact]
    public async Task CheckRegressionAsync_IsCached_AndAChangedRunShowsAtOnce()
    {
        await using var kit = new ExperimentKit();
        var bench = await kit.BenchmarkAsync(cases: 20);
        await kit.AddModelAsync(ExperimentKit.A, ExperimentKit.Correct(_ => true));
        await kit.AddModelAsync(ExperimentKit.B, ExperimentKit.Correct(_ => true));
        var baseline = await kit.RunAsync(ExperimentKit.A, bench);
        var candidate = await kit.RunAsync(ExperimentKit.B, bench);
        var gate = new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id };

        var first = await kit.Host.Experiments.CheckRegressionAsync(gate, Ct);
        (await kit.Host.Experiments.CheckRegressionAsync(gate, Ct)).Should().BeSameAs(first);
        first.Passed.Should().BeTrue();

        await kit.Host.Storage.Runs.UpdateAsync(candidate with { Status = RunStatus.Failed }, Ct);
        var act = () => kit.Host.Experiments.CheckRegressionAsync(gate, Ct);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage($"*{candidate.Id}*Failed*");
    }

    [Fact]
    public async Task MetricsQueries_AreCached_AndARecordedPointShowsAtOnce()
    {
        await using var kit = new ExperimentKit();
        var metrics = kit.Host.Metrics;
        await metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At), TestData.Point("m/b", "latency_ms", 30, At)], Ct);
        var comparison = new MetricComparisonRequest { ModelIds = ["m/a", "m/b"], Name = "latency_ms", From = At.AddHours(-1), To = At.AddHours(1) };
        var anomalies = new AnomalyDetectionRequest { ModelId = "m/a", Name = "latency_ms", From = At.AddHours(-1), To = At.AddHours(1) };

        var aggregate = await metrics.AggregateAsync(Latency("m/a"), Ct);
        var compared = await metrics.CompareAsync(comparison, Ct);
        var report = await metrics.DetectAnomaliesAsync(anomalies, Ct);
        (await metrics.AggregateAsync(Latency("m/a"), Ct)).Should().BeSameAs(aggregate);
        (await metrics.CompareAsync(comparison, Ct)).Should().BeSameAs(compared);
        (await metrics.DetectAnomaliesAsync(anomalies, Ct)).Should().BeSameAs(report);
        aggregate.Single().Count.Should().Be(1);

        await metrics.RecordAsync([TestData.Point("m/b", "latency_ms", 50, At)], Ct);
        (await metrics.AggregateAsync(Latency("m/a"), Ct)).Should().BeSameAs(aggregate, "model b's points do not change model a's answers");
        (await metrics.CompareAsync(comparison, Ct)).Should().NotBeSameAs(compared);

        await metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 20, At)], Ct);
        var after = await metrics.AggregateAsync(Latency("m/a"), Ct);
        after.Single().Count.Should().Be(2);
        after.Single().Sum.Should().Be(30);
        (await metrics.DetectAnomaliesAsync(anomalies, Ct)).Should().NotBeSameAs(report);
    }

    [Fact]
    public async Task MetricsQueries_DeletedPointsShowAtOnce()
    {
        await using var kit = new ExperimentKit();
        await kit.Host.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);
        (await kit.Host.Metrics.AggregateAsync(Latency("m/a"), Ct)).Should().ContainSingle();

        await kit.Host.Metrics.DeleteOlderThanAsync(new MetricRetentionRule { MaxAge = TimeSpan.FromDays(1) }, Ct);

        (await kit.Host.Metrics.AggregateAsync(Latency("m/a"), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task SelectAsync_IsCached_AndACompletedRunShowsAtOnce()
    {
        await using var kit = new ExperimentKit();
        var bench = await kit.BenchmarkAsync(cases: 20);
        var improved = false;
        await kit.AddModelAsync(ExperimentKit.A, ExperimentKit.Correct(i => improved || i % 2 == 0));
        await kit.AddModelAsync(ExperimentKit.B, ExperimentKit.Correct(i => i % 10 != 0));
        await kit.RunAsync(ExperimentKit.A, bench);
        await kit.RunAsync(ExperimentKit.B, bench);
        var request = new SelectionRequest { BenchmarkId = bench, Weights = new SelectionWeights(1, 0, 0, 0) };

        var first = await kit.Host.Selection.ExplainAsync(request, Ct);
        (await kit.Host.Selection.ExplainAsync(request, Ct)).Should().BeSameAs(first);
        first.Ranked[0].Model.Id.Should().Be(ExperimentKit.B);

        improved = true;
        await kit.RunAsync(ExperimentKit.A, bench);

        (await kit.Host.Selection.SelectAsync(request, Ct)).Model.Id.Should().Be(ExperimentKit.A, "the new run of A is evidence at once");
    }

    [Fact]
    public async Task RegistryReads_AreServedFromTheSnapshot_AndAWriteShowsAtOnce()
    {
        await using var kit = new ExperimentKit();
        await kit.Host.Registry.RegisterAsync(new ModelDescriptor { Id = "m/a", DisplayName = "A" }, Ct);

        var first = await kit.Host.Registry.GetAsync("m/a", Ct);
        (await kit.Host.Registry.GetAsync("m/a", Ct)).Should().BeSameAs(first);

        await kit.Host.Registry.UpdateAsync("m/a", m => m with { DisplayName = "A2" }, Ct);

        (await kit.Host.Registry.GetAsync("m/a", Ct))!.DisplayName.Should().Be("A2");
    }

    [Fact]
    public async Task Disabled_EveryReadGoesToTheStore()
    {
        var clients = new ModelClientMap();
        await using var host = EvalKitHost.Create(o => { o.Caching.Enabled = false; o.RetryBaseDelay = TimeSpan.Zero; }, clients: clients);
        clients.Add("m/a", ExperimentKit.Correct(_ => true));
        await host.Registry.RegisterAsync(new ModelDescriptor { Id = "m/a" }, Ct);
        var dataset = await host.Datasets.ImportAsync(new EvalKit.Datasets.Dataset("ds", "1", TestData.Cases(5)), Ct);
        var run = await host.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "m/a", DatasetId = dataset.Id }, cancellationToken: Ct);
        await host.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);

        host.Cache.Enabled.Should().BeFalse();
        (await host.Engine.GetResultsAsync(run.Id, Ct)).Should().NotBeSameAs(await host.Engine.GetResultsAsync(run.Id, Ct));
        (await host.Metrics.AggregateAsync(Latency("m/a"), Ct)).Should().NotBeSameAs(await host.Metrics.AggregateAsync(Latency("m/a"), Ct));
        (await host.Registry.GetSnapshotAsync(Ct)).Should().NotBeSameAs(await host.Registry.GetSnapshotAsync(Ct));
        var request = new SelectionRequest { Weights = new SelectionWeights(1, 0, 0, 0) };
        (await host.Selection.ExplainAsync(request, Ct)).Should().NotBeSameAs(await host.Selection.ExplainAsync(request, Ct));
    }

    [Fact]
    public async Task Tenants_NeverShareAnAnswer_EvenForTheSameIds()
    {
        await using var kit = new ExperimentKit();
        IReadOnlyList<MetricBucket> a, b;
        using (EvalKitTenant.Use("tenant-a"))
        {
            await kit.Host.Metrics.RecordAsync([TestData.Point("m/x", "latency_ms", 10, At)], Ct);
            a = await kit.Host.Metrics.AggregateAsync(Latency("m/x"), Ct);
        }

        using (EvalKitTenant.Use("tenant-b"))
        {
            await kit.Host.Metrics.RecordAsync([TestData.Point("m/x", "latency_ms", 99, At), TestData.Point("m/x", "latency_ms", 1, At)], Ct);
            b = await kit.Host.Metrics.AggregateAsync(Latency("m/x"), Ct);
        }

        a.Single().Count.Should().Be(1);
        b.Single().Count.Should().Be(2);
        using (EvalKitTenant.Use("tenant-a"))
        {
            (await kit.Host.Metrics.AggregateAsync(Latency("m/x"), Ct)).Should().BeSameAs(a);
        }
    }

    [Fact]
    public async Task InvalidateAsync_DropsTheTenantsAnswers()
    {
        await using var kit = new ExperimentKit();
        await kit.Host.Metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 10, At)], Ct);
        var first = await kit.Host.Metrics.AggregateAsync(Latency("m/a"), Ct);

        await kit.Host.Cache.InvalidateAsync(Ct);

        var second = await kit.Host.Metrics.AggregateAsync(Latency("m/a"), Ct);
        second.Should().NotBeSameAs(first);
        second.Should().BeEquivalentTo(first);
    }

    [Fact]
    public void Options_AreValidated_WithEveryProblemNamed()
    {
        var options = new EvalKitOptions();
        options.Caching.RunResults = TimeSpan.Zero;
        options.Caching.CheckInterval = TimeSpan.FromSeconds(-1);

        var act = options.Validate;

        act.Should().Throw<ArgumentException>().WithMessage("*Caching*RunResults must be positive*CheckInterval must not be negative*");
        new EvalKitCachingOptions().Should().BeEquivalentTo(new
        {
            Enabled = true,
            RegistryReads = TimeSpan.FromHours(1),
            RunResults = TimeSpan.FromHours(24),
            SelectionDecisions = TimeSpan.FromHours(1),
            MetricsQueries = TimeSpan.FromMinutes(15),
            CheckInterval = TimeSpan.FromSeconds(1),
        });
    }
}
