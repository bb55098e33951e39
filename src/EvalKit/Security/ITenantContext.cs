namespace EvalKit.Security;

/// <summary>
/// Tells EvalKit which tenant (organization) the current operation belongs to. Every provider stamps this tenant on every
/// record it writes and filters every read, list, aggregate and delete by it, so one tenant never sees, changes or deletes
/// another's models, datasets, runs, results, metrics, A/B tests or experiments.
/// </summary>
/// <remarks>
/// <para>
/// The default is <see cref="AmbientTenantContext"/>: the tenant set with <see cref="EvalKitTenant.Use(string)"/> on the
/// current asynchronous flow, or <see cref="EvalKitTenant.Default"/> when none is set, which suits single-tenant hosts.
/// A multi-tenant host registers its own implementation (reading the signed-in organization from a request, say) as a
/// singleton. It is read on every storage operation, so it must be cheap and thread-safe.
/// </para>
/// <para>
/// A tenant set with <see cref="EvalKitTenant.Use(string)"/> always wins over the registered context. EvalKit relies on
/// this for work that outlives the request that started it: the engine captures the tenant when a run starts and runs its
/// background work inside that tenant's scope.
/// </para>
/// </remarks>
public interface ITenantContext
{
    /// <summary>Gets the tenant of the current operation.</summary>
    /// <value>A tenant id accepted by <see cref="EvalKitTenant.Validate(string, string)"/>.</value>
    string CurrentTenant { get; }
}
