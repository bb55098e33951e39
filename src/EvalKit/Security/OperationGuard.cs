using EvalKit.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalKit.Security;

/// <summary>
/// Authorizes and audits the mutating operations of EvalKit's services: before an operation writes anything it asks the
/// <see cref="IEvalKitAuthorizationPolicy"/>, and when it ends (succeeded, denied or failed) it appends one
/// <see cref="AuditEntry"/> to the store's audit log. One entry per operation, never one per case result.
/// </summary>
/// <remarks>
/// <para>
/// The services take one through their constructors (the DI container builds it from the registered policy, actor
/// context, tenant context, store and clock); without one they use a guard that allows everything and still audits.
/// </para>
/// <para>
/// The audit entry is written after the operation, with <see cref="CancellationToken.None"/>, so a cancelled operation
/// is recorded too. A failure to write it is logged (event 8001) and never turns a finished operation into a failed one.
/// A store without an audit log (<see cref="IEvalKitStorage.Audit"/> not supported) gets no entries (event 8002, once).
/// A record id shaped like a credential is stored with the credential removed.
/// </para>
/// </remarks>
public sealed partial class OperationGuard
{
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly IEvalKitAuthorizationPolicy _policy;
    private readonly IEvalKitActorContext _actor;
    private readonly ITenantContext _tenant;
    private readonly ILogger _logger;
    private int _unsupportedLogged;

    /// <summary>Initializes a new instance of the <see cref="OperationGuard"/> class.</summary>
    /// <param name="storage">The store whose audit log receives the entries (not owned).</param>
    /// <param name="timeProvider">The clock that dates the entries (not owned).</param>
    /// <param name="policy">The authorization policy; <see cref="AllowAllAuthorizationPolicy"/> when <see langword="null"/>.</param>
    /// <param name="actorContext">Names who acts; <see cref="SystemActorContext"/> when <see langword="null"/>.</param>
    /// <param name="tenantContext">Names the tenant; <see cref="AmbientTenantContext"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public OperationGuard(
        IEvalKitStorage storage,
        TimeProvider timeProvider,
        IEvalKitAuthorizationPolicy? policy = null,
        IEvalKitActorContext? actorContext = null,
        ITenantContext? tenantContext = null,
        ILogger<OperationGuard>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _time = timeProvider;
        _policy = policy ?? AllowAllAuthorizationPolicy.Instance;
        _actor = actorContext ?? SystemActorContext.Instance;
        _tenant = tenantContext ?? AmbientTenantContext.Instance;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the store this guard audits to.</summary>
    internal IEvalKitStorage Storage => _storage;

    /// <summary>Gets the tenant context the guard names tenants with (the services resolve their tenant with it too).</summary>
    internal ITenantContext TenantContext => _tenant;

    /// <summary>Describes an operation of the current actor and tenant.</summary>
    /// <param name="kind">The operation kind.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="recordId">The record id, if known.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="InvalidOperationException">The actor or tenant context returned an invalid value.</exception>
    internal EvalKitOperation Describe(string kind, string recordType, string? recordId) => new()
    {
        Kind = kind,
        RecordType = recordType,
        RecordId = recordId,
        TenantId = EvalKitTenant.Resolve(_tenant),
        Actor = CurrentActor(),
    };

