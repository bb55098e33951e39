using EvalKit.Evaluation;

namespace EvalKit.Selection;

/// <summary>
/// Invalidates the selection engine's cached decisions when an evaluation run completes, so that the next decision sees the
/// new quality evidence at once. Registered with the engine by <c>AddEvalKit</c> and <see cref="EvalKitHost"/>.
/// </summary>
/// <param name="evidence">The evidence source to invalidate.</param>
public sealed class SelectionEvidenceInvalidator(StorageSelectionEvidenceSource evidence) : IEvaluationObserver
{
    /// <inheritdoc/>
    public ValueTask OnRunEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (runEvent.Kind == RunEventKind.Completed)
        {
            evidence.Invalidate();
        }

        return ValueTask.CompletedTask;
    }
}
