namespace EvalKit.Selection;

/// <summary>
/// Chooses models for requests: filters by capability and status, gathers evidence (evaluation results and runtime metrics),
/// applies hard constraints, optionally keeps the Pareto front, scores on fixed reference scales and ranks with a
/// deterministic tie-break. Decisions are cached by request and evidence version; explanations say why.
/// </summary>
public interface ISelectionEngine
{
    /// <summary>Chooses the best model for a request (in <see cref="SelectionMode.Online"/>, a Thompson sample among the feasible ones).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The chosen model. A cached decision completes synchronously without allocating.</returns>
    /// <exception cref="ArgumentException">A field of the request is invalid; the parameter name says which.</exception>
    /// <exception cref="NoEligibleModelException">No model satisfies the request; its explanation says why each was excluded.</exception>
    ValueTask<ModelRecommendation> SelectAsync(SelectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Ranks the models that satisfy a request, best first.</summary>
    /// <param name="request">The request.</param>
    /// <param name="topK">The number of models to return at most.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>Up to <paramref name="topK"/> models; empty when none is eligible. In <see cref="SelectionMode.Online"/> the sampled model comes first.</returns>
    /// <exception cref="ArgumentException">A field of the request is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is less than 1.</exception>
    ValueTask<IReadOnlyList<ModelRecommendation>> RankAsync(SelectionRequest request, int topK, CancellationToken cancellationToken = default);

    /// <summary>Explains the decision for a request: the ranking with every criterion and its evidence, and every rejection.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The explanation (the same instance while the decision stays cached).</returns>
    /// <exception cref="ArgumentException">A field of the request is invalid.</exception>
    ValueTask<SelectionExplanation> ExplainAsync(SelectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Feeds the online learner what happened when a model served a request. Cheap and thread-safe; does no I/O.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <exception cref="ArgumentException">The outcome's model id is empty or its quality lies outside [0, 1].</exception>
    void RecordOutcome(SelectionOutcome outcome);
}
