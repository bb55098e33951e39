namespace EvalKit.Evaluation;

/// <summary>The failure of a model call, recorded on its case result.</summary>
/// <param name="Category">The category.</param>
/// <param name="Message">The message, without secrets.</param>
public sealed record CaseError(ErrorCategory Category, string Message);
