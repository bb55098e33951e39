namespace EvalKit.Statistics;

/// <summary>One model's row in a <see cref="BradleyTerryLeaderboard"/>.</summary>
/// <param name="Model">The model id.</param>
/// <param name="Rating">The maximum-likelihood rating on all comparisons.</param>
/// <param name="RatingInterval">The bootstrap percentile interval of the rating (numpy linear quantiles, as FastChat's pandas quantiles).</param>
/// <param name="BootstrapMedian">The median rating over the bootstrap resamples.</param>
/// <param name="Rank">
/// Chatbot Arena's rank: 1 + the number of models whose interval lies entirely above this one's
/// (<c>lower_j &gt; upper_i</c>).
/// </param>
/// <param name="RankLower">The best rank in the central <c>confidence</c> share of the bootstrap ranks (floor of the lower percentile).</param>
/// <param name="RankUpper">The worst rank in that share (ceiling of the upper percentile).</param>
/// <param name="Battles">The number of comparisons the model took part in.</param>
public sealed record BradleyTerryEntry(
    string Model,
    double Rating,
    Interval RatingInterval,
    double BootstrapMedian,
    int Rank,
    int RankLower,
    int RankUpper,
    int Battles);
