using BenchmarkDotNet.Attributes;
using EvalKit.Statistics;

namespace EvalKit.Benchmarks;

/// <summary>
/// The tests an A/B comparison runs, at n = 10,000 items: the exact ones (McNemar on 10,000 discordant pairs, Fisher on a
/// table of 10,000, Mann-Whitney exact with a small arm against 10,000) and the large-sample ones (paired t, Wilcoxon and
/// Mann-Whitney with the normal approximation). Data are seeded.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class HypothesisTestBenchmarks
{
    private const int N = 10_000;
    private double[] _a = [];
    private double[] _b = [];
    private double[] _small = [];

    /// <summary>Generates the samples.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(10_000);
        _a = new double[N];
        _b = new double[N];
        for (var i = 0; i < N; i++)
        {
            var item = random.NextDouble();
            _a[i] = item + (0.3 * random.NextDouble());
            _b[i] = item + (0.3 * random.NextDouble()) + 0.01;
        }

        _small = [.. _b.Take(8)];
    }

    /// <summary>McNemar exact with 10,000 discordant pairs.</summary>
    /// <returns>The p-value.</returns>
    [Benchmark]
    public double McNemarExact() => HypothesisTests.McNemar(4_900, 5_100, McNemarMethod.Exact).PValue;

    /// <summary>Fisher's exact test on a 2x2 table of 10,000.</summary>
    /// <returns>The p-value.</returns>
    [Benchmark]
    public double FisherExact() => HypothesisTests.FisherExact(2_600, 2_400, 2_450, 2_550).PValue;

    /// <summary>Mann-Whitney exact, 8 items against 10,000.</summary>
    /// <returns>The p-value.</returns>
    [Benchmark]
    public double MannWhitneyExact() => HypothesisTests.MannWhitneyU(_small, _a, method: MannWhitneyMethod.Exact).PValue;

    /// <summary>Mann-Whitney with the normal approximation, 10,000 against 10,000.</summary>
    /// <returns>The p-value.</returns>
    [Benchmark]
    public double MannWhitneyAsymptotic() => HypothesisTests.MannWhitneyU(_a, _b, method: MannWhitneyMethod.Asymptotic).PValue;

    /// <summary>Wilcoxon signed-rank on 10,000 pairs (normal approximation, as scipy above 50 pairs).</summary>
    /// <returns>The p-value.</returns>
    [Benchmark]
    public double Wilcoxon() => HypothesisTests.Wilcoxon(_a, _b).PValue;

    /// <summary>Paired t-test on 10,000 pairs.</summary>
    /// <returns>The p-value.</returns>
    [Benchmark(Baseline = true)]
    public double PairedT() => HypothesisTests.PairedTTest(_a, _b).PValue;
}
