namespace EvalKit.Scoring;

/// <summary>The verdict of <see cref="PairwiseJudge"/>: the judge asked twice, with the answers' positions swapped.</summary>
/// <param name="Outcome">The combined outcome: the common outcome when both orders agree, else <see cref="PairwiseOutcome.Tie"/>.</param>
/// <param name="Consistent">Whether both orders gave the same outcome (no position bias showed).</param>
/// <param name="FirstOrder">The outcome with A shown first, in terms of A and B.</param>
/// <param name="SwappedOrder">The outcome with B shown first, in terms of A and B.</param>
/// <param name="FirstVerdict">The judge's raw reply with A shown first.</param>
/// <param name="SwappedVerdict">The judge's raw reply with B shown first.</param>
public sealed record PairwiseVerdict(
    PairwiseOutcome Outcome,
    bool Consistent,
    PairwiseOutcome FirstOrder,
    PairwiseOutcome SwappedOrder,
    string FirstVerdict,
    string SwappedVerdict)
{
    /// <summary>
    /// Gets what the two judge calls used (<see cref="ScoreUsage.Calls"/> is 2; the tokens are summed when both calls
    /// reported them, else unknown), or <see langword="null"/> when not recorded.
    /// </summary>
    public ScoreUsage? Usage { get; init; }
}
