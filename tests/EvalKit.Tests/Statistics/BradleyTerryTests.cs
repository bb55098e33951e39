using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class BradleyTerryTests
{
    private static List<BradleyTerryComparison> Battles(System.Text.Json.JsonElement c)
        => c.GetProperty("battles").EnumerateArray().Select(row =>
        {
            var cells = row.EnumerateArray().Select(v => v.GetString()!).ToArray();
            var outcome = cells[2] switch
            {
                "A" => BradleyTerryOutcome.ModelAWins,
                "B" => BradleyTerryOutcome.ModelBWins,
                _ => BradleyTerryOutcome.Tie,
            };
            return new BradleyTerryComparison(cells[0], cells[1], outcome);
        }).ToList();

    private static System.Text.Json.JsonElement Case(string name)
        => IntervalsReference.Cases("bradleyTerry").Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [InlineData("designDoc")]
    [InlineData("fiveModels")]
    public void Fit_ReferenceBattles_MatchesMaximumLikelihoodByMm(string name)
    {
        var c = Case(name);
        var fit = BradleyTerry.Fit(Battles(c));
        var models = c.GetProperty("models").EnumerateArray().Select(v => v.GetString()!).ToArray();
        var ratings = c.Doubles("ratings");
        var fastChat = c.Doubles("fastchatLbfgs");
        for (var i = 0; i < models.Length; i++)
        {
            fit.Ratings[models[i]].ShouldMatch(ratings[i], models[i]);

            // FastChat's L-BFGS-B stops at gtol 1e-6: its ratings agree to a few thousandths of a point.
            fit.Ratings[models[i]].Should().BeApproximately(fastChat[i], 0.01);
        }

        fit.Ratings.Values.Average().Should().BeApproximately(1000, 1e-9);
        fit.Ranking.Should().HaveCount(models.Length);
    }

    [Fact]
    public void Fit_DesignDocBattlesAnchoredAtA_Gives930And825()
    {
        var fit = BradleyTerry.Fit(Battles(Case("designDoc")), new BradleyTerryOptions { AnchorModel = "A", AnchorRating = 1000 });
        fit.Ratings["A"].Should().Be(1000);
        fit.Ratings["B"].Should().BeApproximately(930.846, 1e-3);
        fit.Ratings["C"].Should().BeApproximately(825.336, 1e-3);
        fit.Ranking.Should().Equal("A", "B", "C");
        fit.Battles["A"].Should().Be(110);
    }

    [Fact]
    public void Fit_SwappedSides_GivesSameRatings()
    {
        var battles = Battles(Case("fiveModels"));
        var swapped = battles.Select(b => new BradleyTerryComparison(b.ModelB, b.ModelA, b.Outcome switch
        {
            BradleyTerryOutcome.ModelAWins => BradleyTerryOutcome.ModelBWins,
            BradleyTerryOutcome.ModelBWins => BradleyTerryOutcome.ModelAWins,
            _ => BradleyTerryOutcome.Tie,
        })).ToList();
        var original = BradleyTerry.Fit(battles);
        var mirrored = BradleyTerry.Fit(swapped);
        foreach (var (model, rating) in original.Ratings)
        {
            mirrored.Ratings[model].Should().BeApproximately(rating, 1e-9);
        }
    }

    [Fact]
    public void Fit_ModelThatNeverLoses_ThrowsUnlessRegularized()
    {
        List<BradleyTerryComparison> battles =
        [
            new("x", "y", BradleyTerryOutcome.ModelAWins),
            new("x", "y", BradleyTerryOutcome.ModelAWins),
            new("y", "z", BradleyTerryOutcome.ModelAWins),
            new("z", "y", BradleyTerryOutcome.ModelAWins),
        ];
        var act = () => BradleyTerry.Fit(battles);
        act.Should().Throw<ArgumentException>().WithParameterName("comparisons");
        var fit = BradleyTerry.Fit(battles, new BradleyTerryOptions { Regularization = 0.1 });
        fit.Ranking[0].Should().Be("x");
        fit.Ratings.Values.Should().OnlyContain(r => double.IsFinite(r));
    }

    [Fact]
    public void Bootstrap_SameSeed_SameLeaderboardAndSensibleRanges()
    {
        var battles = Battles(Case("fiveModels"));
        var first = BradleyTerry.Bootstrap(battles, 300, 17);
        var second = BradleyTerry.Bootstrap(battles, 300, 17);
        first.Entries.Should().Equal(second.Entries);
        first.Entries.Select(e => e.Rating).Should().BeInDescendingOrder();
        foreach (var entry in first.Entries)
        {
            entry.RatingInterval.Contains(entry.Rating).Should().BeTrue();
            entry.RatingInterval.Contains(entry.BootstrapMedian).Should().BeTrue();
            entry.RankLower.Should().BeInRange(1, entry.RankUpper);
            entry.RankUpper.Should().BeLessThanOrEqualTo(5);
            entry.Rank.Should().BeInRange(1, 5);
        }

        first.Entries[0].Model.Should().Be("m1");
        first.Entries[0].Rank.Should().Be(1);
        BradleyTerry.Bootstrap(battles, 300, 18).Entries.Should().NotEqual(first.Entries);
    }

    [Fact]
    public void Fit_BadInput_ThrowsNamingComparisons()
    {
        var self = () => BradleyTerry.Fit([new BradleyTerryComparison("a", "a", BradleyTerryOutcome.Tie)]);
        self.Should().Throw<ArgumentException>().WithParameterName("comparisons");
        var empty = () => BradleyTerry.Fit([]);
        empty.Should().Throw<ArgumentException>().WithParameterName("comparisons");
        var anchor = () => BradleyTerry.Fit([new BradleyTerryComparison("a", "b", BradleyTerryOutcome.Tie)], new BradleyTerryOptions { AnchorModel = "c" });
        anchor.Should().Throw<ArgumentException>().WithParameterName("options");
        var resamples = () => BradleyTerry.Bootstrap([new BradleyTerryComparison("a", "b", BradleyTerryOutcome.Tie)], 1, 1);
        resamples.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("resamples");
    }
}
