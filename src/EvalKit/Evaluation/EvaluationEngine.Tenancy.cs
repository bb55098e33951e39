using EvalKit.Security;

namespace EvalKit.Evaluation;

/// <content>
/// Tenancy. A run belongs to the tenant that starts it (or resumes it, or enqueues it, or works on its shards). The engine
/// resolves that tenant once, when the operation starts, and runs the rest of the operation inside
/// <see cref="EvalKitTenant.Use(string)"/> of it: the result writer, the workers, the heartbeats and the final updates all
/// outlive parts of the caller's flow, and a host's <see cref="ITenantContext"/> (one that reads a request, say) may no
/// longer answer, or answer for someone else, by the time they run. A scope set with <see cref="EvalKitTenant.Use(string)"/>
/// wins over any context, so every store call below sees the captured tenant.
/// </content>
public sealed partial class EvaluationEngine
{
    /// <summary>Gets the tenant of the current operation: the captured one inside an operation, else the caller's.</summary>
    private string Tenant => EvalKitTenant.Resolve(_guard.TenantContext);

    /// <summary>Resolves the caller's tenant now and makes it the ambient tenant until the returned scope is disposed.</summary>
    /// <returns>The scope.</returns>
    private IDisposable CaptureTenant() => EvalKitTenant.Use(Tenant);
}
