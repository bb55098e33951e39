using System.Diagnostics;
using EvalKit.Statistics;
using TestResult = EvalKit.Statistics.TestResult;

namespace EvalKit.Tests.Statistics;

public class HypothesisTestsPropertyTests
{
    private static readonly Alternative[] Alternatives = [Alternative.TwoSided, Alternative.Less, Alternative.Greater];

    private static double[] Sample(Random rng, int n, double shift, bool integers) =>
        Enumerable.Range(0, n).Select(_ => integers ? rng.Next(0, 4) + shift : Math.Round((rng.NextDouble() * 3) + shift, 3)).ToArray();

    [Fact]
    public void AllTests_RandomInputs_PValuesInUnitInterval()
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 60; trial++)
        {
            var integers = trial % 3 == 0;
            var n = rng.Next(2, 40);
            var a = Sample(rng, n, rng.NextDouble(), integers);
            var b = Sample(rng, trial % 2 == 0 ? n : rng.Next(2, 40), 0, integers);
            if (HypothesisTests.IsConstant(a) && HypothesisTests.IsConstant(b))
            {
                continue;
            }

            foreach (var alternative in Alternatives)
            {
                ShouldBeProbability(HypothesisTests.StudentTTest(a, b, alternative).PValue);
                ShouldBeProbability(HypothesisTests.WelchTTest(a, b, alternative).PValue);
                ShouldBeProbability(HypothesisTests.MannWhitneyU(a, b, alternative).PValue);
                ShouldBeProbability(HypothesisTests.MannWhitneyU(a, b, alternative, MannWhitneyMethod.Exact).PValue);
                if (a.Length == b.Length && a.Zip(b).Any(p => p.First != p.Second))
                {
                    foreach (var zero in new[] { WilcoxonZeroMethod.Wilcox, WilcoxonZeroMethod.Pratt, WilcoxonZeroMethod.Zsplit })
                    {
                        ShouldBeProbability(HypothesisTests.Wilcoxon(a, b, alternative, zero, continuityCorrection: true).PValue);
                        ShouldBeProbability(HypothesisTests.Wilcoxon(a, b, alternative, zero, method: WilcoxonMethod.Exact).PValue);
                    }
                }

                var counts = Enumerable.Range(0, 4).Select(_ => rng.Next(0, 30)).ToArray();
                ShouldBeProbability(HypothesisTests.FisherExact(counts[0], counts[1], counts[2], counts[3], alternative).PValue);
            }

            ShouldBeProbability(HypothesisTests.McNemar(rng.Next(0, 50), rng.Next(0, 50), McNemarMethod.MidP).PValue);
        }
    }

    [Fact]
    public void TTests_SwappedArms_NegateStatisticAndMirrorAlternative()
    {
        double[] a = [0.82, 0.75, 0.91, 0.66, 0.70, 0.88], b = [0.78, 0.70, 0.93, 0.60, 0.65, 0.80];
        foreach (var test in new Func<double[], double[], Alternative, TestResult>[]
                 {
                     (x, y, alt) => HypothesisTests.StudentTTest(x, y, alt),
                     (x, y, alt) => HypothesisTests.WelchTTest(x, y, alt),
                     (x, y, alt) => HypothesisTests.PairedTTest(x, y, alt),
                 })
        {
            var forward = test(a, b, Alternative.TwoSided);
            var backward = test(b, a, Alternative.TwoSided);
            backward.Statistic.Should().BeApproximately(-forward.Statistic, 1e-12);
            backward.PValue.Should().BeApproximately(forward.PValue, 1e-12);
            test(b, a, Alternative.Less).PValue.Should().BeApproximately(test(a, b, Alternative.Greater).PValue, 1e-12);
        }
    }

    [Theory]
    [InlineData(MannWhitneyMethod.Exact)]
    [InlineData(MannWhitneyMethod.Asymptotic)]
    public void MannWhitneyU_SwappedArms_ComplementUAndMirrorAlternative(MannWhitneyMethod method)
    {
        double[] a = [19, 22, 16, 29, 24, 31.5], b = [20, 11, 17, 12, 25];

        var forward = HypothesisTests.MannWhitneyU(a, b, method: method);
        var backward = HypothesisTests.MannWhitneyU(b, a, method: method);

        backward.Statistic.Should().Be((a.Length * b.Length) - forward.Statistic);
        backward.PValue.Should().BeApproximately(forward.PValue, 1e-15);
        HypothesisTests.MannWhitneyU(b, a, Alternative.Less, method).PValue
            .Should().BeApproximately(HypothesisTests.MannWhitneyU(a, b, Alternative.Greater, method).PValue, 1e-15);
    }

    [Theory]
    [InlineData(WilcoxonZeroMethod.Wilcox, WilcoxonMethod.Exact)]
    [InlineData(WilcoxonZeroMethod.Pratt, WilcoxonMethod.Exact)]
    [InlineData(WilcoxonZeroMethod.Zsplit, WilcoxonMethod.Approximate)]
    [InlineData(WilcoxonZeroMethod.Pratt, WilcoxonMethod.Approximate)]
    public void Wilcoxon_SwappedArms_KeepTwoSidedAndMirrorOneSided(WilcoxonZeroMethod zero, WilcoxonMethod method)
    {
        double[] a = [1, 2, 0, -1, 3, 2, 0, 4, -2, 5, 1, 3], b = new double[12];

        var forward = HypothesisTests.Wilcoxon(a, b, Alternative.TwoSided, zero, true, method);
        var backward = HypothesisTests.Wilcoxon(b, a, Alternative.TwoSided, zero, true, method);
        var greater = HypothesisTests.Wilcoxon(a, b, Alternative.Greater, zero, true, method);
        var less = HypothesisTests.Wilcoxon(b, a, Alternative.Less, zero, true, method);

        backward.Statistic.Should().Be(forward.Statistic);
        backward.PValue.Should().BeApproximately(forward.PValue, 1e-15);
        less.PValue.Should().BeApproximately(greater.PValue, 1e-15);
    }

    [Fact]
    public void FisherExact_SwappedRows_InvertOddsRatioAndMirrorAlternative()
    {
        var forward = HypothesisTests.FisherExact(8, 2, 1, 5);
        var swapped = HypothesisTests.FisherExact(1, 5, 8, 2);

        swapped.OddsRatio.Should().BeApproximately(1 / forward.OddsRatio, 1e-15);
        swapped.PValue.Should().BeApproximately(forward.PValue, 1e-15);
        HypothesisTests.FisherExact(1, 5, 8, 2, Alternative.Less).PValue
            .Should().BeApproximately(HypothesisTests.FisherExact(8, 2, 1, 5, Alternative.Greater).PValue, 1e-15);
    }

    [Fact]
    public void McNemar_SwappedDiscordantCounts_GiveSameResult()
    {
        foreach (var method in new[] { McNemarMethod.Exact, McNemarMethod.MidP, McNemarMethod.ChiSquareCorrected })
        {
            HypothesisTests.McNemar(5, 12, method).Should().Be(HypothesisTests.McNemar(12, 5, method));
        }
    }

    [Fact]
    public void ChiSquareIndependence_TransposedTable_GivesSameResult()
    {
        var result = HypothesisTests.ChiSquareIndependence(new[,] { { 12, 5, 9 }, { 7, 14, 3 } });
        var transposed = HypothesisTests.ChiSquareIndependence(new[,] { { 12, 7 }, { 5, 14 }, { 9, 3 } });

        transposed.Statistic.Should().BeApproximately(result.Statistic, 1e-12);
        transposed.PValue.Should().BeApproximately(result.PValue, 1e-15);
        transposed.DegreesOfFreedom.Should().Be(2);
    }

    [Fact]
    public void AllTests_SameInput_SameResult()
    {
        double[] a = [1.5, 2.5, 0.5, 3.5, 2.0, 4.0], b = [1.0, 2.0, 1.0, 2.5, 2.5, 1.0];

        HypothesisTests.StudentTTest(a, b).Should().Be(HypothesisTests.StudentTTest(a, b));
        HypothesisTests.MannWhitneyU(a, b).Should().Be(HypothesisTests.MannWhitneyU(a, b));
        HypothesisTests.Wilcoxon(a, b, zeroMethod: WilcoxonZeroMethod.Zsplit).Should().Be(HypothesisTests.Wilcoxon(a, b, zeroMethod: WilcoxonZeroMethod.Zsplit));
        HypothesisTests.FisherExact(3, 4, 5, 6).Should().Be(HypothesisTests.FisherExact(3, 4, 5, 6));
    }

    [Fact]
    public void RankTests_LargeSamples_RunQuickly()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 10_000).Select(_ => rng.NextDouble() + 0.02).ToArray();
        var b = Enumerable.Range(0, 10_000).Select(_ => rng.NextDouble()).ToArray();
        var watch = Stopwatch.StartNew();

        HypothesisTests.MannWhitneyU(a, b).PValue.Should().BeInRange(0, 1);
        HypothesisTests.Wilcoxon(a, b).PValue.Should().BeInRange(0, 1);
        HypothesisTests.MannWhitneyU(a.AsSpan(0, 8), b, method: MannWhitneyMethod.Exact).PValue.Should().BeInRange(0, 1);
        HypothesisTests.Wilcoxon(a.AsSpan(0, 1000), b.AsSpan(0, 1000), method: WilcoxonMethod.Exact).PValue.Should().BeInRange(0, 1);

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void WilcoxonExact_NoTies_AgreesWithApproximationForModerateN()
    {
        var rng = new Random(5);
        var d = Enumerable.Range(0, 200).Select(_ => rng.NextDouble() - 0.4).ToArray();

        var exact = HypothesisTests.Wilcoxon(d, method: WilcoxonMethod.Exact);
        var approximate = HypothesisTests.Wilcoxon(d, method: WilcoxonMethod.Approximate, continuityCorrection: true);

        exact.Statistic.Should().Be(approximate.Statistic);
        exact.PValue.Should().BeApproximately(approximate.PValue, 0.15 * approximate.PValue);
    }

    private static void ShouldBeProbability(double p) => p.Should().BeInRange(0, 1);
}