    /// <summary>Authorizes an operation, runs it and audits how it ended.</summary>
    /// <typeparam name="T">The operation's result.</typeparam>
    /// <param name="kind">The operation kind.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="recordId">The record id, if known before the operation.</param>
    /// <param name="action">The operation.</param>
    /// <param name="recordIdOf">Reads the record id from the result, for records whose id the operation assigns.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests (authorization only).</param>
    /// <returns>The operation's result.</returns>
    /// <exception cref="EvalKitAuthorizationException">The policy denied the operation; it did not run.</exception>
    internal async Task<T> RunAsync<T>(
        string kind, string recordType, string? recordId, Func<Task<T>> action, Func<T, string?>? recordIdOf, CancellationToken cancellationToken)
    {
        var operation = await AuthorizeAsync(kind, recordType, recordId, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            // A write operation reads what it decides on from the primary, never from a lagging read replica.
            using (ReadConsistency.RequirePrimary())
            {
                result = await action().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await AuditAsync(operation, AuditOutcome.Failed, e, count: null).ConfigureAwait(false);
            throw;
        }

        if (recordIdOf?.Invoke(result) is { } assigned)
        {
            operation = operation with { RecordId = assigned };
        }

        await AuditAsync(operation, AuditOutcome.Succeeded, error: null, count: null).ConfigureAwait(false);
        return result;
    }

    /// <summary>Authorizes an operation, runs it and audits how it ended.</summary>
    /// <typeparam name="T">The operation's result.</typeparam>
    /// <param name="kind">The operation kind.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="recordId">The record id, if known before the operation.</param>
    /// <param name="action">The operation.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests (authorization only).</param>
    /// <returns>The operation's result.</returns>
    /// <exception cref="EvalKitAuthorizationException">The policy denied the operation; it did not run.</exception>
    internal async ValueTask<T> RunAsync<T>(string kind, string recordType, string? recordId, Func<ValueTask<T>> action, CancellationToken cancellationToken) =>
        await RunAsync(kind, recordType, recordId, async () => await action().ConfigureAwait(false), recordIdOf: null, cancellationToken).ConfigureAwait(false);

    /// <summary>Authorizes an operation, runs it and audits how it ended.</summary>
    /// <param name="kind">The operation kind.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="recordId">The record id, if known before the operation.</param>
    /// <param name="action">The operation.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests (authorization only).</param>
    /// <returns>A task that completes with the operation.</returns>
    /// <exception cref="EvalKitAuthorizationException">The policy denied the operation; it did not run.</exception>
    internal async ValueTask RunAsync(string kind, string recordType, string? recordId, Func<ValueTask> action, CancellationToken cancellationToken) =>
        await RunAsync(
            kind,
            recordType,
            recordId,
            async () =>
            {
                await action().ConfigureAwait(false);
                return true;
            },
            recordIdOf: null,
            cancellationToken).ConfigureAwait(false);

    /// <summary>Asks the policy; a denial (or a failing policy) is audited and rethrown.</summary>
    /// <param name="kind">The operation kind.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="recordId">The record id, if known.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The authorized operation.</returns>
    /// <exception cref="EvalKitAuthorizationException">The policy denied the operation.</exception>
    internal async ValueTask<EvalKitOperation> AuthorizeAsync(string kind, string recordType, string? recordId, CancellationToken cancellationToken)
    {
        var operation = Describe(kind, recordType, recordId);
        try
        {
            await _policy.AuthorizeAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (EvalKitAuthorizationException e)
        {
            LogDenied(operation.Kind, operation.RecordType, SecretText.Scrub(operation.RecordId), operation.Actor, operation.TenantId);
            await AuditAsync(operation, AuditOutcome.Denied, e, count: null).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            await AuditAsync(operation, AuditOutcome.Failed, e, count: null).ConfigureAwait(false);
            throw;
        }

        return operation;
    }

    /// <summary>Appends one audit entry; a failure to append is logged, not thrown.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="error">What denied or failed it.</param>
    /// <param name="count">How many records it affected, for bulk operations.</param>
    /// <returns>A task that completes when the entry is written (or its failure logged).</returns>
    internal async ValueTask AuditAsync(EvalKitOperation operation, AuditOutcome outcome, Exception? error, long? count)
    {
        IAuditStorage audit;
        try
        {
            audit = _storage.Audit;
        }
        catch (NotSupportedException)
        {
            if (Interlocked.Exchange(ref _unsupportedLogged, 1) == 0)
            {
                LogAuditUnsupported(_storage.GetType().Name);
            }

            return;
        }

        var entry = new AuditEntry
        {
            TenantId = operation.TenantId,
            Actor = operation.Actor,
            Operation = operation.Kind,
            RecordType = operation.RecordType,
            RecordId = StoredRecordId(operation.RecordId),
            OccurredAt = _time.GetUtcNow(),
            Outcome = outcome,
            ErrorType = error is null ? null : Truncate(error.GetType().FullName ?? error.GetType().Name, AuditEntry.MaxNameLength),
            Count = count,
        };
        try
        {
            await _storage.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
            await audit.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogAuditFailed(entry.Operation, entry.RecordType, entry.RecordId, entry.Outcome, e);
        }
    }

    /// <summary>Gets a record id as the audit log stores it: any credential removed, cut to <see cref="AuditEntry.MaxRecordIdLength"/>.</summary>
    /// <param name="recordId">The record id.</param>
    /// <returns>The stored form; <see langword="null"/> for <see langword="null"/>.</returns>
    internal static string? StoredRecordId(string? recordId) => Truncate(SecretText.Scrub(recordId), AuditEntry.MaxRecordIdLength);

    private static string? Truncate(string? value, int maxLength) =>
        value is null || value.Length <= maxLength ? value : value[..(maxLength - 1)] + "…";

    private string CurrentActor()
    {
        var actor = _actor.CurrentActor;
        return string.IsNullOrWhiteSpace(actor) || actor.Length > AuditEntry.MaxNameLength
            ? throw new InvalidOperationException($"{_actor.GetType().Name}.CurrentActor returned '{actor}'; an actor must be a non-blank name of at most {AuditEntry.MaxNameLength} characters.")
            : actor;
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Warning, Message = "Denied {Kind} of {RecordType} {RecordId} to {Actor} in tenant {TenantId}")]
    private partial void LogDenied(string kind, string recordType, string? recordId, string actor, string tenantId);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "The audit entry of {Kind} of {RecordType} {RecordId} ({Outcome}) could not be written")]
    private partial void LogAuditFailed(string kind, string recordType, string? recordId, AuditOutcome outcome, Exception exception);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "The store {Storage} keeps no audit log: EvalKit's operations are not audited")]
    private partial void LogAuditUnsupported(string storage);
}
