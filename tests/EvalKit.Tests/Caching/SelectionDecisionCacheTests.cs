using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Statistics;
using EvalKit.Tests.Selection;

namespace EvalKit.Tests.Caching;

/// <summary>
/// Selection decisions through EvalKit's cache, on a clock that moves only when told: kept for the configured lifetime
/// (1 hour) while nothing changes, and made again as soon as time alone changes their evidence (a runtime sample leaving
/// the window, or one stamped ahead entering it), or when their evidence source says so.
/// </summary>
public sealed class SelectionDecisionCacheTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly SelectionRequest ByLatency = new() { Weights = new SelectionWeights(0, 0, 1, 0), RuntimeWindow = TimeSpan.FromMinutes(30) };
    private readonly ManualClock _clock = new(Start);
    private readonly EvalKitHost _host;

    public SelectionDecisionCacheTests()
    {
        _host = EvalKitHost.Create(timeProvider: _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Decision_IsKeptForTheConfiguredHour_WhileNothingChanges()
    {
        await RegisterAsync("m/a", "m/b");
        await StoredEvidence.AddCallsAsync(_host.Storage, "m/a", Start.AddMinutes(-5), 40, [100]);
        _host.Cache.Options.SelectionDecisions.Should().Be(TimeSpan.FromHours(1));
        var request = ByLatency with { RuntimeWindow = TimeSpan.FromDays(1) };

        var first = await _host.Selection.ExplainAsync(request, Ct);
        _clock.Advance(TimeSpan.FromMinutes(59));
        var kept = await _host.Selection.ExplainAsync(request, Ct);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var remade = await _host.Selection.ExplainAsync(request, Ct);

        kept.Should().BeSameAs(first, "the store's counters were checked and had not moved, and the decision is 59 minutes old");
        remade.Should().NotBeSameAs(first);
        remade.ComputedAt.Should().Be(Start.AddMinutes(61));
        remade.Ranked.Select(r => (r.ModelId, r.Score)).Should().Equal(first.Ranked.Select(r => (r.ModelId, r.Score)));
    }

    [Fact]
    public async Task Decision_IsMadeAgain_WhenItsOldestRuntimeSampleLeavesTheWindow()
    {
        await RegisterAsync("m/a", "m/b");
        await StoredEvidence.AddCallsAsync(_host.Storage, "m/b", Start.AddMinutes(-20), 40, [100]);
        var window = ByLatency.RuntimeWindow;

        var first = await _host.Selection.ExplainAsync(ByLatency, Ct);
        first.Winner!.ModelId.Should().Be("m/b", "only B has latency evidence");

        // The first sample, stamped at -20 min, is in the 30-minute window until +10 min (and one tick).
        _clock.Advance(window - TimeSpan.FromMinutes(20));
        (await _host.Selection.ExplainAsync(ByLatency, Ct)).Should().BeSameAs(first);
        _clock.Advance(TimeSpan.FromTicks(1));
        var remade = await _host.Selection.ExplainAsync(ByLatency, Ct);

        remade.Should().NotBeSameAs(first);
        remade.Ranked.Single(r => r.ModelId == "m/b")[SelectionCriterion.Latency].Evidence!.N.Should().Be(39, "one sample left the window");
        first.Ranked.Single(r => r.ModelId == "m/b")[SelectionCriterion.Latency].Evidence!.N.Should().Be(40);
    }

    [Fact]
    public async Task Decision_IsMadeAgain_WhenASampleStampedAheadEntersTheWindow()
    {
        await RegisterAsync("m/a", "m/b");
        await StoredEvidence.AddCallsAsync(_host.Storage, "m/a", Start.AddMinutes(-10), 30, [100]);
        await StoredEvidence.AddCallsAsync(_host.Storage, "m/a", Start.AddMinutes(5), 1, [100_000]);   // another process's clock runs ahead

        var first = await _host.Selection.ExplainAsync(ByLatency, Ct);
        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        (await _host.Selection.ExplainAsync(ByLatency, Ct)).Should().BeSameAs(first);
        _clock.Advance(TimeSpan.FromTicks(1));
        var remade = await _host.Selection.ExplainAsync(ByLatency, Ct);

        first.Ranked.Single(r => r.ModelId == "m/a")[SelectionCriterion.Latency].Evidence!.N.Should().Be(30);
        remade.Ranked.Single(r => r.ModelId == "m/a")[SelectionCriterion.Latency].Evidence!.N.Should().Be(31);
    }

    [Fact]
    public async Task CustomEvidenceSource_DecisionsStayInTheirEngine_AndFollowItsVersion()
    {
        await RegisterAsync("m/a", "m/b");
        var fastA = Evidence(("m/a", 100), ("m/b", 900));
        var fastB = Evidence(("m/a", 900), ("m/b", 100));
        var one = new SelectionEngine(_host.Registry, fastA, _clock, cache: _host.Cache);
        var two = new SelectionEngine(_host.Registry, fastB, _clock, cache: _host.Cache);

        (await one.SelectAsync(ByLatency, Ct)).ModelId.Should().Be("m/a");
        (await two.SelectAsync(ByLatency, Ct)).ModelId.Should().Be("m/b", "a decision from another engine's source is never served");
        _clock.Advance(TimeSpan.FromMinutes(30));
        (await one.SelectAsync(ByLatency, Ct)).ModelId.Should().Be("m/a");
        fastA.Reads.Should().Be(2, "the decision was kept for half an hour: two models read once");

        fastA.Set(Latency("m/a", 5_000));
        fastA.Bump();

        (await one.SelectAsync(ByLatency, Ct)).ModelId.Should().Be("m/b", "the source's new version is seen at once");
        fastA.Reads.Should().Be(4);
    }

    [Fact]
    public async Task CustomEvidenceSource_ChangesAt_BoundsTheDecision()
    {
        await RegisterAsync("m/a", "m/b");
        var source = Evidence(("m/a", 100), ("m/b", 900));
        source.Set(Latency("m/a", 100) with { ChangesAt = Start.AddMinutes(10) });
        var engine = new SelectionEngine(_host.Registry, source, _clock, cache: _host.Cache);

        var first = await engine.ExplainAsync(ByLatency, Ct);
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        (await engine.ExplainAsync(ByLatency, Ct)).Should().BeSameAs(first);
        _clock.Advance(TimeSpan.FromTicks(1));

        (await engine.ExplainAsync(ByLatency, Ct)).Should().NotBeSameAs(first);
        source.Reads.Should().Be(4);
    }

    [Fact]
    public async Task CustomEvidenceSource_AModelWrite_IsSeenAtOnce()
    {
        await RegisterAsync("m/a", "m/b");
        var source = Evidence(("m/a", 100), ("m/b", 900));
        var engine = new SelectionEngine(_host.Registry, source, _clock, cache: _host.Cache);
        (await engine.SelectAsync(ByLatency, Ct)).ModelId.Should().Be("m/a");

        await _host.Registry.UpdateAsync("m/a", m => m with { Status = ModelStatus.Retired }, Ct);

        (await engine.SelectAsync(ByLatency, Ct)).ModelId.Should().Be("m/b", "the source knows nothing of the registry, the engine does");
    }

    [Fact]
    public async Task InvalidateAsync_DropsTheTenantsDecisions()
    {
        await RegisterAsync("m/a", "m/b");
        var first = await _host.Selection.ExplainAsync(ByLatency, Ct);

        await _host.Cache.InvalidateAsync(Ct);

        var second = await _host.Selection.ExplainAsync(ByLatency, Ct);
        second.Should().NotBeSameAs(first, "a write around EvalKit is followed by InvalidateAsync, which every cached answer obeys");
        second.Ranked.Select(r => r.ModelId).Should().Equal(first.Ranked.Select(r => r.ModelId));
    }

    [Fact]
    public async Task StoreWithoutChangeCounters_KeepsDecisionsForTheEnginesOwnTimeToLive()
    {
        await using var host = EvalKitHost.Create(timeProvider: _clock, storage: new NoCounters(new EvalKit.Storage.InMemoryEvalKitStorage()));
        await host.Registry.RegisterAsync(new ModelDescriptor { Id = "m/a" }, Ct);
        await StoredEvidence.AddCallsAsync(host.Storage, "m/a", Start.AddMinutes(-1), 30, [100]);
        var first = await host.Selection.ExplainAsync(ByLatency, Ct);
        await StoredEvidence.AddCallsAsync(host.Storage, "m/a", Start, 30, [5_000]);

        _clock.Advance(new SelectionOptions().DecisionTimeToLive - TimeSpan.FromTicks(1));
        (await host.Selection.ExplainAsync(ByLatency, Ct)).Should().BeSameAs(first, "nothing can say it is stale before its time to live");
        _clock.Advance(TimeSpan.FromTicks(1));
        var second = await host.Selection.ExplainAsync(ByLatency, Ct);

        second.Winner![SelectionCriterion.Latency].Evidence!.N.Should().Be(60, "without change counters the cache's hour does not apply");
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static FixedEvidenceSource Evidence(params (string Model, double LatencyMs)[] models)
    {
        var source = new FixedEvidenceSource();
        foreach (var (model, latency) in models)
        {
            source.Set(Latency(model, latency));
        }

        return source;
    }

    private static ModelEvidence Latency(string model, double ms) => new()
    {
        ModelId = model,
        LatencyP95Milliseconds = new Estimate { Value = ms, Interval = new Interval(ms * 0.9, ms * 1.1), N = 100, Origin = EvidenceOrigin.RuntimeMetrics },
    };

    private async Task RegisterAsync(params string[] ids)
    {
        foreach (var id in ids)
        {
            await _host.Registry.RegisterAsync(new ModelDescriptor { Id = id }, Ct);
        }
    }
}

/// <summary>A real in-memory store that keeps no change counters, as a third-party store may not.</summary>
internal sealed class NoCounters(EvalKit.Storage.IEvalKitStorage inner) : EvalKit.Storage.DelegatingEvalKitStorage(inner)
{
    public override EvalKit.Storage.IChangeCounterStorage ChangeCounters => throw new NotSupportedException("This store keeps no change counters.");
}
