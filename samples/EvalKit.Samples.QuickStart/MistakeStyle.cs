namespace EvalKit.Samples.QuickStart;

/// <summary>What a simulated model says when it gets a case wrong.</summary>
public enum MistakeStyle
{
    /// <summary>It says it does not know.</summary>
    Abstains,

    /// <summary>It wraps the right answer in a sentence, which exact match rejects.</summary>
    Rambles,

    /// <summary>It gives the answer of another case of the same group: plausible, and wrong.</summary>
    Confuses,
}
