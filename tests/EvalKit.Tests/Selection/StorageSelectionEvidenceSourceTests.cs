using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Storage;

namespace EvalKit.Tests.Selection;

public sealed class StorageSelectionEvidenceSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ModelDescriptor Model = new() { Id = "m/a" };
    private readonly InMemoryEvalKitStorage _storage = new();

    private static SelectionEvidenceQuery Query(string? benchmark = "bench", string? metric = null, TimeSpan? window = null) => new()
    {
        BenchmarkId = benchmark,
        QualityMetric = metric,
        From = Now - (window ?? TimeSpan.FromDays(1)),
        To = Now.AddTicks(1),
        MinRuntimeSamples = 30,
    };

    [Fact]
    public async Task Quality_ComesFromTheLatestCompletedRunOnTheBenchmark()
    {
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-old", "m/a", Now.AddDays(-3), mean: 0.7);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-latest", "m/a", Now.AddDays(-2), mean: 0.8, n: 250);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-failed", "m/a", Now.AddDays(-1), mean: 0.95, status: RunStatus.Failed);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-other", "m/a", Now.AddHours(-1), benchmarkId: "other", mean: 0.99);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-peer", "m/b", Now.AddHours(-1), mean: 0.1);
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);
        var anyBenchmark = await source.GetEvidenceAsync(Model, Query(benchmark: null), cancellationToken: Ct);

        evidence.RunId.Should().Be("r-latest");
        evidence.Quality!.Value.Should().Be(0.8);
        evidence.Quality.N.Should().Be(250);
        evidence.Quality.Interval!.Value.Contains(0.8).Should().BeTrue();
        evidence.Quality.Origin.Should().Be(EvidenceOrigin.EvaluationRun);
        evidence.Quality.Source.Should().Contain("r-latest");
        anyBenchmark.RunId.Should().Be("r-other");
    }

    [Fact]
    public async Task Quality_WithoutARunOnTheBenchmarkOrWithTheMetric_IsMissingWithAReason()
    {
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-1", "m/a", Now.AddDays(-1), benchmarkId: "other");
        var source = new StorageSelectionEvidenceSource(_storage);

        var noRun = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);
        var noMetric = await source.GetEvidenceAsync(Model, Query(benchmark: "other", metric: "bleu"), cancellationToken: Ct);

        noRun.Quality.Should().BeNull();
        noRun.Notes[SelectionCriterion.Quality].Should().Contain("benchmark 'bench'");
        noMetric.Quality.Should().BeNull();
        noMetric.Notes[SelectionCriterion.Quality].Should().Contain("metric 'bleu'");
    }

    [Fact]
    public async Task Runtime_LatencySuccessAndCost_ComeFromLiveTrafficPointsInTheWindow()
    {
        var latencies = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddHours(-2), 100, latencies, errors: 5, costPerCall: 0.002);
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddDays(-3), 50, [10_000], errors: 50); // outside the window
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);

        var latency = evidence.LatencyP95Milliseconds!;
        latency.Value.Should().BeApproximately(95.05, 1e-9); // numpy linear percentile of 1..100
        latency.N.Should().Be(100);
        latency.Origin.Should().Be(EvidenceOrigin.RuntimeMetrics);
        latency.Interval!.Value.Lower.Should().BeLessThan(latency.Value);
        latency.Interval.Value.Upper.Should().BeGreaterThan(latency.Value).And.BeLessThanOrEqualTo(100);
        evidence.SuccessRate!.Value.Should().BeApproximately(0.95, 1e-12);
        evidence.SuccessRate.N.Should().Be(100);
        evidence.SuccessRate.Interval!.Value.Lower.Should().BeApproximately(0.8882, 1e-3); // Wilson 95/100
        evidence.CostPer1kRequests!.Value.Should().BeApproximately(2, 1e-12);
        evidence.CostPer1kRequests.N.Should().Be(95);
        evidence.CostPerMillionTokens!.Value.Should().BeApproximately(2, 1e-9); // 0.002 per 1,000 tokens
        evidence.Notes.Should().NotContainKey(SelectionCriterion.Latency);
    }

    [Fact]
    public async Task Runtime_WithTooFewSamples_FallsBackToTheRun_AndSaysSo()
    {
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-1", "m/a", Now.AddDays(-1), p95: TimeSpan.FromMilliseconds(1234), total: 300, failed: 30, totalCost: 0.54m);
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddHours(-1), 12, [50], costPerCall: 0.001);
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);

        evidence.LatencyP95Milliseconds!.Value.Should().Be(1234);
        evidence.LatencyP95Milliseconds.Origin.Should().Be(EvidenceOrigin.EvaluationRun);
        evidence.LatencyP95Milliseconds.N.Should().Be(300);
        evidence.Notes[SelectionCriterion.Latency].Should().Be("only 12 runtime latency samples in the window (minimum 30), using run r-1");
        evidence.SuccessRate!.Value.Should().BeApproximately(0.9, 1e-12);
        evidence.SuccessRate.N.Should().Be(300);
        evidence.CostPer1kRequests!.Value.Should().BeApproximately(2, 1e-12); // 0.54 over 270 successful calls
        evidence.CostPer1kRequests.Origin.Should().Be(EvidenceOrigin.EvaluationRun);
    }

    [Fact]
    public async Task ChangesAt_IsWhenTheOldestRuntimeSampleLeavesTheWindow()
    {
        var window = TimeSpan.FromHours(1);
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddMinutes(-40), 30, [20]);   // one call a second from -40 min
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddHours(-3), 5, [9_000]);     // already out of the window
        await _storage.Metrics.AppendAsync([new() { ModelId = "m/a", Name = "custom", Value = 1, Timestamp = Now.AddMinutes(-59) }], Ct);
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(window: window), cancellationToken: Ct);

        // The query's window is [Now - 1 h, Now + 1 tick): the sample at -40 min is in it until Now + 20 min and 1 tick.
        evidence.ChangesAt.Should().Be(Now.AddMinutes(20).AddTicks(1), "a metric the evidence does not use changes nothing");
        evidence.LatencyP95Milliseconds!.N.Should().Be(30);
    }

    [Fact]
    public async Task ChangesAt_IsWhenASampleStampedAheadEntersTheWindow()
    {
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddHours(-2), 30, [20]);
        await StoredEvidence.AddCallsAsync(_storage, "m/a", Now.AddMinutes(3), 1, [500]);     // another process's clock runs ahead
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);

        evidence.ChangesAt.Should().Be(Now.AddMinutes(3));
        evidence.LatencyP95Milliseconds!.N.Should().Be(30, "the point ahead is not evidence yet");
    }

    [Fact]
    public async Task ChangesAt_WithoutRuntimeSamples_IsNull()
    {
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-1", "m/a", Now.AddDays(-1), p95: TimeSpan.FromMilliseconds(100));
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);

        evidence.ChangesAt.Should().BeNull("a run's evidence does not change with time");
        evidence.LatencyP95Milliseconds!.Origin.Should().Be(EvidenceOrigin.EvaluationRun);
    }

    [Fact]
    public async Task NoEvidenceAtAll_LeavesEveryEstimateMissing_WithNotes()
    {
        var source = new StorageSelectionEvidenceSource(_storage);

        var evidence = await source.GetEvidenceAsync(Model, Query(), cancellationToken: Ct);

        evidence.Quality.Should().BeNull();
        evidence.LatencyP95Milliseconds.Should().BeNull();
        evidence.SuccessRate.Should().BeNull();
        evidence.CostPer1kRequests.Should().BeNull();
        evidence.Notes.Keys.Should().BeEquivalentTo([SelectionCriterion.Quality, SelectionCriterion.Latency, SelectionCriterion.Reliability, SelectionCriterion.Cost]);
        evidence.Notes[SelectionCriterion.Latency].Should().StartWith("no runtime latency samples");
    }

    [Fact]
    public void Invalidate_BumpsTheVersion()
    {
        var source = new StorageSelectionEvidenceSource(_storage);
        var before = source.Version;

        var after = source.Invalidate();

        after.Should().Be(before + 1);
        source.Version.Should().Be(after);
    }

    [Fact]
    public async Task Engine_OverTheStore_RanksByStoredRunsAndSeesNewRunsAtOnce()
    {
        var clock = new ManualClock(Now);
        var registry = new ModelRegistry(_storage, clock);
        await registry.RegisterAsync(new ModelDescriptor { Id = "m/a", Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
        await registry.RegisterAsync(new ModelDescriptor { Id = "m/b", Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-a", "m/a", Now.AddDays(-1), mean: 0.9);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-b", "m/b", Now.AddDays(-1), mean: 0.6);
        var source = new StorageSelectionEvidenceSource(_storage);
        var engine = new SelectionEngine(registry, source, clock);
        var request = new SelectionRequest { BenchmarkId = "bench", Weights = new(1, 0, 0, 0) };

        var first = await engine.SelectAsync(request, cancellationToken: Ct);
        var cached = await engine.SelectAsync(request, cancellationToken: Ct);
        // A run record written through the store invalidates decisions at once (the store's change counters notify the source).
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-b2", "m/b", Now.AddHours(-1), mean: 0.95);
        var fresh = await engine.SelectAsync(request, cancellationToken: Ct);

        first.ModelId.Should().Be("m/a");
        cached.Should().BeSameAs(first);
        fresh.ModelId.Should().Be("m/b");
        fresh[SelectionCriterion.Quality].Evidence!.Source.Should().Contain("r-b2");
    }

    [Fact]
    public async Task Engine_OverTheStore_SeesRegistryWritesAtOnce_WithoutInvalidate()
    {
        var clock = new ManualClock(Now);
        var registry = new ModelRegistry(_storage, clock);
        await registry.RegisterAsync(new ModelDescriptor { Id = "m/a", Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-a", "m/a", Now.AddDays(-1), mean: 0.6);
        await StoredEvidence.AddCompletedRunAsync(_storage, "r-b", "m/b", Now.AddDays(-1), mean: 0.9);
        var source = new StorageSelectionEvidenceSource(_storage, registry);
        var engine = new SelectionEngine(registry, source, clock);
        var request = new SelectionRequest { BenchmarkId = "bench", Weights = new(1, 0, 0, 0) };

        var first = await engine.SelectAsync(request, cancellationToken: Ct);
        var version = source.Version;
        await registry.RegisterAsync(new ModelDescriptor { Id = "m/b", Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
        var second = await engine.SelectAsync(request, cancellationToken: Ct);
        await registry.DeprecateAsync("m/b", "withdrawn", Ct);
        await registry.RetireAsync("m/b", cancellationToken: Ct);
        var third = await engine.SelectAsync(request, cancellationToken: Ct);

        first.ModelId.Should().Be("m/a");
        source.Version.Should().BeGreaterThan(version);
        second.ModelId.Should().Be("m/b", "the registration invalidated the cached decision");
        third.ModelId.Should().Be("m/a", "the retirement did too");
    }

    [Fact]
    public async Task CompletedEvaluationRun_InvalidatesCachedDecisions_InAnEvalKitHost()
    {
        await using var kit = EvalKitHost.Create(storage: _storage, clients: new ModelClientMap().Add("m/a", EvalKit.Storage.Specification.Tests.FakeChatClient.Answering(_ => "x")));
        var before = kit.SelectionEvidence.Version;
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "m/a" }, cancellationToken: Ct);
        await kit.Datasets.ImportAsync(new EvalKit.Datasets.Dataset("d", "1", EvalKit.Storage.Specification.Tests.TestData.Cases(3)), Ct);
        var afterRegistration = kit.SelectionEvidence.Version;

        await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "m/a", DatasetId = "d@1" }, cancellationToken: Ct);

        afterRegistration.Should().BeGreaterThan(before);
        kit.SelectionEvidence.Version.Should().BeGreaterThan(afterRegistration, "a completed run brings new quality evidence");
    }
}
