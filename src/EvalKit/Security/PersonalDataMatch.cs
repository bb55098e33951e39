namespace EvalKit.Security;

/// <summary>A span of personal data found in a text.</summary>
/// <param name="Kind">What was found (a single flag).</param>
/// <param name="Start">The index of the first character.</param>
/// <param name="Length">The number of characters.</param>
public readonly record struct PersonalDataMatch(PersonalDataKinds Kind, int Start, int Length)
{
    /// <summary>Gets the index after the last character.</summary>
    public int End => Start + Length;
}
