using EvalKit.Datasets;

namespace EvalKit.Storage;

/// <summary>A case with its stable ordinal in its dataset version.</summary>
/// <param name="Ordinal">The 0-based ordinal.</param>
/// <param name="Case">The case.</param>
public readonly record struct StoredCase(long Ordinal, EvalCase Case);
