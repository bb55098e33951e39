using EvalKit.Selection;

namespace EvalKit.Tests.Selection;

public sealed class OnlineSelectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SelectionRequest Online = new() { Mode = SelectionMode.Online, Weights = new(1, 0, 0, 0) };

    private static async Task<SelectionFixture> ArmsAsync(OnlineLearningOptions online, params string[] ids)
    {
        var kit = new SelectionFixture(new SelectionOptions { Online = online });
        foreach (var id in ids)
        {
            await kit.AddAsync(id, quality: null); // no offline evidence: uninformative priors
        }

        return kit;
    }

    /// <summary>Runs a seeded Bernoulli bandit; <paramref name="successRate"/> gives each arm's rate at a round. Returns the chosen ids.</summary>
    private static async Task<List<string>> SimulateAsync(SelectionFixture kit, int rounds, Func<int, string, double> successRate, int seed = 7, string? taskClass = null)
    {
        var environment = new Random(seed);
        var request = Online with { TaskClass = taskClass };
        var chosen = new List<string>(rounds);
        for (var round = 0; round < rounds; round++)
        {
            var model = await kit.Engine.SelectAsync(request);
            var success = environment.NextDouble() < successRate(round, model.ModelId);
            kit.Engine.RecordOutcome(new SelectionOutcome { ModelId = model.ModelId, TaskClass = taskClass, Success = success });
            chosen.Add(model.ModelId);
        }

        return chosen;
    }

    private static double Share(IEnumerable<string> chosen, string id) => chosen.Count(c => c == id) / (double)chosen.Count();

    [Fact]
    public async Task ThompsonSampling_ConvergesToTheBestArm()
    {
        var kit = await ArmsAsync(new OnlineLearningOptions { Seed = 1, MinExplorationShare = 0.01 }, "m/a", "m/b", "m/c");
        var rates = new Dictionary<string, double> { ["m/a"] = 0.5, ["m/b"] = 0.6, ["m/c"] = 0.8 };

        var chosen = await SimulateAsync(kit, 3_000, (_, id) => rates[id]);

        Share(chosen.Skip(2_000), "m/c").Should().BeGreaterThan(0.9);
        Share(chosen.Take(100), "m/c").Should().BeLessThan(0.9, "the learner starts without knowing the best arm");
        var (weight, mean) = kit.Engine.OnlinePosterior(null, "m/c");
        mean.Should().BeApproximately(0.8, 0.05);
        weight.Should().BeGreaterThan(500);
    }

    [Fact]
    public async Task MinimumExplorationShare_KeepsEveryFeasibleModelInPlay()
    {
        var floor = await ArmsAsync(new OnlineLearningOptions { Seed = 2, MinExplorationShare = 0.05, DiscountFactor = 1 }, "m/a", "m/b", "m/c");
        var none = await ArmsAsync(new OnlineLearningOptions { Seed = 2, MinExplorationShare = 0, DiscountFactor = 1 }, "m/a", "m/b", "m/c");
        static double Rate(int round, string id) => id == "m/a" ? 0.9 : 0.1;

        var withFloor = await SimulateAsync(floor, 20_000, Rate);
        var withoutFloor = await SimulateAsync(none, 20_000, Rate);

        // The floor gives each of the 3 models 5% in expectation (15% of decisions are uniform); the standard error of a share
        // over 20,000 decisions is 0.0015, so 0.04 is more than six standard errors below it.
        Share(withFloor, "m/b").Should().BeGreaterThan(0.04);
        Share(withFloor, "m/c").Should().BeGreaterThan(0.04);
        Share(withoutFloor, "m/b").Should().BeLessThan(0.01);
        Share(withoutFloor, "m/c").Should().BeLessThan(0.01);
    }

    [Fact]
    public async Task Discounting_LetsTheLearnerAdaptAfterAChange()
    {
        const int Change = 10_000;
        static double Rate(int round, string id) => (round < Change, id) switch
        {
            (true, "m/a") => 0.8,
            (true, _) => 0.4,
            (false, "m/a") => 0.3,
            _ => 0.8,
        };

        var discounted = await ArmsAsync(new OnlineLearningOptions { Seed = 3, DiscountFactor = 0.99 }, "m/a", "m/b");
        var undiscounted = await ArmsAsync(new OnlineLearningOptions { Seed = 3, DiscountFactor = 1 }, "m/a", "m/b");

        var adaptive = await SimulateAsync(discounted, Change + 1_000, Rate);
        var stubborn = await SimulateAsync(undiscounted, Change + 1_000, Rate);

        var after = Share(adaptive.Skip(Change), "m/b");
        var afterWithoutDiscount = Share(stubborn.Skip(Change), "m/b");
        Share(adaptive.Skip(Change - 1_000).Take(1_000), "m/a").Should().BeGreaterThan(0.8, "before the change m/a is best");
        after.Should().BeGreaterThan(0.7);
        afterWithoutDiscount.Should().BeLessThan(0.4, "10,000 old outcomes outweigh the new ones without discounting");
    }

    [Fact]
    public async Task TaskClasses_LearnSeparately()
    {
        var kit = await ArmsAsync(new OnlineLearningOptions { Seed = 4 }, "m/a", "m/b");

        var easy = await SimulateAsync(kit, 1_500, (_, id) => id == "m/a" ? 0.9 : 0.5, seed: 5, taskClass: "easy");
        var hard = await SimulateAsync(kit, 1_500, (_, id) => id == "m/b" ? 0.9 : 0.5, seed: 6, taskClass: "hard");

        Share(easy.Skip(1_000), "m/a").Should().BeGreaterThan(0.9);
        Share(hard.Skip(1_000), "m/b").Should().BeGreaterThan(0.9);
    }

    [Fact]
    public async Task NormalRewardModel_LearnsFromContinuousQuality()
    {
        var kit = await ArmsAsync(new OnlineLearningOptions { Seed = 8, RewardModel = OnlineRewardModel.Normal }, "m/a", "m/b");
        var noise = new Random(9);
        var chosen = new List<string>();

        for (var round = 0; round < 2_000; round++)
        {
            var model = await kit.Engine.SelectAsync(Online, cancellationToken: Ct);
            var quality = Math.Clamp((model.ModelId == "m/b" ? 0.7 : 0.55) + ((noise.NextDouble() - 0.5) * 0.4), 0, 1);
            kit.Engine.RecordOutcome(new SelectionOutcome { ModelId = model.ModelId, Success = true, Quality = quality });
            chosen.Add(model.ModelId);
        }

        Share(chosen.Skip(1_000), "m/b").Should().BeGreaterThan(0.9);
    }

    [Fact]
    public async Task OfflineQuality_IsThePrior()
    {
        var kit = new SelectionFixture(new SelectionOptions { Online = new OnlineLearningOptions { Seed = 10, PriorStrength = 200, MinExplorationShare = 0 } });
        await kit.AddAsync("m/good", quality: 0.9);
        await kit.AddAsync("m/poor", quality: 0.5);
        var chosen = new List<string>();

        for (var i = 0; i < 500; i++)
        {
            chosen.Add((await kit.Engine.SelectAsync(Online, cancellationToken: Ct)).ModelId);
        }

        Share(chosen, "m/good").Should().BeGreaterThan(0.99);
    }

    [Fact]
    public async Task SameSeed_SameDecisions()
    {
        var first = await ArmsAsync(new OnlineLearningOptions { Seed = 11 }, "m/a", "m/b", "m/c");
        var second = await ArmsAsync(new OnlineLearningOptions { Seed = 11 }, "m/a", "m/b", "m/c");
        var other = await ArmsAsync(new OnlineLearningOptions { Seed = 12 }, "m/a", "m/b", "m/c");
        static double Rate(int round, string id) => id == "m/b" ? 0.7 : 0.6;

        var a = await SimulateAsync(first, 300, Rate);
        var b = await SimulateAsync(second, 300, Rate);
        var c = await SimulateAsync(other, 300, Rate);

        a.Should().Equal(b);
        a.Should().NotEqual(c);
    }

    [Fact]
    public async Task RankAsync_InOnlineMode_PutsTheSampleFirstAndKeepsTheRestInRankOrder()
    {
        var kit = await ArmsAsync(new OnlineLearningOptions { Seed = 13, MinExplorationShare = 1 }, "m/a", "m/b", "m/c");
        var firsts = new HashSet<string>();

        for (var i = 0; i < 60; i++)
        {
            var ranked = await kit.Engine.RankAsync(Online, 3, cancellationToken: Ct);
            ranked.Should().HaveCount(3);
            ranked.Select(r => r.ModelId).Should().OnlyHaveUniqueItems();
            ranked.Skip(1).Select(r => r.Rank).Should().BeInAscendingOrder();
            firsts.Add(ranked[0].ModelId);
        }

        firsts.Should().HaveCount(3, "with an exploration share of 1 every model comes first sometimes");
    }

    [Fact]
    public void RecordOutcome_RejectsQualityOutsideTheUnitInterval()
    {
        var kit = new SelectionFixture();

        var act = () => kit.Engine.RecordOutcome(new SelectionOutcome { ModelId = "m/a", Success = true, Quality = 1.5 });

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "outcome.Quality");
    }
}
