namespace EvalKit.Storage;

/// <summary>Counts of a run's stored results.</summary>
/// <param name="Total">The stored results.</param>
/// <param name="Failed">The stored results whose model call failed.</param>
public readonly record struct ResultCounts(long Total, long Failed);
