namespace EvalKit.Security;

/// <summary>
/// The default <see cref="ITenantContext"/>: the tenant set with <see cref="EvalKitTenant.Use(string)"/> on the current
/// asynchronous flow, otherwise <see cref="EvalKitTenant.Default"/>.
/// </summary>
public sealed class AmbientTenantContext : ITenantContext
{
    /// <summary>Gets the shared instance.</summary>
    public static AmbientTenantContext Instance { get; } = new();

    /// <inheritdoc/>
    public string CurrentTenant => EvalKitTenant.Current ?? EvalKitTenant.Default;
}
