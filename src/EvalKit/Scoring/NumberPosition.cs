namespace EvalKit.Scoring;

/// <summary>Which number of a text <see cref="NumericScorer"/> reads.</summary>
public enum NumberPosition
{
    /// <summary>The last number: the usual place of a final answer after the reasoning.</summary>
    Last = 0,

    /// <summary>The first number.</summary>
    First = 1,
}
