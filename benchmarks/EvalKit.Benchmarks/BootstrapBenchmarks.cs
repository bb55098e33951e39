using BenchmarkDotNet.Attributes;
using EvalKit.Statistics;
using MathNet.Numerics.Random;

namespace EvalKit.Benchmarks;

/// <summary>The paired bootstrap at Chatbot-Arena-like scale: 10,000 resamples of 10,000 paired pass/fail items.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class BootstrapBenchmarks
{
    private const int Items = 10_000;
    private const int Resamples = 10_000;
    private double[] _a = [];
    private double[] _b = [];

    /// <summary>Gets or sets the interval method.</summary>
    [Params(BootstrapMethod.Percentile, BootstrapMethod.Bca)]
    public BootstrapMethod Method { get; set; }

    /// <summary>Creates seeded, correlated pass/fail scores for two models.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Xoshiro256StarStar(20241119);
        _a = new double[Items];
        _b = new double[Items];
        for (var i = 0; i < Items; i++)
        {
            var difficulty = random.NextDouble();
            _a[i] = random.NextDouble() < 0.3 + (0.6 * difficulty) ? 1 : 0;
            _b[i] = random.NextDouble() < 0.25 + (0.6 * difficulty) ? 1 : 0;
        }
    }

    /// <summary>Bootstraps the mean paired difference.</summary>
    /// <returns>The bootstrap result.</returns>
    [Benchmark]
    public BootstrapResult PairedMeanDifference() => Bootstrap.PairedMeanDifference(_a, _b, Resamples, 42, 0.95, Method);
}
