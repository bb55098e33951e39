using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class BootstrapTests
{
    private static (double[] A, double[] B) Sample(int n, int seed)
    {
        var random = new MathNet.Numerics.Random.Xoshiro256StarStar(seed);
        var a = new double[n];
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = random.NextDouble() < 0.7 ? 1 : 0;
            b[i] = (0.5 * a[i]) + (random.NextDouble() * random.NextDouble());
        }

        return (a, b);
    }

    private static BootstrapMethod Method(string name) => name switch
    {
        "percentile" => BootstrapMethod.Percentile,
        "BCa" => BootstrapMethod.Bca,
        "basic" => BootstrapMethod.Basic,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public void PairedMeanDifference_FixedResampleIndices_MatchesScipyBootstrap()
    {
        var count = 0;
        foreach (var c in IntervalsReference.Cases("bootstrapFixed"))
        {
            var indices = c.GetProperty("indices").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToList();
            var result = Bootstrap.PairedMeanDifference(c.Doubles("a"), c.Doubles("b"), indices, c.D("confidence"), Method(c.GetProperty("method").GetString()!));
            var because = $"{c.GetProperty("name").GetString()} {c.GetProperty("method").GetString()} {c.D("confidence")}";
            result.Estimate.ShouldMatch(c.D("estimate"), because, 1e-12);
            result.Interval.Lower.ShouldMatch(c.D("lower"), because);
            result.Interval.Upper.ShouldMatch(c.D("upper"), because);
            result.StandardError.ShouldMatch(c.D("standardError"), because);
            result.Resamples.Should().Be(indices.Count);
            count++;
        }

        count.Should().Be(18);
    }

    [Fact]
    public void BootstrapRandom_KnownStreams_MatchIndependentImplementation()
    {
        var reference = IntervalsReference.Get("random");
        var random = BootstrapRandom.ForStream(42, 0);
        foreach (var expected in reference.GetProperty("stream42_0_uint64").EnumerateArray())
        {
            random.NextUInt64().Should().Be(ulong.Parse(expected.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }

        random = BootstrapRandom.ForStream(-7, 3);
        foreach (var expected in reference.Ints("streamMinus7_3_index10"))
        {
            random.NextIndex(10).Should().Be(expected);
        }

        random = BootstrapRandom.ForStream(2024, -1);
        foreach (var expected in reference.Ints("stream2024_m1_index1500000000"))
        {
            random.NextIndex(1_500_000_000).Should().Be(expected);
        }
    }

    [Theory]
    [InlineData(BootstrapMethod.Percentile)]
    [InlineData(BootstrapMethod.Bca)]
    [InlineData(BootstrapMethod.Basic)]
    public void PairedMeanDifference_SameSeed_SameResult(BootstrapMethod method)
    {
        var (a, b) = Sample(300, 1);
        var first = Bootstrap.PairedMeanDifference(a, b, 2000, 7, 0.9, method);
        var second = Bootstrap.PairedMeanDifference(a, b, 2000, 7, 0.9, method);
        second.Should().Be(first);
        var other = Bootstrap.PairedMeanDifference(a, b, 2000, 8, 0.9, method);
        other.Interval.Should().NotBe(first.Interval);
    }

    [Fact]
    public void PairedMeanDifference_ParallelPath_IsDeterministic()
    {
        // 1,000 resamples x 5,000 items crosses the parallel threshold; blocks have their own streams.
        var (a, b) = Sample(5000, 2);
        var first = Bootstrap.PairedMeanDifference(a, b, 1000, 3);
        var second = Bootstrap.PairedMeanDifference(a, b, 1000, 3);
        second.Should().Be(first);
    }

    [Theory]
    [InlineData(BootstrapMethod.Percentile)]
    [InlineData(BootstrapMethod.Bca)]
    [InlineData(BootstrapMethod.Basic)]
    public void PairedMeanDifference_SwappedArms_MirrorsTheInterval(BootstrapMethod method)
    {
        var (a, b) = Sample(150, 3);
        var ab = Bootstrap.PairedMeanDifference(a, b, 3000, 11, 0.95, method);
        var ba = Bootstrap.PairedMeanDifference(b, a, 3000, 11, 0.95, method);
        ba.Estimate.Should().BeApproximately(-ab.Estimate, 1e-12);
        ba.Interval.Lower.Should().BeApproximately(-ab.Interval.Upper, 1e-9);
        ba.Interval.Upper.Should().BeApproximately(-ab.Interval.Lower, 1e-9);
        ba.StandardError.Should().BeApproximately(ab.StandardError, 1e-12);
    }

    [Theory]
    [InlineData(BootstrapMethod.Percentile)]
    [InlineData(BootstrapMethod.Bca)]
    [InlineData(BootstrapMethod.Basic)]
    public void Intervals_SeveralSamples_ContainTheEstimate(BootstrapMethod method)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var (a, b) = Sample(80, 100 + seed);
            var result = Bootstrap.PairedMeanDifference(a, b, 1000, seed, 0.95, method);
            result.Interval.Contains(result.Estimate).Should().BeTrue();
            result.Interval.Lower.Should().BeLessThan(result.Interval.Upper);
        }
    }

    [Fact]
    public void PairedMeanDifference_StandardError_CloseToPairedCltStandardError()
    {
        var (a, b) = Sample(2000, 4);
        var result = Bootstrap.PairedMeanDifference(a, b, 4000, 5, 0.95, BootstrapMethod.Percentile);
        result.StandardError.Should().BeApproximately(StandardErrors.Paired(a, b), 0.05 * StandardErrors.Paired(a, b));
    }

    [Fact]
    public void Mean_EqualsPairedBootstrapAgainstZeros()
    {
        var (a, _) = Sample(120, 6);
        var zeros = new double[a.Length];
        var oneSample = Bootstrap.Mean(a, 999, 21, 0.9);
        var paired = Bootstrap.PairedMeanDifference(a, zeros, 999, 21, 0.9);
        oneSample.Should().Be(paired);
        oneSample.Method.Should().Be(BootstrapMethod.Bca);
        oneSample.Confidence.Should().Be(0.9);
    }

    [Fact]
    public void PairedMeanDifference_IdenticalDifferences_ReturnsPointInterval()
    {
        double[] a = [1, 2, 3, 4];
        double[] b = [0.5, 1.5, 2.5, 3.5];
        var result = Bootstrap.PairedMeanDifference(a, b, 100, 1);
        result.Interval.Should().Be(new Interval(0.5, 0.5));
        result.StandardError.Should().Be(0);
    }

    [Fact]
    public void PairedMeanDifference_MismatchedLengths_ThrowsNamingB()
    {
        var act = () => Bootstrap.PairedMeanDifference([1.0, 2.0, 3.0], [1.0, 2.0], 100, 1);
        act.Should().Throw<ArgumentException>().WithParameterName("b");
    }

    [Fact]
    public void PairedMeanDifference_NaN_ThrowsNamingA()
    {
        var act = () => Bootstrap.PairedMeanDifference([1.0, double.NaN], [1.0, 2.0], 100, 1);
        act.Should().Throw<ArgumentException>().WithParameterName("a");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-5)]
    public void PairedMeanDifference_TooFewResamples_ThrowsNamingResamples(int resamples)
    {
        var act = () => Bootstrap.PairedMeanDifference([1.0, 2.0], [0.0, 2.0], resamples, 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(resamples));
    }

    [Fact]
    public void Mean_ConfidenceOutOfRange_ThrowsNamingConfidence()
    {
        var act = () => Bootstrap.Mean([1.0, 2.0, 3.0], 100, 1, 1.5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidence");
    }
}
