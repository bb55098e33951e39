namespace EvalKit.Datasets;

/// <summary>A worked example placed before each case's prompt as a user turn and the assistant's answer.</summary>
/// <param name="Input">The example's user text.</param>
/// <param name="Output">The example's answer.</param>
public sealed record FewShotExample(string Input, string Output);
