namespace EvalKit.Evaluation;

/// <summary>
/// Receives run lifecycle notifications (started, completed, failed, cancelled). Register implementations as
/// <see cref="IEvaluationObserver"/> services (or pass them to <see cref="EvalKitHost.Create"/>). An observer that throws
/// is logged and ignored: it never stops a run.
/// </summary>
public interface IEvaluationObserver
{
    /// <summary>Handles a notification.</summary>
    /// <param name="runEvent">The notification.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when handled.</returns>
    ValueTask OnRunEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default);
}
