using System.Text.Json;
using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

/// <summary>Reference values from Reference/generate_intervals.py (scipy 1.10.1, statsmodels 0.13.5, numpy 1.24).</summary>
internal static class IntervalsReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        // The test project copies the reference data to Statistics/Reference (or Reference) in its output directory.
        var path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "intervals.json");
        if (!File.Exists(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, "Reference", "intervals.json");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    });

    public static JsonElement Get(string name) => Root.Value.GetProperty(name);

    public static IEnumerable<JsonElement> Cases(string name) => Get(name).EnumerateArray();

    public static double D(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    public static int I(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static double[] Doubles(this JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>Asserts agreement to 1e-9 relative (with a 1e-15 absolute floor for values at zero).</summary>
    public static void ShouldMatch(this double actual, double expected, string because = "", double relative = 1e-9)
        => actual.Should().BeApproximately(expected, Math.Max(Math.Abs(expected) * relative, 1e-15), because);
}

public class ConfidenceIntervalsTests
{
    [Fact]
    public void MeanT_ScipyTInterval_MatchesWithin1e9()
    {
        foreach (var c in IntervalsReference.Cases("meanT"))
        {
            var x = c.Doubles("x");
            var interval = ConfidenceIntervals.MeanT(x, c.D("confidence"));
            var because = $"n={x.Length}, confidence={c.D("confidence")}";
            interval.Lower.ShouldMatch(c.D("lower"), because);
            interval.Upper.ShouldMatch(c.D("upper"), because);
        }
    }

    [Fact]
    public void StudentT_ScipyTInterval_MatchesIncludingSmallAndFractionalDf()
    {
        foreach (var c in IntervalsReference.Cases("studentT"))
        {
            var interval = ConfidenceIntervals.StudentT(c.D("estimate"), c.D("standardError"), c.D("df"), c.D("confidence"));
            var because = $"df={c.D("df")}, confidence={c.D("confidence")}";

            // Expected values are 40-digit mpmath quantiles; scipy 1.10.1's t.ppf (cephes) is off by up to 7e-10
            // relative for fractional df, so the scipy values are only checked where scipy itself is accurate.
            interval.Lower.ShouldMatch(c.D("lowerExact"), because, 1e-12);
            interval.Upper.ShouldMatch(c.D("upperExact"), because, 1e-12);
            if (c.GetProperty("scipyAccurate").GetBoolean())
            {
                interval.Lower.ShouldMatch(c.D("lower"), because);
                interval.Upper.ShouldMatch(c.D("upper"), because);
            }
        }
    }

    [Fact]
    public void Normal_ScipyNormInterval_Matches()
    {
        foreach (var c in IntervalsReference.Cases("normal"))
        {
            var interval = ConfidenceIntervals.Normal(c.D("estimate"), c.D("standardError"), c.D("confidence"));
            interval.Lower.ShouldMatch(c.D("lower"));
            interval.Upper.ShouldMatch(c.D("upper"));
        }
    }

    [Fact]
    public void ProportionIntervals_StatsmodelsProportionConfint_Match()
    {
        foreach (var c in IntervalsReference.Cases("proportions"))
        {
            int k = c.I("successes"), n = c.I("n");
            var confidence = c.D("confidence");
            Check(ConfidenceIntervals.Wilson(k, n, confidence), c.Doubles("wilson"), $"wilson {k}/{n} at {confidence}");
            Check(ConfidenceIntervals.ClopperPearson(k, n, confidence), c.Doubles("clopperPearson"), $"beta {k}/{n} at {confidence}");
            Check(ConfidenceIntervals.Jeffreys(k, n, confidence), c.Doubles("jeffreys"), $"jeffreys {k}/{n} at {confidence}");
            Check(ConfidenceIntervals.Wald(k, n, confidence), c.Doubles("wald"), $"normal {k}/{n} at {confidence}");
        }

        static void Check(Interval actual, double[] expected, string because)
        {
            actual.Lower.ShouldMatch(expected[0], because);
            actual.Upper.ShouldMatch(expected[1], because);
        }
    }

    [Fact]
    public void WilsonAndClopperPearson_DesignDocVector_7of20()
    {
        var wilson = ConfidenceIntervals.Wilson(7, 20);
        wilson.Lower.Should().BeApproximately(0.1811918241, 1e-10);
        wilson.Upper.Should().BeApproximately(0.5671457233, 1e-10);
        var exact = ConfidenceIntervals.ClopperPearson(7, 20);
        exact.Lower.Should().BeApproximately(0.1539092048, 1e-10);
        exact.Upper.Should().BeApproximately(0.5921885345, 1e-10);
    }

    [Fact]
    public void Clustered_CR1WithTCMinus1_MatchesReference()
    {
        foreach (var c in IntervalsReference.Cases("clustered"))
        {
            var interval = ConfidenceIntervals.Clustered(c.Doubles("x"), c.Ints("clusterIds"));
            interval.Lower.ShouldMatch(c.D("ciLower"));
            interval.Upper.ShouldMatch(c.D("ciUpper"));
        }
    }

    [Fact]
    public void Intervals_RandomSamples_ContainTheEstimate()
    {
        var random = new MathNet.Numerics.Random.Xoshiro256StarStar(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = 2 + random.Next(60);
            var x = new double[n];
            for (var i = 0; i < n; i++)
            {
                x[i] = random.NextDouble() * 10;
            }

            var confidence = 0.01 + (0.98 * random.NextDouble());
            ConfidenceIntervals.MeanT(x, confidence).Contains(Descriptive.Mean(x)).Should().BeTrue();
            var k = random.Next(n + 1);
            var p = (double)k / n;
            ConfidenceIntervals.Wilson(k, n, confidence).Contains(p).Should().BeTrue();
            ConfidenceIntervals.ClopperPearson(k, n, confidence).Contains(p).Should().BeTrue();
            ConfidenceIntervals.Wald(k, n, confidence).Contains(p).Should().BeTrue();
        }
    }

    [Fact]
    public void ProportionIntervals_HigherConfidence_AreWider()
    {
        ConfidenceIntervals.Wilson(30, 90, 0.99).Width.Should().BeGreaterThan(ConfidenceIntervals.Wilson(30, 90, 0.95).Width);
        ConfidenceIntervals.ClopperPearson(30, 90, 0.99).Width.Should().BeGreaterThan(ConfidenceIntervals.ClopperPearson(30, 90, 0.95).Width);
    }

    [Fact]
    public void MeanT_ConstantSample_ReturnsPointInterval()
        => ConfidenceIntervals.MeanT([0.5, 0.5, 0.5]).Should().Be(new Interval(0.5, 0.5));

    [Fact]
    public void MeanT_OneValue_ThrowsNamingX()
    {
        var act = () => ConfidenceIntervals.MeanT([1.0]);
        act.Should().Throw<ArgumentException>().WithParameterName("x");
    }

    [Fact]
    public void MeanT_NaN_ThrowsNamingX()
    {
        var act = () => ConfidenceIntervals.MeanT([1.0, double.NaN, 2.0]);
        act.Should().Throw<ArgumentException>().WithParameterName("x");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Intervals_ConfidenceOutsideOpenUnitInterval_Throw(double confidence)
    {
        var mean = () => ConfidenceIntervals.MeanT([1.0, 2.0], confidence);
        mean.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(confidence));
        var wilson = () => ConfidenceIntervals.Wilson(1, 2, confidence);
        wilson.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(confidence));
    }

    [Fact]
    public void Wilson_SuccessesAboveN_ThrowsNamingSuccesses()
    {
        var act = () => ConfidenceIntervals.Wilson(5, 4);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("successes");
        var zero = () => ConfidenceIntervals.ClopperPearson(0, 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("n");
    }
}
