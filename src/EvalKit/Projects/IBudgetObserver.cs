namespace EvalKit.Projects;

/// <summary>
/// Receives budget alerts from the evaluation engine: a project's spending reached its soft limit, or its hard limit refused
/// or stopped a run. Register implementations as services (or pass them to <see cref="EvalKitHost.Create"/>); an observer
/// that throws is logged and never stops a run.
/// </summary>
public interface IBudgetObserver
{
    /// <summary>Handles an alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the alert is handled.</returns>
    ValueTask OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken = default);
}
