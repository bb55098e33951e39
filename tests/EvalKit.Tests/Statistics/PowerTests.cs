using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class PowerTests
{
    private static Alternative Parse(string name) => name switch
    {
        "two-sided" => Alternative.TwoSided,
        "greater" => Alternative.Greater,
        "less" => Alternative.Less,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public void RequiredSampleSizeAndMde_MillerEquation9_MatchReference()
    {
        foreach (var c in IntervalsReference.Cases("power"))
        {
            var alternative = Parse(c.GetProperty("alternative").GetString()!);
            Power.RequiredSampleSize(c.D("delta"), c.D("sd"), c.D("alpha"), c.D("power"), alternative).Should().Be(c.I("n"));
            foreach (var mde in c.GetProperty("mde").EnumerateObject())
            {
                var n = int.Parse(mde.Name, System.Globalization.CultureInfo.InvariantCulture);
                Power.MinimumDetectableEffect(n, c.D("sd"), c.D("alpha"), c.D("power"), alternative).ShouldMatch(mde.Value.GetDouble());
            }

            Power.Achieved(Math.Abs(c.D("delta")) * (alternative == Alternative.Less ? -1 : 1), c.D("sd"), 100, c.D("alpha"), alternative)
                .ShouldMatch(c.D("achieved100"));
        }
    }

    [Fact]
    public void RequiredSampleSize_MillerExample_Is969()
    {
        Power.RequiredSampleSize(0.03, Math.Sqrt(1.0 / 9)).Should().Be(969);
        Power.MinimumDetectableEffect(198, Math.Sqrt(1.0 / 9)).Should().BeApproximately(0.0664, 1e-4);
    }

    [Fact]
    public void MinimumDetectableEffect_AtRequiredSampleSize_IsAtMostTheEffect()
    {
        foreach (var delta in new[] { 0.01, 0.05, 0.2 })
        {
            var n = Power.RequiredSampleSize(delta, 0.4);
            Power.MinimumDetectableEffect(n, 0.4).Should().BeLessThanOrEqualTo(delta);
            Power.MinimumDetectableEffect(n - 1, 0.4).Should().BeGreaterThan(delta);
            Power.Achieved(delta, 0.4, n).Should().BeGreaterThanOrEqualTo(0.8);
        }
    }

    [Fact]
    public void DifferenceVariance_RepeatedSamples_ShrinksWithinTerms()
    {
        Power.DifferenceVariance(0.1, 0.2, 1, 0.3, 1).Should().BeApproximately(0.6, 1e-15);
        Power.DifferenceVariance(0.1, 0.2, 10, 0.3, 5).Should().BeApproximately(0.1 + 0.02 + 0.06, 1e-15);
    }

    [Fact]
    public void RequiredSampleSizePairedProportions_ConnorFormula_MatchesReference()
    {
        foreach (var c in IntervalsReference.Cases("pairedProportions"))
        {
            Power.RequiredSampleSizePairedProportions(c.D("p10"), c.D("p01"), c.D("alpha"), c.D("power")).Should().Be(c.I("n"));
        }
    }

    [Fact]
    public void RequiredSampleSizeProportions_TwoProportionZ_MatchesReference()
    {
        foreach (var c in IntervalsReference.Cases("proportionsPower"))
        {
            Power.RequiredSampleSizeProportions(c.D("p1"), c.D("p2"), c.D("alpha"), c.D("power")).Should().Be(c.I("n"));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void RequiredSampleSize_PowerOutsideOpenUnitInterval_ThrowsNamingPower(double power)
    {
        var act = () => Power.RequiredSampleSize(0.1, 1, 0.05, power);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(power));
    }

    [Fact]
    public void RequiredSampleSize_BadArguments_ThrowNamingThem()
    {
        var effect = () => Power.RequiredSampleSize(0, 1);
        effect.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minimumDetectableEffect");
        var sd = () => Power.RequiredSampleSize(0.1, 0);
        sd.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        var alpha = () => Power.MinimumDetectableEffect(10, 1, 1.0);
        alpha.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        var tiny = () => Power.RequiredSampleSize(1e-9, 1);
        tiny.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minimumDetectableEffect");
        var same = () => Power.RequiredSampleSizePairedProportions(0.1, 0.1);
        same.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("onlyBPasses");
    }
}
