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
    string SwappedVerdict);
