using EvalKit.Statistics;
using TestResult = EvalKit.Statistics.TestResult;

namespace EvalKit.Tests.Statistics;

public class HypothesisTestsValidationTests
{
    [Fact]
    public void StudentTTest_EmptySample_ThrowsNamingParameter()
    {
        var act = () => HypothesisTests.StudentTTest([], [1.0, 2.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("a");
    }

    [Fact]
    public void StudentTTest_SingleValue_Throws()
    {
        var act = () => HypothesisTests.StudentTTest([1.0, 2.0], [3.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*at least 2*");
    }

    [Fact]
    public void TTests_ZeroVariance_ThrowInsteadOfNaN()
    {
        FluentActions.Invoking(() => HypothesisTests.StudentTTest([1.0, 1.0, 1.0], [2.0, 2.0]))
            .Should().Throw<ArgumentException>().WithMessage("*zero variance*");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([0.1, 0.1, 0.1], [0.1, 0.1]))
            .Should().Throw<ArgumentException>().WithMessage("*zero variance*");
        FluentActions.Invoking(() => HypothesisTests.PairedTTest([1.1, 2.1, 3.1], [1.0, 2.0, 3.0]))
            .Should().Throw<ArgumentException>().WithParameterName("b");
    }

    [Fact]
    public void PairedTTest_MismatchedLengths_Throws()
    {
        var act = () => HypothesisTests.PairedTTest([1.0, 2.0, 3.0], [1.0, 2.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*same length*");
    }

    [Fact]
    public void WelchTTest_NaNOrInfinity_Throws()
    {
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([1.0, double.NaN], [1.0, 2.0]))
            .Should().Throw<ArgumentException>().WithParameterName("a").WithMessage("*NaN*");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([1.0, 2.0], [1.0, double.PositiveInfinity]))
            .Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*infinite*");
    }

    [Fact]
    public void TTests_UndefinedAlternative_ThrowsOutOfRange()
    {
        var act = () => HypothesisTests.StudentTTest([1.0, 2.0], [3.0, 5.0], (Alternative)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alternative");
    }

    [Fact]
    public void MannWhitneyU_OneValueEach_IsDefined()
    {
        var result = HypothesisTests.MannWhitneyU([1.5], [0.5]);

        result.Statistic.Should().Be(1);
        result.PValue.Should().Be(1);
    }

    [Fact]
    public void MannWhitneyU_AllValuesEqualAsymptotic_Throws()
    {
        var act = () => HypothesisTests.MannWhitneyU([2.0, 2.0], [2.0, 2.0, 2.0]);

        act.Should().Throw<ArgumentException>().WithMessage("*variance is zero*");
    }

    [Fact]
    public void MannWhitneyU_EmptySample_Throws()
    {
        var act = () => HypothesisTests.MannWhitneyU([1.0], []);

        act.Should().Throw<ArgumentException>().WithParameterName("b");
    }

    [Fact]
    public void MannWhitneyU_ExactTooLarge_Throws()
    {
        var big = Enumerable.Range(0, 5000).Select(i => (double)i).ToArray();

        var act = () => HypothesisTests.MannWhitneyU(big, big.Select(v => v + 0.5).ToArray(), method: MannWhitneyMethod.Exact);

        act.Should().Throw<ArgumentException>().WithParameterName("method");
    }

    [Theory]
    [InlineData(WilcoxonZeroMethod.Wilcox)]
    [InlineData(WilcoxonZeroMethod.Pratt)]
    public void Wilcoxon_AllZeroDifferences_Throws(WilcoxonZeroMethod zeroMethod)
    {
        var act = () => HypothesisTests.Wilcoxon([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], zeroMethod: zeroMethod);

        act.Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*All differences are zero*");
    }

    [Fact]
    public void Wilcoxon_AllZeroDifferencesZsplit_IsDefinedAsNoEvidence()
    {
        double[] zeros = [0.0, 0.0, 0.0, 0.0];

        var approximate = HypothesisTests.Wilcoxon(zeros, zeroMethod: WilcoxonZeroMethod.Zsplit);
        var exact = HypothesisTests.Wilcoxon(zeros, zeroMethod: WilcoxonZeroMethod.Zsplit, method: WilcoxonMethod.Exact);

        approximate.Statistic.Should().Be(5);
        approximate.PValue.Should().Be(1);
        exact.PValue.Should().Be(1);
    }

    [Fact]
    public void Wilcoxon_OneDifference_IsDefined()
    {
        var result = HypothesisTests.Wilcoxon([2.5], method: WilcoxonMethod.Exact);

        result.Statistic.Should().Be(0);
        result.PValue.Should().Be(1);
        HypothesisTests.Wilcoxon([2.5], Alternative.Greater, method: WilcoxonMethod.Exact).PValue.Should().Be(0.5);
    }

    [Fact]
    public void Wilcoxon_MismatchedOrEmpty_Throws()
    {
        FluentActions.Invoking(() => HypothesisTests.Wilcoxon([1.0, 2.0], [1.0]))
            .Should().Throw<ArgumentException>().WithParameterName("b");
        FluentActions.Invoking(() => HypothesisTests.Wilcoxon(ReadOnlySpan<double>.Empty))
            .Should().Throw<ArgumentException>().WithParameterName("differences");
    }

    [Fact]
    public void ChiSquareIndependence_BadTables_Throw()
    {
        FluentActions.Invoking(() => HypothesisTests.ChiSquareIndependence(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => HypothesisTests.ChiSquareIndependence(new int[0, 2]))
            .Should().Throw<ArgumentException>().WithParameterName("table");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareIndependence(new[,] { { 1, -2 }, { 3, 4 } }))
            .Should().Throw<ArgumentException>().WithParameterName("table").WithMessage("*negative*");
        FluentActions.Invoking(() => HypothesisTests.ChiSquareIndependence(new[,] { { 0, 0 }, { 3, 4 } }))
            .Should().Throw<ArgumentException>().WithParameterName("table").WithMessage("*Row 0*");
    }

    [Fact]
    public void ChiSquareIndependence_SingleRow_ReturnsZeroStatisticAndPValueOne()
    {
        var result = HypothesisTests.ChiSquareIndependence(new[,] { { 5, 7, 9 } });

        result.Should().Be(new TestResult(0, 1, 0));
    }

    [Fact]
    public void FisherExact_NegativeCount_Throws()
    {
        var act = () => HypothesisTests.FisherExact(1, -1, 2, 3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("b");
    }

    [Fact]
    public void FisherExact_ZeroMargin_ReturnsNaNOddsRatioAndPValueOne()
    {
        var result = HypothesisTests.FisherExact(0, 0, 3, 4);

        result.OddsRatio.Should().Be(double.NaN);
        result.PValue.Should().Be(1);
    }

    [Fact]
    public void McNemar_NoDiscordantPairs_ReturnsPValueOne()
    {
        HypothesisTests.McNemar(0, 0).Should().Be(new TestResult(0, 1));
        HypothesisTests.McNemar(0, 0, McNemarMethod.MidP).PValue.Should().Be(1);
        HypothesisTests.McNemar(0, 0, McNemarMethod.ChiSquareCorrected).Should().Be(new TestResult(0, 1, 1));
    }

    [Fact]
    public void McNemar_NegativeCountOrUnknownMethod_Throws()
    {
        FluentActions.Invoking(() => HypothesisTests.McNemar(-1, 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("b");
        FluentActions.Invoking(() => HypothesisTests.McNemar(1, 3, (McNemarMethod)9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("method");
    }

    [Fact]
    public void KnownValues_DesignDocumentVectors_Match()
    {
        HypothesisTests.McNemar(12, 5).PValue.Should().BeApproximately(0.1434631348, 1e-10);
        HypothesisTests.McNemar(12, 5, McNemarMethod.MidP).PValue.Should().BeApproximately(0.0962524414, 1e-10);
        HypothesisTests.McNemar(12, 5, McNemarMethod.ChiSquareCorrected).Statistic.Should().BeApproximately(2.1176470588, 1e-10);
        HypothesisTests.FisherExact(8, 2, 1, 5).Should().Match<FisherExactResult>(r => r.OddsRatio == 20 && Math.Abs(r.PValue - 0.0349650350) < 1e-10);
        HypothesisTests.ChiSquareIndependence(new[,] { { 30, 20 }, { 15, 35 } }).Statistic.Should().BeApproximately(7.9191919192, 1e-10);
        HypothesisTests.MannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]).PValue.Should().BeApproximately(0.1111111111, 1e-10);
        HypothesisTests.Wilcoxon([.04, .05, -.02, .06, .05, .08, -.01, .04, .05, -.01], method: WilcoxonMethod.Approximate)
            .PValue.Should().BeApproximately(0.0278018301, 1e-10);
    }
}
