using EvalKit.Registry;
using EvalKit.Selection;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Selection;

public sealed class SelectionEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static double LogScore(double value, double good, double bad) =>
        value <= good ? 1 : value >= bad ? 0 : (Math.Log(bad) - Math.Log(value)) / (Math.Log(bad) - Math.Log(good));

    [Fact]
    public async Task SelectAsync_ScoresOnTheDocumentedFixedScales_AndExplainsEveryCriterion()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/a", quality: 0.9, latencyMs: 1000, successRate: 0.99, costPer1k: 10);
        await kit.AddAsync("m/b", quality: 0.7, latencyMs: 300, successRate: 0.999, costPer1k: 0.5);

        var explanation = await kit.Engine.ExplainAsync(new SelectionRequest(), cancellationToken: Ct);

        // Defaults: weights 0.5/0.2/0.15/0.15; cost log-scale [0.01, 100] per 1k; latency [100 ms, 30 s]; error rate [0.001, 0.2].
        var expectedA = (0.5 * 0.9) + (0.2 * LogScore(10, 0.01, 100)) + (0.15 * LogScore(1000, 100, 30_000)) + (0.15 * LogScore(0.01, 0.001, 0.2));
        var expectedB = (0.5 * 0.7) + (0.2 * LogScore(0.5, 0.01, 100)) + (0.15 * LogScore(300, 100, 30_000)) + (0.15 * LogScore(0.001, 0.001, 0.2));
        var a = explanation.Ranked.Single(r => r.ModelId == "m/a");
        var b = explanation.Ranked.Single(r => r.ModelId == "m/b");
        a.Score.Should().BeApproximately(expectedA, 1e-12);
        b.Score.Should().BeApproximately(expectedB, 1e-12);
        explanation.Winner!.ModelId.Should().Be(expectedA > expectedB ? "m/a" : "m/b");
        explanation.Margin.Should().BeApproximately(Math.Abs(expectedA - expectedB), 1e-12);

        a[SelectionCriterion.Cost].RawValue.Should().Be(10);
        a[SelectionCriterion.Cost].Score.Should().BeApproximately(0.25, 1e-12);
        a[SelectionCriterion.Latency].Weight.Should().BeApproximately(0.15, 1e-12);
        a.Criteria.Sum(c => c.Contribution).Should().BeApproximately(a.Score, 1e-12);
        a.Criteria.Sum(c => c.Weight).Should().BeApproximately(1, 1e-12);
        a[SelectionCriterion.Quality].Evidence!.N.Should().Be(400);
        a[SelectionCriterion.Quality].Evidence!.Interval!.Value.Lower.Should().BeApproximately(0.88, 1e-12);
        a.HasInsufficientEvidence.Should().BeFalse();
        explanation.ToString().Should().Contain("m/a").And.Contain("scale score").And.Contain("n = 400");
    }

    [Fact]
    public async Task SelectAsync_FiltersByCapabilityAndStatus_AndSaysWhy()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/plain", quality: 0.95, capabilities: ["chat"]);
        await kit.AddAsync("m/json", quality: 0.6, capabilities: ["chat", "json"]);
        await kit.AddAsync("m/old", quality: 0.99, capabilities: ["chat", "json"], status: ModelStatus.Deprecated);
        await kit.AddAsync("m/gone", quality: 0.99, capabilities: ["chat", "json"], status: ModelStatus.Retired);
        var request = new SelectionRequest { RequiredCapabilities = ["json", "chat"] };

        var strict = await kit.Engine.ExplainAsync(request, cancellationToken: Ct);
        var lenient = await kit.Engine.ExplainAsync(request with { AllowDeprecated = true }, cancellationToken: Ct);

        strict.Ranked.Select(r => r.ModelId).Should().Equal("m/json");
        strict.Rejected.Select(r => (r.ModelId, r.Reason)).Should().Equal(
            ("m/gone", RejectionReason.Status), ("m/old", RejectionReason.Status), ("m/plain", RejectionReason.MissingCapability));
        strict.Rejected.Single(r => r.ModelId == "m/plain").Message.Should().Contain("'json'");
        strict.Rejected.Single(r => r.ModelId == "m/old").Message.Should().Contain("deprecated");
        lenient.Ranked.Select(r => r.ModelId).Should().Equal("m/old", "m/json");
        lenient.Rejected.Select(r => r.ModelId).Should().Equal("m/gone", "m/plain");
    }

    [Fact]
    public async Task Constraints_TestThePessimisticBound_AndReportByHowMuch()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/slow", latencyMs: 1400); // p95 interval [1260, 1540]
        await kit.AddAsync("m/fast", latencyMs: 400);
        var request = new SelectionRequest { MaxP95Latency = TimeSpan.FromMilliseconds(1500) };

        var conservative = await kit.Engine.ExplainAsync(request, cancellationToken: Ct);
        var point = await kit.Engine.ExplainAsync(request with { ConservativeConstraints = false }, cancellationToken: Ct);

        var slow = conservative.Rejected.Should().ContainSingle().Which;
        slow.ModelId.Should().Be("m/slow");
        var latency = slow.Violations.Should().ContainSingle().Which;
        latency.Constraint.Should().Be(ConstraintKind.MaxP95Latency);
        latency.Limit.Should().Be(1500);
        latency.Actual.Should().BeApproximately(1540, 1e-9);
        latency.Excess.Should().BeApproximately(40, 1e-9);
        latency.Evidence!.N.Should().Be(400);
        latency.Message.Should().Contain("upper 95% bound").And.Contain("by 40 ms");

        conservative.Ranked.Select(r => r.ModelId).Should().Equal("m/fast");
        point.Rejected.Should().BeEmpty("the point estimate 1400 ms is within 1500 ms");
        point.Ranked.Select(r => r.ModelId).Should().BeEquivalentTo(["m/slow", "m/fast"]);
    }

    [Fact]
    public async Task Constraints_QualityLowerBound_RejectsWithTheShortfall()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/fast", latencyMs: 400, quality: 0.5, qualityHalfWidth: 0.1);

        var explanation = await kit.Engine.ExplainAsync(new SelectionRequest { MinQuality = 0.45 }, cancellationToken: Ct);

        var violation = explanation.Rejected.Should().ContainSingle().Which.Violations.Should().ContainSingle().Which;
        violation.Constraint.Should().Be(ConstraintKind.MinQuality);
        violation.Actual.Should().BeApproximately(0.4, 1e-12);
        violation.Excess.Should().BeApproximately(0.05, 1e-12);
        violation.Message.Should().Contain("lower 95% bound").And.Contain("below the minimum");
    }

    [Fact]
    public async Task InsufficientEvidence_IsStated_InScoresAndInConstraints()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/new", quality: null, costPer1k: null);
        await kit.AddAsync("m/known", quality: 0.3);

        var ranked = await kit.Engine.ExplainAsync(new SelectionRequest(), cancellationToken: Ct);
        var constrained = await kit.Engine.ExplainAsync(new SelectionRequest { MinQuality = 0.2 }, cancellationToken: Ct);

        var fresh = ranked.Ranked.Single(r => r.ModelId == "m/new");
        fresh.HasInsufficientEvidence.Should().BeTrue();
        fresh[SelectionCriterion.Quality].InsufficientEvidence.Should().BeTrue();
        fresh[SelectionCriterion.Quality].Score.Should().Be(0);
        fresh[SelectionCriterion.Quality].Note.Should().StartWith("insufficient evidence");
        fresh[SelectionCriterion.Cost].Note.Should().Contain("no pricing");
        ranked.ToString().Should().Contain("insufficient evidence");
        var rejected = constrained.Rejected.Should().ContainSingle().Which;
        rejected.ModelId.Should().Be("m/new");
        rejected.Violations.Should().ContainSingle().Which.InsufficientEvidence.Should().BeTrue();
        rejected.Message.Should().Contain("insufficient evidence to test the quality constraint");
    }

    [Fact]
    public async Task Cost_WithoutMeasurements_ComesFromPricingAndTypicalTokens()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/priced", costPer1k: null, pricing: new ModelPricing { InputPerMillionTokens = 0.15m, OutputPerMillionTokens = 0.60m });

        var explanation = await kit.Engine.ExplainAsync(new SelectionRequest(), cancellationToken: Ct);
        var capped = await kit.Engine.ExplainAsync(new SelectionRequest { MaxCostPerMillionTokens = 0.2m }, cancellationToken: Ct);

        var cost = explanation.Winner![SelectionCriterion.Cost];
        cost.RawValue.Should().BeApproximately(0.3, 1e-12); // (1000 × 0.15 + 250 × 0.60) / 1e6 × 1000
        cost.Evidence!.Origin.Should().Be(EvidenceOrigin.Pricing);
        cost.Evidence.N.Should().Be(0);
        var violation = capped.Rejected.Should().ContainSingle().Which.Violations.Single();
        violation.Constraint.Should().Be(ConstraintKind.MaxCostPerMillionTokens);
        violation.Actual.Should().BeApproximately(0.24, 1e-12); // blended: 300 / 1250 tokens × 1e6 / 1e6
        violation.Excess.Should().BeApproximately(0.04, 1e-12);
    }

    [Fact]
    public async Task ParetoOnly_RejectsDominatedModels_NamingTheDominator()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/best", quality: 0.9, latencyMs: 300, successRate: 0.999, costPer1k: 1);
        await kit.AddAsync("m/worse", quality: 0.8, latencyMs: 600, successRate: 0.99, costPer1k: 2);
        await kit.AddAsync("m/cheap", quality: 0.6, latencyMs: 300, successRate: 0.999, costPer1k: 0.1);

        var all = await kit.Engine.ExplainAsync(new SelectionRequest(), cancellationToken: Ct);
        var front = await kit.Engine.ExplainAsync(new SelectionRequest { ParetoOnly = true }, cancellationToken: Ct);

        all.Ranked.Should().HaveCount(3);
        front.Ranked.Select(r => r.ModelId).Should().BeEquivalentTo(["m/best", "m/cheap"]);
        var dominated = front.Rejected.Should().ContainSingle().Which;
        dominated.Reason.Should().Be(RejectionReason.Dominated);
        dominated.DominatedBy.Should().Be("m/best");
        dominated.Message.Should().Contain("dominated by m/best");
    }

    [Fact]
    public async Task Ties_AreBrokenByOrdinalModelId()
    {
        var kit = new SelectionFixture();
        foreach (var id in new[] { "m/b", "m/a", "M/z", "m/c" })
        {
            await kit.AddAsync(id);
        }

        var ranked = await kit.Engine.RankAsync(new SelectionRequest(), 10, cancellationToken: Ct);

        ranked.Select(r => r.ModelId).Should().Equal("M/z", "m/a", "m/b", "m/c");
        ranked.Select(r => r.Rank).Should().Equal(1, 2, 3, 4);
        (await kit.Engine.RankAsync(new SelectionRequest(), 2, cancellationToken: Ct)).Select(r => r.ModelId).Should().Equal("M/z", "m/a");
    }

    [Fact]
    public async Task WeightedSum_AddingACandidateNeverReordersTheOthers() =>
        (await CountReorderingsAsync(ScoringMethod.WeightedSum)).Should().Be(0);

    [Fact]
    public async Task Topsis_CanReorderWhenACandidateIsAdded_WhichIsWhyItIsNotTheDefault() =>
        (await CountReorderingsAsync(ScoringMethod.Topsis)).Should().BePositive("the same harness must detect rank reversal where it exists");

    /// <summary>Seeded trials: rank 4 random models, add a fifth, and count the trials where the first four changed order or score.</summary>
    private static async Task<int> CountReorderingsAsync(ScoringMethod scoring)
    {
        var random = new Random(20_250_601);
        var reorderings = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var kit = new SelectionFixture();
            for (var i = 0; i < 5; i++)
            {
                await kit.AddAsync(
                    $"m/{i}",
                    quality: random.NextDouble(),
                    latencyMs: Math.Exp(random.NextDouble() * 9),
                    successRate: 0.8 + (0.2 * random.NextDouble()),
                    costPer1k: Math.Exp((random.NextDouble() * 12) - 5));
            }

            var request = new SelectionRequest { Scoring = scoring, Weights = new(random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble()) };
            var before = await kit.Engine.RankAsync(request with { CandidateModelIds = ["m/0", "m/1", "m/2", "m/3"] }, 10);
            var after = await kit.Engine.RankAsync(request with { CandidateModelIds = ["m/0", "m/1", "m/2", "m/3", "m/4"] }, 10);

            var kept = after.Where(r => r.ModelId != "m/4").ToList();
            var sameOrder = kept.Select(r => r.ModelId).SequenceEqual(before.Select(r => r.ModelId));
            var sameScores = kept.Zip(before, (x, y) => Math.Abs(x.Score - y.Score) < 1e-12).All(s => s);
            if (!sameOrder || (scoring == ScoringMethod.WeightedSum && !sameScores))
            {
                reorderings++;
            }
        }

        return reorderings;
    }

    [Fact]
    public async Task Topsis_ComputesClosenessToTheIdeal()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/a", quality: 0.9, costPer1k: 10);
        await kit.AddAsync("m/b", quality: 0.6, costPer1k: 0.1);
        var request = new SelectionRequest { Scoring = ScoringMethod.Topsis, Weights = new(1, 1, 0, 0) };

        var explanation = await kit.Engine.ExplainAsync(request, cancellationToken: Ct);

        // Benefit matrix (fixed-scale scores), vector-normalized per column, weighted 0.5 / 0.5.
        double qa = 0.9, qb = 0.6, ca = LogScore(10, 0.01, 100), cb = LogScore(0.1, 0.01, 100);
        double nq = Math.Sqrt((qa * qa) + (qb * qb)), nc = Math.Sqrt((ca * ca) + (cb * cb));
        double[] va = [0.5 * qa / nq, 0.5 * ca / nc], vb = [0.5 * qb / nq, 0.5 * cb / nc];
        double[] ideal = [Math.Max(va[0], vb[0]), Math.Max(va[1], vb[1])], anti = [Math.Min(va[0], vb[0]), Math.Min(va[1], vb[1])];
        static double Distance(double[] x, double[] y) => Math.Sqrt(((x[0] - y[0]) * (x[0] - y[0])) + ((x[1] - y[1]) * (x[1] - y[1])));
        var closenessA = Distance(va, anti) / (Distance(va, ideal) + Distance(va, anti));
        var closenessB = Distance(vb, anti) / (Distance(vb, ideal) + Distance(vb, anti));
        var a = explanation.Ranked.Single(r => r.ModelId == "m/a");
        var b = explanation.Ranked.Single(r => r.ModelId == "m/b");
        a.Score.Should().BeApproximately(closenessA, 1e-12);
        b.Score.Should().BeApproximately(closenessB, 1e-12);
        a.DistanceToIdeal.Should().BeApproximately(Distance(va, ideal), 1e-12);
        b.DistanceToAntiIdeal.Should().BeApproximately(Distance(vb, anti), 1e-12);
    }

    [Fact]
    public async Task NoEligibleModel_ThrowsWithTheExplanation_AndRankIsEmpty()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/a", latencyMs: 5000);
        var request = new SelectionRequest { MaxP95Latency = TimeSpan.FromSeconds(1), CandidateModelIds = ["m/a", "m/unknown"] };

        var act = async () => await kit.Engine.SelectAsync(request);

        var thrown = (await act.Should().ThrowAsync<NoEligibleModelException>()).Which;
        thrown.Explanation!.Rejected.Select(r => (r.ModelId, r.Reason)).Should().Equal(("m/a", RejectionReason.Constraint), ("m/unknown", RejectionReason.NotRegistered));
        thrown.Message.Should().Contain("p95 latency").And.Contain("m/unknown: is not registered");
        (await kit.Engine.RankAsync(request, 3, cancellationToken: Ct)).Should().BeEmpty();
        await act.Should().ThrowAsync<NoEligibleModelException>("the cached decision fails the same way");
    }

    [Fact]
    public async Task Cache_ServesEqualRequestsFromOneDecision_UntilTheVersionChangesOrItExpires()
    {
        var kit = new SelectionFixture(new SelectionOptions { DecisionTimeToLive = TimeSpan.FromSeconds(30) });
        await kit.AddAsync("m/a");
        await kit.AddAsync("m/b", quality: 0.9);
        var first = await kit.Engine.SelectAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, cancellationToken: Ct);
        var reads = kit.Evidence.Reads;

        var again = await kit.Engine.SelectAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, cancellationToken: Ct);
        var explanation = await kit.Engine.ExplainAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, cancellationToken: Ct);
        var top = await kit.Engine.RankAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, 1, cancellationToken: Ct);

        again.Should().BeSameAs(first);
        explanation.Winner.Should().BeSameAs(first);
        top.Should().BeSameAs(await kit.Engine.RankAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, 1, cancellationToken: Ct));
        kit.Evidence.Reads.Should().Be(reads, "a cached decision reads no evidence");

        kit.Clock.Advance(TimeSpan.FromSeconds(29));
        (await kit.Engine.SelectAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, cancellationToken: Ct)).Should().BeSameAs(first);
        kit.Clock.Advance(TimeSpan.FromSeconds(2));
        (await kit.Engine.SelectAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, cancellationToken: Ct)).Should().NotBeSameAs(first);
        kit.Evidence.Reads.Should().Be(reads + 2, "an expired decision reads the evidence again");

        await kit.AddAsync("m/c", quality: 0.99); // bumps the version
        (await kit.Engine.SelectAsync(new SelectionRequest { RequiredCapabilities = ["chat"] }, cancellationToken: Ct)).ModelId.Should().Be("m/c");
    }

    [Fact]
    public async Task CachedSelect_CompletesSynchronously_WithoutAllocating()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/a");
        await kit.AddAsync("m/b", quality: 0.9);
        var request = new SelectionRequest { RequiredCapabilities = ["chat"], MaxP95Latency = TimeSpan.FromSeconds(2) };
        var equal = request with { };
        await kit.Engine.SelectAsync(request, cancellationToken: Ct);
        MeasureCachedSelects(kit.Engine, equal, 100); // warm up

        var (allCompleted, allocated) = MeasureCachedSelects(kit.Engine, equal, 1_000);

        allCompleted.Should().BeTrue();
        allocated.Should().Be(0);
    }

    private static (bool AllCompleted, long Allocated) MeasureCachedSelects(ISelectionEngine engine, SelectionRequest request, int count)
    {
        var allCompleted = true;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var pending = engine.SelectAsync(request, CancellationToken.None);
            if (pending.IsCompletedSuccessfully)
            {
                _ = pending.Result;
            }
            else
            {
                allCompleted = false;
                _ = pending.AsTask();
            }
        }

        return (allCompleted, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Constructor_RejectsInvalidOptions()
    {
        var kit = new SelectionFixture();
        var options = new SelectionOptions { MinRuntimeSamples = 0, Scales = { LatencyGood = TimeSpan.FromSeconds(40) } };

        var act = () => new SelectionEngine(kit.Registry, kit.Evidence, kit.Clock, Options.Create(options));

        act.Should().Throw<ArgumentException>().WithMessage("*MinRuntimeSamples*").WithMessage("*LatencyGood*");
    }
}
