namespace EvalKit.Statistics;

/// <summary>One pairwise comparison between two different models.</summary>
/// <param name="ModelA">The first model's id.</param>
/// <param name="ModelB">The second model's id; different from <paramref name="ModelA"/> (ordinal comparison).</param>
/// <param name="Outcome">Who won.</param>
public readonly record struct BradleyTerryComparison(string ModelA, string ModelB, BradleyTerryOutcome Outcome);
