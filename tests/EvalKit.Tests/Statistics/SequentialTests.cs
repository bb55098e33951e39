using EvalKit.Statistics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace EvalKit.Tests.Statistics;

public class SequentialTests
{
    [Fact]
    public void Mixture_LikelihoodRatioPValueAndSequence_MatchReference()
    {
        foreach (var c in IntervalsReference.Cases("msprt"))
        {
            double est = c.D("estimate"), se = c.D("standardError"), tau2 = c.D("mixingVariance"), theta0 = c.D("nullValue");
            Sequential.LogMixtureLikelihoodRatio(est, se, tau2, theta0).ShouldMatch(c.D("logLambda"));
            if (c.GetProperty("lambda").ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                Sequential.MixtureLikelihoodRatio(est, se, tau2, theta0).ShouldMatch(c.D("lambda"));
            }

            Sequential.MixturePValue(est, se, tau2, theta0).ShouldMatch(c.D("pValue"));
            var cs = Sequential.MixtureConfidenceSequence(est, se, tau2, c.D("alpha"));
            cs.Lower.ShouldMatch(c.D("lower"));
            cs.Upper.ShouldMatch(c.D("upper"));
        }
    }

    [Fact]
    public void Mixture_DesignDocVector_Lambda16Point367()
    {
        Sequential.MixtureLikelihoodRatio(0.03, 0.01, 0.02 * 0.02).Should().BeApproximately(16.3672280145, 1e-9);
        Sequential.MixturePValue(0.03, 0.01, 0.02 * 0.02).Should().BeApproximately(0.0610977008, 1e-10);
    }

    [Fact]
    public void MixturePValue_OverwhelmingEvidence_KeepsPrecision()
    {
        // log Λ ≈ 199.5: 1/Λ ≈ 2e-87 is computed as exp(-log Λ), not as 1/exp(log Λ) or 1 - something.
        var p = Sequential.MixturePValue(0.2, 0.01, 0.04);
        p.ShouldMatch(Math.Exp(-Sequential.LogMixtureLikelihoodRatio(0.2, 0.01, 0.04, 0)), relative: 1e-15);
        p.Should().BeGreaterThan(0).And.BeLessThan(1e-80);
    }

    [Fact]
    public void MixingVariance_MixtureSprtRule_MatchesReference()
    {
        foreach (var c in IntervalsReference.Cases("mixingVariance"))
        {
            Sequential.MixingVariance(c.D("alpha"), c.D("variance"), c.I("horizon")).ShouldMatch(c.D("tau2"));
        }
    }

    [Fact]
    public void ConfidenceSequence_GrowthBookFormulas_MatchReference()
    {
        foreach (var c in IntervalsReference.Cases("growthbook"))
        {
            double est = c.D("estimate"), se = c.D("standardError"), alpha = c.D("alpha"), tuning = c.D("tuning");
            var n = c.I("n");
            Sequential.ConfidenceSequenceRho(alpha, tuning).ShouldMatch(c.D("rho"));
            var cs = Sequential.ConfidenceSequence(est, se, n, alpha, tuning);
            cs.Lower.ShouldMatch(c.D("lower"));
            cs.Upper.ShouldMatch(c.D("upper"));
            var greater = Sequential.ConfidenceSequence(est, se, n, alpha, tuning, Alternative.Greater);
            greater.Lower.ShouldMatch(est - c.D("oneSidedHalfWidth"));
            greater.Upper.Should().Be(double.PositiveInfinity);
            var less = Sequential.ConfidenceSequence(est, se, n, alpha, tuning, Alternative.Less);
            less.Upper.ShouldMatch(est + c.D("oneSidedHalfWidth"));
            less.Lower.Should().Be(double.NegativeInfinity);
            Sequential.ConfidenceSequencePValue(est, se, n, alpha, tuning, c.D("nullValue")).ShouldMatch(c.D("pValue"));
        }
    }

    [Fact]
    public void ConfidenceSequence_DesignDocVector_HalfWidth0Point03035()
    {
        Sequential.ConfidenceSequenceRho(0.05, 5000).Should().BeApproximately(0.0398400668, 1e-10);
        Sequential.ConfidenceSequence(0, 0.01, 5000).Upper.Should().BeApproximately(0.0303520899, 1e-10);
    }

