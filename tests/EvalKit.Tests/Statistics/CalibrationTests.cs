using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

/// <summary>
/// A/A simulations: when both arms come from the same distribution, a test at alpha = 0.05 must reject at most about 5%
/// of the time. The bound is alpha plus three binomial standard errors of the simulated rate.
/// </summary>
public sealed class CalibrationTests
{
    private const int Simulations = 2_000;
    private const double Alpha = 0.05;
    private static readonly double Bound = Alpha + (3 * Math.Sqrt(Alpha * (1 - Alpha) / Simulations));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void PairedTests_OnContinuousAaData_RejectAtMostAlpha()
    {
        var random = new Random(20261129);
        int tRejections = 0, wilcoxonRejections = 0;
        var a = new double[40];
        var b = new double[40];
        for (var s = 0; s < Simulations; s++)
        {
            for (var i = 0; i < a.Length; i++)
            {
                // Items differ in difficulty (shared term), arms add their own noise: correlated pairs, as in evals.
                var item = Normal(random);
                a[i] = item + (0.5 * Normal(random));
                b[i] = item + (0.5 * Normal(random));
            }

            tRejections += HypothesisTests.PairedTTest(a, b).PValue < Alpha ? 1 : 0;
            wilcoxonRejections += HypothesisTests.Wilcoxon(a, b).PValue < Alpha ? 1 : 0;
        }

        ((double)tRejections / Simulations).Should().BeLessThanOrEqualTo(Bound);
        ((double)wilcoxonRejections / Simulations).Should().BeLessThanOrEqualTo(Bound);
        // A test that never rejects would pass the bound too: the rates must also be near alpha.
        ((double)tRejections / Simulations).Should().BeGreaterThan(0.02);
    }

    [Fact]
    public void McNemar_OnPassFailAaData_RejectsAtMostAlpha()
    {
        var random = new Random(7);
        int exact = 0, midP = 0, corrected = 0;
        for (var s = 0; s < Simulations; s++)
        {
            int onlyA = 0, onlyB = 0;
            for (var i = 0; i < 150; i++)
            {
                // Each item has its own pass probability, the same for both arms.
                var p = random.NextDouble();
                var passA = random.NextDouble() < p;
                var passB = random.NextDouble() < p;
                onlyA += passA && !passB ? 1 : 0;
                onlyB += passB && !passA ? 1 : 0;
            }

            exact += HypothesisTests.McNemar(onlyA, onlyB, McNemarMethod.Exact).PValue < Alpha ? 1 : 0;
            midP += HypothesisTests.McNemar(onlyA, onlyB, McNemarMethod.MidP).PValue < Alpha ? 1 : 0;
            corrected += HypothesisTests.McNemar(onlyA, onlyB, McNemarMethod.ChiSquareCorrected).PValue < Alpha ? 1 : 0;
        }

        ((double)exact / Simulations).Should().BeLessThanOrEqualTo(Bound);
        ((double)midP / Simulations).Should().BeLessThanOrEqualTo(Bound);
        ((double)corrected / Simulations).Should().BeLessThanOrEqualTo(Bound);
        ((double)midP / Simulations).Should().BeGreaterThan(0.02);
    }
}
