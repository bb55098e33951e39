using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class EffectSizesTests
{
    [Fact]
    public void CohensDHedgesGAndDz_ReferenceCases_MatchFormulas()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("effect_sizes"))
        {
            var a = HypothesisReference.Data(c, "a");
            var b = HypothesisReference.Data(c, "b");
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " d", EffectSizes.CohensD(a, b), HypothesisReference.Number(c, "cohens_d"));
            HypothesisReference.Check(failures, what + " g", EffectSizes.HedgesG(a, b), HypothesisReference.Number(c, "hedges_g"));
            if (c.TryGetProperty("dz", out var dz))
            {
                HypothesisReference.Check(failures, what + " dz", EffectSizes.PairedCohensDz(a, b), HypothesisReference.Number(dz));
            }

            count++;
        }

        count.Should().BeGreaterThan(0);
        failures.Should().BeEmpty();
    }

    [Fact]
    public void RiskDifferenceAndOddsRatio_ReferenceCases_Match()
    {
        var failures = new List<string>();
        foreach (var c in HypothesisReference.Cases("proportions"))
        {
            int sa = c.GetProperty("sa").GetInt32(), na = c.GetProperty("na").GetInt32();
            int sb = c.GetProperty("sb").GetInt32(), nb = c.GetProperty("nb").GetInt32();
            var what = $"{sa}/{na} vs {sb}/{nb}";
            HypothesisReference.Check(failures, what + " rd", EffectSizes.RiskDifference(sa, na, sb, nb), HypothesisReference.Number(c, "risk_difference"));
            HypothesisReference.Check(failures, what + " or", EffectSizes.OddsRatio(sa, na, sb, nb), HypothesisReference.Number(c, "odds_ratio"));
            HypothesisReference.Check(failures, what + " or(haldane)", EffectSizes.OddsRatio(sa, na, sb, nb, haldaneCorrection: true), HypothesisReference.Number(c, "odds_ratio_haldane"));
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void HedgesG_SmallSample_UsesExactGammaCorrection()
    {
        // df = 2: J = Γ(1) / (1 · Γ(1/2)) = 1/sqrt(π).
        double[] a = [1.0, 2.0], b = [2.5, 4.0];

        EffectSizes.HedgesG(a, b).Should().BeApproximately(EffectSizes.CohensD(a, b) / Math.Sqrt(Math.PI), 1e-14);
    }

    [Fact]
    public void CohensD_SwappedArms_NegatesValue()
    {
        double[] a = [0.82, 0.75, 0.91, 0.66], b = [0.78, 0.70, 0.93, 0.60, 0.65];

        EffectSizes.CohensD(b, a).Should().Be(-EffectSizes.CohensD(a, b));
        EffectSizes.HedgesG(b, a).Should().Be(-EffectSizes.HedgesG(a, b));
    }

    [Fact]
    public void CohensD_BothConstant_Throws()
    {
        var act = () => EffectSizes.CohensD([1.0, 1.0], [2.0, 2.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*zero*");
    }

    [Fact]
    public void PairedCohensDz_EqualDifferences_Throws()
    {
        var act = () => EffectSizes.PairedCohensDz([2.0, 3.0, 4.0], [1.0, 2.0, 3.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("b");
    }

    [Fact]
    public void PairedCohensDz_MismatchedLengths_Throws()
    {
        var act = () => EffectSizes.PairedCohensDz([2.0, 3.0, 4.0], [1.0, 2.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("b");
    }

    [Fact]
    public void OddsRatio_ZeroOverZero_ThrowsUnlessCorrected()
    {
        var act = () => EffectSizes.OddsRatio(0, 10, 0, 10);

        act.Should().Throw<ArgumentException>().WithMessage("*0/0*");
        EffectSizes.OddsRatio(0, 10, 0, 10, haldaneCorrection: true).Should().Be(1);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    [InlineData(0, 0)]
    public void RiskDifference_InvalidCounts_Throw(int successes, int n)
    {
        var act = () => EffectSizes.RiskDifference(successes, n, 1, 2);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
