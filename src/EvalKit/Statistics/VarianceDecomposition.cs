namespace EvalKit.Statistics;

/// <summary>
/// The decomposition of score variance when every case was sampled K times (Miller 2024, Rec. 3):
/// <c>s_{i,k} = x_i + ε_{i,k}</c>, so <c>Var(s̄_i) = Var(x) + E[σ_i²]/K</c>.
/// </summary>
/// <param name="Cases">The number of cases n.</param>
/// <param name="TotalSamples">The number of samples over all cases.</param>
/// <param name="MeanSamplesPerCase">The average number of samples per case, K̄.</param>
/// <param name="Mean">The mean of the per-case means s̄_i (the score).</param>
/// <param name="StandardError">The standard error of <paramref name="Mean"/>: <c>sd(s̄_i)/√n</c> (n - 1 form).</param>
/// <param name="PerCaseMeanVariance">The sample variance (n - 1) of the per-case means, <c>var(s̄_i)</c>.</param>
/// <param name="BetweenCaseVariance">
/// The estimated variance of the true per-case scores, <c>Var(x) = max(0, var(s̄_i) - mean(σ̂_i²/K_i))</c>.
/// </param>
/// <param name="WithinCaseVariance">The mean within-case sample variance, <c>E[σ̂_i²]</c> (each σ̂_i² with the K_i - 1 denominator).</param>
public sealed record VarianceDecomposition(
    int Cases,
    int TotalSamples,
    double MeanSamplesPerCase,
    double Mean,
    double StandardError,
    double PerCaseMeanVariance,
    double BetweenCaseVariance,
    double WithinCaseVariance)
{
    /// <summary>
    /// Projects the standard error for another number of samples per case:
    /// <c>√((Var(x) + E[σ²]/K) / n)</c>. The floor as K grows is <c>√(Var(x)/n)</c>.
    /// </summary>
    /// <param name="samplesPerCase">The number of samples per case K; at least 1.</param>
    /// <param name="cases">The number of cases n; when <see langword="null"/>, <see cref="Cases"/>.</param>
    /// <returns>The projected standard error of the mean score.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplesPerCase"/> or <paramref name="cases"/> is below 1.</exception>
    public double ProjectedStandardError(int samplesPerCase, int? cases = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerCase, 1);
        var n = cases ?? Cases;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(cases));
        return Math.Sqrt((BetweenCaseVariance + (WithinCaseVariance / samplesPerCase)) / n);
    }
}
