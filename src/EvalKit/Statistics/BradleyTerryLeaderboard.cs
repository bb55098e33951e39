namespace EvalKit.Statistics;

/// <summary>A Bradley–Terry leaderboard with bootstrap intervals and rank ranges.</summary>
/// <param name="Entries">One entry per model, from the highest rating to the lowest.</param>
/// <param name="Resamples">The number of bootstrap resamples.</param>
/// <param name="Confidence">The confidence level of the intervals.</param>
/// <param name="RegularizedResamples">
/// The resamples in which the maximum-likelihood estimate did not exist (some model never lost or never won among the
/// resampled battles) and which were therefore fitted with a small ridge penalty (1e-4 per battle).
/// </param>
public sealed record BradleyTerryLeaderboard(
    IReadOnlyList<BradleyTerryEntry> Entries,
    int Resamples,
    double Confidence,
    int RegularizedResamples);
