namespace EvalKit.Security;

/// <summary>
/// A mutating operation that an EvalKit service is about to perform: what (<see cref="Kind"/>), on which record
/// (<see cref="RecordType"/> and <see cref="RecordId"/>), for which tenant and on whose behalf. The
/// <see cref="IEvalKitAuthorizationPolicy"/> sees it before anything is written, and the audit log records it.
/// </summary>
/// <remarks>It carries ids and kinds only: never a prompt, an answer, a dataset's content or a secret.</remarks>
public sealed record EvalKitOperation
{
    /// <summary>Gets what is being done, such as <c>"model.register"</c> (see <see cref="EvalKitOperationKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the type of the record the operation writes, such as <c>"model"</c> (see <see cref="EvalKitRecordTypes"/>).</summary>
    public required string RecordType { get; init; }

    /// <summary>
    /// Gets the id of the record, or <see langword="null"/> when it is not known before the operation (an A/B test or an
    /// experiment created without an id, an import) or when the operation concerns many records (a retention delete).
    /// </summary>
    public string? RecordId { get; init; }

    /// <summary>Gets the tenant the operation runs for (see <see cref="EvalKitTenant.Resolve(ITenantContext?)"/>).</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets who acts (see <see cref="IEvalKitActorContext.CurrentActor"/>).</summary>
    public required string Actor { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind} of {RecordType}{(RecordId is null ? string.Empty : $" '{RecordId}'")} by '{Actor}' in tenant '{TenantId}'";
}
