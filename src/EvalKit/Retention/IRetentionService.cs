namespace EvalKit.Retention;

/// <summary>
/// Deletes data older than a <see cref="RetentionPolicy"/> allows, for the current tenant: per-case results of finished
/// runs (their runs keep their summaries unless told otherwise), metric points, cached responses and audit entries. Each
/// application is authorized (<see cref="Security.EvalKitOperationKinds.RetentionApply"/>) and audited, with one audit entry
/// per kind of data deleted carrying the count.
/// </summary>
public interface IRetentionService
{
    /// <summary>Applies the configured policy (<see cref="RetentionOptions.Policy"/>) to the current tenant.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was deleted.</returns>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied retention; nothing was deleted.</exception>
    /// <exception cref="NotSupportedException">The store cannot run a delete the policy asks for.</exception>
    ValueTask<RetentionReport> ApplyAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies a policy to the current tenant.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was deleted.</returns>
    /// <exception cref="ArgumentException">The policy is invalid.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied retention; nothing was deleted.</exception>
    /// <exception cref="NotSupportedException">The store cannot run a delete the policy asks for.</exception>
    ValueTask<RetentionReport> ApplyAsync(RetentionPolicy policy, CancellationToken cancellationToken = default);
}