    [Fact]
    public void Monitor_ReferenceStream_MatchesRunningPValueAndSequence()
    {
        var reference = IntervalsReference.Get("monitor");
        var differences = reference.Doubles("differences");
        var monitor = new SequentialMonitor(reference.D("mixingVariance"), reference.D("alpha"));
        var looks = reference.GetProperty("looks").EnumerateArray().ToDictionary(l => l.I("n"));
        for (var i = 0; i < differences.Length; i++)
        {
            var look = monitor.Add(differences[i]);
            if (looks.TryGetValue(i + 1, out var expected))
            {
                look.Count.Should().Be(i + 1);
                look.Estimate.ShouldMatch(expected.D("mean"));
                look.PValue.ShouldMatch(expected.D("pValue"));
                look.ConfidenceSequence.Lower.ShouldMatch(expected.D("lower"));
                look.ConfidenceSequence.Upper.ShouldMatch(expected.D("upper"));
                look.RejectNull.Should().Be(expected.D("pValue") <= 0.05);
            }
        }
    }

    [Fact]
    public void Monitor_PValue_NeverIncreasesAndSequenceNeverWidens()
    {
        var random = new Xoshiro256StarStar(5);
        var monitor = new SequentialMonitor(0.1);
        double previousP = 1, previousWidth = double.PositiveInfinity;
        for (var i = 0; i < 500; i++)
        {
            var look = monitor.Add(Normal.Sample(random, 0.05, 1), Normal.Sample(random, 0, 1));
            look.PValue.Should().BeLessThanOrEqualTo(previousP);
            look.ConfidenceSequence.Width.Should().BeLessThanOrEqualTo(previousWidth);
            previousP = look.PValue;
            previousWidth = look.ConfidenceSequence.Width;
        }
    }

    [Fact]
    public void Monitor_BeforeMinimumCount_HasNoEvidence()
    {
        var monitor = new SequentialMonitor(0.1, minimumCount: 5);
        var look = monitor.AddRange([5.0, 5.1, 5.2, 5.3]);
        look.PValue.Should().Be(1);
        look.ConfidenceSequence.Should().Be(new Interval(double.NegativeInfinity, double.PositiveInfinity));
        monitor.Add(5.4).PValue.Should().BeLessThan(1e-3);
    }

    [Fact]
    public void Monitor_AaSimulation_FalsePositiveRateStaysAtAlpha()
    {
        // 2,000 seeded A/A comparisons of n = 200 paired normal scores, checked after every 20 observations.
        const int Simulations = 2000, N = 200, Every = 20;
        const double Alpha = 0.05;
        var tau2 = Sequential.MixingVariance(Alpha, 2.0, N);
        var random = new Xoshiro256StarStar(2024);
        int sequentialRejections = 0, naiveRejections = 0;
        for (var s = 0; s < Simulations; s++)
        {
            var monitor = new SequentialMonitor(tau2, Alpha);
            bool sequential = false, naive = false;
            for (var i = 1; i <= N; i++)
            {
                var look = monitor.Add(Normal.Sample(random, 0, 1), Normal.Sample(random, 0, 1));
                if (i % Every == 0)
                {
                    sequential |= look.PValue <= Alpha;
                    naive |= Math.Abs(look.Estimate / look.StandardError) > 1.959963984540054;
                }
            }

            sequentialRejections += sequential ? 1 : 0;
            naiveRejections += naive ? 1 : 0;
        }

        var rate = (double)sequentialRejections / Simulations;
        var slack = 3 * Math.Sqrt(Alpha * (1 - Alpha) / Simulations);
        rate.Should().BeLessThanOrEqualTo(Alpha + slack);

        // The simulation can see peeking: a fixed-horizon z test checked at the same looks rejects far more often.
        ((double)naiveRejections / Simulations).Should().BeGreaterThan(Alpha + slack);
    }

    [Fact]
    public void Sequential_BadArguments_ThrowNamingThem()
    {
        var se = () => Sequential.MixturePValue(0.1, 0, 0.1);
        se.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardError");
        var tau = () => new SequentialMonitor(0);
        tau.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mixingVariance");
        var alpha = () => Sequential.ConfidenceSequence(0, 0.1, 100, 1.0);
        alpha.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        var n = () => Sequential.ConfidenceSequence(0, 0.1, 0);
        n.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sampleSize");
        var nan = () => new SequentialMonitor(0.1).Add(double.NaN);
        nan.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("difference");
    }
}
