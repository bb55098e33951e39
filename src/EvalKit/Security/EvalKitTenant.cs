namespace EvalKit.Security;

/// <summary>
/// The ambient tenant scope, and the one rule that resolves the tenant of an operation: a scope set with
/// <see cref="Use(string)"/> wins, then the host's <see cref="ITenantContext"/>, then <see cref="Default"/>.
/// </summary>
/// <example>
/// <code>
/// using (EvalKitTenant.Use("acme"))
/// {
///     await registry.RegisterAsync(model);   // stored for tenant "acme", invisible to every other tenant
/// }
/// </code>
/// </example>
public static class EvalKitTenant
{
    /// <summary>The tenant of single-tenant hosts, used when neither a scope nor a context names one.</summary>
    public const string Default = "default";

    /// <summary>The longest tenant id accepted.</summary>
    public const int MaxLength = 128;

    private static readonly AsyncLocal<string?> Scope = new();

    /// <summary>Gets the tenant set with <see cref="Use(string)"/> on the current asynchronous flow, if any.</summary>
    public static string? Current => Scope.Value;

    /// <summary>
    /// Runs the rest of the current asynchronous flow (until the returned scope is disposed) as <paramref name="tenantId"/>.
    /// Scopes nest; disposing one restores the tenant that was current before it.
    /// </summary>
    /// <param name="tenantId">The tenant: 1 to <see cref="MaxLength"/> characters, letters, digits, '-', '_', '.', ':' or '@'.</param>
    /// <returns>The scope; dispose it to leave the tenant.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not a valid tenant id.</exception>
    public static IDisposable Use(string tenantId)
    {
        Validate(tenantId, nameof(tenantId));
        var previous = Scope.Value;
        Scope.Value = tenantId;
        return new Restore(previous);
    }

    /// <summary>Resolves the tenant of the current operation: the ambient scope, else <paramref name="context"/>, else <see cref="Default"/>.</summary>
    /// <param name="context">The host's tenant context, or <see langword="null"/>.</param>
    /// <returns>The tenant id, validated.</returns>
    /// <exception cref="InvalidOperationException">The context returned an invalid tenant id.</exception>
    public static string Resolve(ITenantContext? context)
    {
        if (Scope.Value is { } scoped)
        {
            return scoped;
        }

        if (context is null or AmbientTenantContext)
        {
            return Default;
        }

        var tenant = context.CurrentTenant;
        if (!IsValid(tenant))
        {
            throw new InvalidOperationException(
                $"{context.GetType().Name}.CurrentTenant returned '{tenant}', which is not a valid tenant id (1 to {MaxLength} letters, digits, '-', '_', '.', ':' or '@').");
        }

        return tenant;
    }

    /// <summary>Checks a tenant id.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="paramName">The parameter name reported in the error.</param>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not a valid tenant id.</exception>
    public static void Validate(string tenantId, string paramName)
    {
        if (!IsValid(tenantId))
        {
            throw new ArgumentException(
                $"'{tenantId}' is not a valid tenant id: use 1 to {MaxLength} letters, digits, '-', '_', '.', ':' or '@'.", paramName);
        }
    }

    /// <summary>Tells whether a string is a valid tenant id.</summary>
    /// <param name="tenantId">The candidate.</param>
    /// <returns><see langword="true"/> when it is 1 to <see cref="MaxLength"/> letters, digits, '-', '_', '.', ':' or '@'.</returns>
    public static bool IsValid(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in tenantId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Scope.Value = previous;
            }
        }
    }
}
