using EvalKit.Datasets;

namespace EvalKit.Storage;

/// <summary>A case on its way into a store: its ordinal, the case, and its JSON (UTF-8), already serialized for the content hash.</summary>
/// <param name="Ordinal">The 0-based ordinal.</param>
/// <param name="Case">The case.</param>
/// <param name="Utf8Json">The case serialized with EvalKit's JSON settings; stores that keep JSON can write it as it is.</param>
public readonly record struct ImportedCase(long Ordinal, EvalCase Case, ReadOnlyMemory<byte> Utf8Json);
