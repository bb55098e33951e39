namespace EvalKit.Security;

/// <summary>
/// One record of the audit log: who did what to which record, for which tenant, when, and how it ended. Entries are
/// append-only: no API changes or deletes one, except retention, which deletes entries older than its cut-off, and an
/// erasure, which replaces the record id of entries that named an erased record with <see cref="ErasedRecordId"/>.
/// </summary>
/// <remarks>An entry holds ids, kinds, a time, an outcome, an exception type and a count; never content or secrets.</remarks>
public sealed record AuditEntry
{
    /// <summary>The longest actor, operation kind, record type or error type stored.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest record id stored.</summary>
    public const int MaxRecordIdLength = 1_000;

    /// <summary>
    /// The record id that an erasure (<see cref="Erasure.IErasureService"/>) leaves in older entries that named an erased
    /// record: the entry is kept (who did what, when, how it ended), the id is gone. It is the only change an entry ever undergoes.
    /// </summary>
    public const string ErasedRecordId = "(erased)";

    /// <summary>Gets the entry's id, assigned by the store when it is appended (0 before); larger ids were appended later.</summary>
    public long Id { get; init; }

    /// <summary>Gets the tenant the operation ran for.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets who acted (<see cref="IEvalKitActorContext.CurrentActor"/>).</summary>
    public required string Actor { get; init; }

    /// <summary>Gets what was done (<see cref="EvalKitOperationKinds"/>).</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the type of the record written (<see cref="EvalKitRecordTypes"/>).</summary>
    public required string RecordType { get; init; }

    /// <summary>Gets the id of the record written, when there is one.</summary>
    public string? RecordId { get; init; }

    /// <summary>Gets when the operation ended (from the services' <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets how the operation ended.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>Gets the full name of the exception type that denied or failed the operation; <see langword="null"/> when it succeeded.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets how many records the operation affected, for bulk operations (retention deletes); otherwise <see langword="null"/>.</summary>
    public long? Count { get; init; }
}
