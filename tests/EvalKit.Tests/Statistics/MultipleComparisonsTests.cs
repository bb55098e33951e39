using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class MultipleComparisonsTests
{
    [Fact]
    public void AllMethods_ReferenceCases_MatchStatsmodels()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("multipletests"))
        {
            var p = HypothesisReference.Data(c, "p");
            Compare("holm", MultipleComparisons.Holm(p));
            Compare("fdr_bh", MultipleComparisons.BenjaminiHochberg(p));
            Compare("bonferroni", MultipleComparisons.Bonferroni(p));
            count++;

            void Compare(string method, double[] actual)
            {
                var expected = c.GetProperty(method).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                actual.Should().HaveCount(expected.Length);
                for (var i = 0; i < expected.Length; i++)
                {
                    HypothesisReference.Check(failures, $"{HypothesisReference.Describe(c)} {method}[{i}]", actual[i], expected[i]);
                }
            }
        }

        count.Should().BeGreaterThan(0);
        failures.Should().BeEmpty();
    }

    [Fact]
    public void Holm_DocumentedExample_MatchesStatsmodels()
    {
        double[] p = [.001, .008, .039, .041, .042, .060, .074, .205];

        var holm = MultipleComparisons.Holm(p);
        var bh = MultipleComparisons.BenjaminiHochberg(p);

        holm.Should().Equal([.008, .056, .234, .234, .234, .234, .234, .234], (a, e) => Math.Abs(a - e) < 1e-12);
        bh.Should().Equal([.008, .032, .0672, .0672, .0672, .08, .074 * 8 / 7, .205], (a, e) => Math.Abs(a - e) < 1e-12);
    }

    [Fact]
    public void Adjustments_EmptyFamily_ReturnEmpty()
    {
        MultipleComparisons.Holm([]).Should().BeEmpty();
        MultipleComparisons.BenjaminiHochberg([]).Should().BeEmpty();
        MultipleComparisons.Bonferroni([]).Should().BeEmpty();
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Adjustments_InvalidPValue_Throw(double bad)
    {
        double[] p = [0.01, bad];

        FluentActions.Invoking(() => MultipleComparisons.Holm(p)).Should().Throw<ArgumentException>().WithParameterName("pValues");
        FluentActions.Invoking(() => MultipleComparisons.BenjaminiHochberg(p)).Should().Throw<ArgumentException>().WithParameterName("pValues");
        FluentActions.Invoking(() => MultipleComparisons.Bonferroni(p)).Should().Throw<ArgumentException>().WithParameterName("pValues");
    }

    [Fact]
    public void Adjustments_Always_AreAtLeastRawAndAtMostOneAndOrderIndependent()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var p = Enumerable.Range(0, rng.Next(1, 30)).Select(_ => Math.Pow(rng.NextDouble(), 3)).ToArray();
            var permutation = p.Select((v, i) => (v, i)).OrderBy(_ => rng.Next()).ToArray();
            var shuffled = permutation.Select(t => t.v).ToArray();
            foreach (var adjust in new Func<double[], double[]>[] { x => MultipleComparisons.Holm(x), x => MultipleComparisons.BenjaminiHochberg(x), x => MultipleComparisons.Bonferroni(x) })
            {
                var adjusted = adjust(p);
                var adjustedShuffled = adjust(shuffled);
                for (var i = 0; i < p.Length; i++)
                {
                    adjusted[i].Should().BeInRange(p[i], 1);
                    adjustedShuffled[Array.FindIndex(permutation, t => t.i == i)].Should().Be(adjusted[i]);
                }
            }
        }
    }
}
