using EvalKit.Storage;

namespace EvalKit.Security;

/// <summary>The audit log over the configured store, scoped to the tenant that <see cref="ITenantContext"/> names.</summary>
public sealed class AuditLog : IAuditLog
{
    private readonly IEvalKitStorage _storage;
    private readonly ITenantContext _tenant;

    /// <summary>Initializes a new instance of the <see cref="AuditLog"/> class for the ambient tenant.</summary>
    /// <param name="storage">The store (not owned).</param>
    public AuditLog(IEvalKitStorage storage)
        : this(storage, AmbientTenantContext.Instance)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditLog"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="tenantContext">Names the tenant whose entries are read.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public AuditLog(IEvalKitStorage storage, ITenantContext tenantContext)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(tenantContext);
        _storage = storage;
        _tenant = tenantContext;
    }

    /// <inheritdoc/>
    public async ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate(nameof(query));
        var tenant = EvalKitTenant.Resolve(_tenant);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Audit.QueryAsync(tenant, query, cancellationToken).ConfigureAwait(false);
    }
}
