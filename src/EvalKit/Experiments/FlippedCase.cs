namespace EvalKit.Experiments;

/// <summary>A case whose pass/fail outcome differs between two runs.</summary>
/// <param name="CaseOrdinal">The case's ordinal in the dataset.</param>
/// <param name="CaseId">The case id.</param>
/// <param name="ValueA">The case's value in the first run (mean over successful repetitions), or <see langword="null"/> when every call failed.</param>
/// <param name="ValueB">The case's value in the second run, or <see langword="null"/> when every call failed.</param>
public sealed record FlippedCase(long CaseOrdinal, string CaseId, double? ValueA, double? ValueB);
