using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class CorrelationTests
{
    [Fact]
    public void Pearson_ReferenceCases_MatchScipy() => CheckSection("pearson", (x, y, alt) => Correlation.Pearson(x, y, alt));

    [Fact]
    public void Spearman_ReferenceCases_MatchScipy() => CheckSection("spearman", (x, y, alt) => Correlation.Spearman(x, y, alt));

    [Fact]
    public void Pearson_TwoPoints_ReturnsSignAndPValueOne()
    {
        var result = Correlation.Pearson([1.0, 2.0], [5.0, 3.0]);

        result.Coefficient.Should().Be(-1);
        result.PValue.Should().Be(1);
    }

    [Fact]
    public void Spearman_PerfectMonotone_ReturnsOneAndZeroPValue()
    {
        var result = Correlation.Spearman([1.0, 2, 3, 4, 5], [2.0, 4, 8, 16, 32]);

        result.Coefficient.Should().Be(1);
        result.PValue.Should().Be(0);
    }

    [Fact]
    public void Pearson_SwappedVariables_GiveSameResult()
    {
        double[] x = [1.2, 2.3, 2.9, 4.1, 5.5, 6.0], y = [2.0, 2.9, 3.1, 5.0, 4.8, 7.1];

        Correlation.Pearson(y, x).Should().Be(Correlation.Pearson(x, y));
        Correlation.Spearman(y, x).Should().Be(Correlation.Spearman(x, y));
    }

    [Fact]
    public void Pearson_NegatedVariable_MirrorsCoefficientAndAlternative()
    {
        double[] x = [1.2, 2.3, 2.9, 4.1, 5.5, 6.0], y = [2.0, 2.9, 3.1, 5.0, 4.8, 7.1];
        var negated = y.Select(v => -v).ToArray();

        var greater = Correlation.Pearson(x, y, Alternative.Greater);
        var less = Correlation.Pearson(x, negated, Alternative.Less);

        less.Coefficient.Should().BeApproximately(-greater.Coefficient, 1e-15);
        less.PValue.Should().BeApproximately(greater.PValue, 1e-15);
    }

    [Fact]
    public void Pearson_ConstantInput_ThrowsNamingParameter()
    {
        var act = () => Correlation.Pearson([1.0, 2, 3], [4.0, 4, 4]);

        act.Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("*all equal*");
    }

    [Fact]
    public void Pearson_MismatchedLengths_Throws()
    {
        var act = () => Correlation.Pearson([1.0, 2, 3], [4.0, 5]);

        act.Should().Throw<ArgumentException>().WithParameterName("y");
    }

    [Fact]
    public void Spearman_TwoPoints_Throws()
    {
        var act = () => Correlation.Spearman([1.0, 2], [4.0, 5]);

        act.Should().Throw<ArgumentException>().WithParameterName("x");
    }

    [Fact]
    public void Pearson_NaN_Throws()
    {
        var act = () => Correlation.Pearson([1.0, double.NaN, 3], [4.0, 5, 6]);

        act.Should().Throw<ArgumentException>().WithParameterName("x").WithMessage("*NaN*");
    }

    private static void CheckSection(string section, Func<double[], double[], Alternative, CorrelationResult> correlate)
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases(section))
        {
            var result = correlate(HypothesisReference.Data(c, "x"), HypothesisReference.Data(c, "y"), HypothesisReference.Alternative(c));
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " r", result.Coefficient, HypothesisReference.Number(c, "coefficient"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            count++;
        }

        count.Should().BeGreaterThan(0);
        failures.Should().BeEmpty();
    }
}
