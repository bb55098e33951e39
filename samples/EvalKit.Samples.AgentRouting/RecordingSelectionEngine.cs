using EvalKit.Selection;

namespace EvalKit.Samples.AgentRouting;

/// <summary>
/// An <see cref="ISelectionEngine"/> decorator that remembers the last request the router ranked: the request after the
/// pipeline's factory and the per-request overrides in <c>ChatOptions.AdditionalProperties</c>. The sample asks the engine
/// to explain that request after each call (a cached decision explains in about 100 ns); a host would log it instead.
/// </summary>
public sealed class RecordingSelectionEngine : ISelectionEngine
{
    private readonly ISelectionEngine _inner;
    private SelectionRequest? _last;

    /// <summary>Initializes a new instance of the <see cref="RecordingSelectionEngine"/> class.</summary>
    /// <param name="inner">The engine that decides.</param>
    public RecordingSelectionEngine(ISelectionEngine inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Gets the last request ranked or selected, or <see langword="null"/> before the first.</summary>
    public SelectionRequest? LastRequest => Volatile.Read(ref _last);

    /// <summary>Explains the last request ranked or selected.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The explanation.</returns>
    /// <exception cref="InvalidOperationException">No request was ranked yet.</exception>
    public ValueTask<SelectionExplanation> ExplainLastAsync(CancellationToken cancellationToken = default) =>
        _inner.ExplainAsync(LastRequest ?? throw new InvalidOperationException("No selection request was ranked yet."), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ModelRecommendation> SelectAsync(SelectionRequest request, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _last, request);
        return _inner.SelectAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ModelRecommendation>> RankAsync(SelectionRequest request, int topK, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _last, request);
        return _inner.RankAsync(request, topK, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<SelectionExplanation> ExplainAsync(SelectionRequest request, CancellationToken cancellationToken = default) =>
        _inner.ExplainAsync(request, cancellationToken);

    /// <inheritdoc/>
    public void RecordOutcome(SelectionOutcome outcome) => _inner.RecordOutcome(outcome);
}
