namespace EvalKit.Scoring;

/// <summary>The outcome of a pairwise comparison of answers A and B.</summary>
public enum PairwiseOutcome
{
    /// <summary>Neither answer is better.</summary>
    Tie = 0,

    /// <summary>Answer A is better.</summary>
    AWins = 1,

    /// <summary>Answer B is better.</summary>
    BWins = 2,
}
