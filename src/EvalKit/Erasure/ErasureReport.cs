namespace EvalKit.Erasure;

/// <summary>What one erasure removed, for one tenant.</summary>
public sealed record ErasureReport
{
    /// <summary>Gets what was erased: a tenant, a project or a model.</summary>
    public required ErasureScope Scope { get; init; }

    /// <summary>Gets the tenant whose data was erased.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the id of the erased project or model; <see langword="null"/> for a tenant.</summary>
    public string? ScopeId { get; init; }

    /// <summary>
    /// Gets the fingerprint that the audit log keeps instead of <see cref="ScopeId"/> (see <see cref="ErasureService.Fingerprint"/>);
    /// the tenant id itself for a tenant.
    /// </summary>
    public required string AuditRecordId { get; init; }

    /// <summary>Gets when the erasure ran (from the service's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset ErasedAt { get; init; }

    /// <summary>Gets how many records of each kind were removed.</summary>
    public required ErasureCounts Counts { get; init; }
}
