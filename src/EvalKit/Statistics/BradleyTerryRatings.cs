namespace EvalKit.Statistics;

/// <summary>A Bradley–Terry fit.</summary>
/// <param name="Ratings">The rating of each model.</param>
/// <param name="Ranking">The models from the highest rating to the lowest (ties by ordinal id).</param>
/// <param name="Battles">The number of comparisons each model took part in.</param>
/// <param name="Comparisons">The number of comparisons fitted.</param>
/// <param name="Iterations">The Newton iterations the fit took.</param>
public sealed record BradleyTerryRatings(
    IReadOnlyDictionary<string, double> Ratings,
    IReadOnlyList<string> Ranking,
    IReadOnlyDictionary<string, int> Battles,
    int Comparisons,
    int Iterations);
