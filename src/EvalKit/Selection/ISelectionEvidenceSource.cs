using EvalKit.Registry;

namespace EvalKit.Selection;

/// <summary>
/// Supplies the evidence the selection engine judges models by: quality from evaluation runs, and latency, success and cost
/// from runtime metrics. Implement it to read evidence from elsewhere (a metrics service, a feature store, fixed numbers in tests).
/// </summary>
public interface ISelectionEvidenceSource
{
    /// <summary>
    /// Gets a stamp that changes whenever the evidence (or the registry it describes) changes in a way that must invalidate
    /// cached decisions at once. Reading it must be cheap and allocation-free: the engine reads it on every cached decision.
    /// </summary>
    long Version { get; }

    /// <summary>Reads the evidence about one model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="query">What evidence to read: the quality metric and benchmark, and the runtime window.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The evidence; a criterion without evidence is <see langword="null"/> and the reason is in <see cref="ModelEvidence.Notes"/>.</returns>
    ValueTask<ModelEvidence> GetEvidenceAsync(ModelDescriptor model, SelectionEvidenceQuery query, CancellationToken cancellationToken = default);
}
