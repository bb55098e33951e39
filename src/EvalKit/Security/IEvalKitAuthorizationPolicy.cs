namespace EvalKit.Security;

/// <summary>
/// Decides whether a mutating operation may run. EvalKit's services (registry, datasets and benchmarks, evaluation engine,
/// A/B tests, experiments, metrics, retention) consult it before they write anything; a denial stops the operation
/// before any write and is recorded in the audit log.
/// </summary>
/// <remarks>
/// <para>
/// The default, <see cref="AllowAllAuthorizationPolicy"/>, allows everything. A host registers its own as a singleton
/// (before or after <c>AddEvalKit()</c>), typically one that checks <see cref="EvalKitOperation.Actor"/> and
/// <see cref="EvalKitOperation.TenantId"/> against its roles. It is called once per operation, never per case result.
/// </para>
/// <para>
/// To deny, throw <see cref="EvalKitAuthorizationException"/>. Any other exception also stops the operation (nothing is
/// written) and is audited as a failure, so a policy that cannot reach its role store fails closed.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class NoDeletesForInterns : IEvalKitAuthorizationPolicy
/// {
///     public ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default) =>
///         operation.Kind == EvalKitOperationKinds.ModelDelete &amp;&amp; operation.Actor.StartsWith("intern-", StringComparison.Ordinal)
///             ? throw new EvalKitAuthorizationException(operation, "interns may not delete models")
///             : ValueTask.CompletedTask;
/// }
/// </code>
/// </example>
public interface IEvalKitAuthorizationPolicy
{
    /// <summary>Allows the operation by returning, or denies it by throwing <see cref="EvalKitAuthorizationException"/>.</summary>
    /// <param name="operation">The operation about to run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the operation is allowed.</returns>
    /// <exception cref="EvalKitAuthorizationException">The operation is denied.</exception>
    ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default);
}
