using System.Security.Cryptography;
using System.Text;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Selection;
using EvalKit.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalKit.Erasure;

/// <summary>
/// The erasure service over the configured store (see <see cref="IErasureService"/>). Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Each erasure is authorized first (the policy sees the real project or model id) and then audited: one entry for the
/// erasure itself (operation <see cref="EvalKitOperationKinds.ErasureTenant"/>, <see cref="EvalKitOperationKinds.ErasureProject"/>
/// or <see cref="EvalKitOperationKinds.ErasureModel"/>, with the total count) and one per kind of record erased
/// (<see cref="EvalKitOperationKinds.ErasureDelete"/>, the kind as record type, with its count). The project or model id is
/// recorded as its <see cref="Fingerprint"/>, so that the log proves which id was erased to whoever knows it, without keeping it.
/// </para>
/// <para>
/// After the store committed, the service drops the erased data from EvalKit's in-process caches (the registry's snapshot,
/// the selection engine's decisions and online learning, the tenant's texts in every embedding cache) and tells each <see cref="IErasureObserver"/>;
/// an observer that fails is logged (event 8201) and does not undo or fail the erasure.
/// </para>
/// </remarks>
public sealed partial class ErasureService : IErasureService
{
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly OperationGuard _guard;
    private readonly IModelRegistry? _registry;
    private readonly ISelectionEngine? _selection;
    private readonly IErasureObserver[] _observers;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ErasureService"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock that dates the reports.</param>
    /// <param name="guard">Authorizes and audits each erasure; one that allows everything (and still audits) when <see langword="null"/>.</param>
    /// <param name="registry">The model registry whose snapshot an erasure invalidates, if any.</param>
    /// <param name="selection">The selection engine whose decisions and online learning an erasure drops, if any.</param>
    /// <param name="observers">Other caches to tell about each erasure.</param>
    /// <param name="logger">The logger, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public ErasureService(
        IEvalKitStorage storage,
        TimeProvider timeProvider,
        OperationGuard? guard = null,
        IModelRegistry? registry = null,
        ISelectionEngine? selection = null,
        IEnumerable<IErasureObserver>? observers = null,
        ILogger<ErasureService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _time = timeProvider;
        _guard = guard ?? new OperationGuard(storage, timeProvider);
        _registry = registry;
        _selection = selection;
        _observers = observers is null ? [] : [.. observers];
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Gets the fingerprint that the audit log keeps of an erased project or model id: <c>sha256:</c> and the lower-case hex
    /// SHA-256 of the UTF-8 bytes of the tenant id, a NUL character and the id. Whoever knows the id can check that it was
    /// erased; the log alone does not reveal it (but an id that can be guessed can be confirmed by guessing).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The project or model id.</param>
    /// <returns>The fingerprint.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string Fingerprint(string tenantId, string id)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(id);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\0{id}")));
    }

    /// <inheritdoc/>
    public ValueTask<ErasureReport> EraseTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        EvalKitTenant.Validate(tenantId, nameof(tenantId));
        var current = EvalKitTenant.Resolve(_guard.TenantContext);
        if (!string.Equals(tenantId, current, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"EraseTenantAsync was asked to erase tenant '{tenantId}', but the current tenant is '{current}'; erase a tenant from inside its scope (EvalKitTenant.Use(\"{tenantId}\")).",
                nameof(tenantId));
        }

        return EraseAsync(ErasureScope.Tenant, EvalKitOperationKinds.ErasureTenant, EvalKitRecordTypes.Tenant, null, (e, ct) => e.EraseTenantAsync(ct), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ErasureReport> EraseProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        return EraseAsync(ErasureScope.Project, EvalKitOperationKinds.ErasureProject, EvalKitRecordTypes.Project, projectId, (e, ct) => e.EraseProjectAsync(projectId, ct), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ErasureReport> EraseModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return EraseAsync(ErasureScope.Model, EvalKitOperationKinds.ErasureModel, EvalKitRecordTypes.Model, modelId, (e, ct) => e.EraseModelAsync(modelId, ct), cancellationToken);
    }

    private async ValueTask<ErasureReport> EraseAsync(
        ErasureScope scope, string kind, string recordType, string? scopeId, Func<IErasureStorage, CancellationToken, ValueTask<ErasureCounts>> erase, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var tenant = EvalKitTenant.Resolve(_guard.TenantContext);
        var authorized = await _guard.AuthorizeAsync(kind, recordType, scopeId ?? tenant, cancellationToken).ConfigureAwait(false);
        var auditRecordId = scopeId is null ? authorized.TenantId : Fingerprint(authorized.TenantId, scopeId);
        var operation = authorized with { RecordId = auditRecordId };
        ErasureCounts counts;
        try
        {
            using (ReadConsistency.RequirePrimary())
            {
                counts = await erase(_storage.Erasure, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await _guard.AuditAsync(operation, AuditOutcome.Failed, e, count: null).ConfigureAwait(false);
            throw;
        }

        var report = new ErasureReport
        {
            Scope = scope,
            TenantId = operation.TenantId,
            ScopeId = scopeId,
            AuditRecordId = auditRecordId,
            ErasedAt = _time.GetUtcNow(),
            Counts = counts,
        };
        await InvalidateCachesAsync(report).ConfigureAwait(false);
        foreach (var (erasedKind, count) in counts.ByKind())
        {
            if (count > 0)
            {
                await _guard.AuditAsync(operation with { Kind = EvalKitOperationKinds.ErasureDelete, RecordType = erasedKind }, AuditOutcome.Succeeded, error: null, count).ConfigureAwait(false);
            }
        }

        await _guard.AuditAsync(operation, AuditOutcome.Succeeded, error: null, counts.Total).ConfigureAwait(false);
        LogErased(scope, report.TenantId, auditRecordId, counts.Total);
        return report;
    }

    // Runs with CancellationToken.None: the store has committed, so the caches must drop what they hold whatever the caller does.
    private async ValueTask InvalidateCachesAsync(ErasureReport report)
    {
        // The registry's change event also makes the selection evidence reload the runs that remain.
        if (_registry is ModelRegistry registry)
        {
            registry.Invalidate();
        }

        if (_selection is SelectionEngine selection)
        {
            switch (report.Scope)
            {
                case ErasureScope.Tenant:
                    selection.Forget(report.TenantId, forgetLearning: true, modelId: null);
                    break;
                case ErasureScope.Model:
                    selection.Forget(report.TenantId, forgetLearning: true, modelId: report.ScopeId);
                    break;
                default:
                    // Online learning is per model, not per project: a project's erasure drops the decisions only.
                    selection.Forget(report.TenantId, forgetLearning: false, modelId: null);
                    break;
            }
        }

        EmbeddingCache.ClearTenant(report.TenantId);
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnErasedAsync(report, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogObserverFailed(observer.GetType().Name, report.Scope, report.TenantId, e);
            }
        }
    }

    [LoggerMessage(EventId = 8200, Level = LogLevel.Information, Message = "Erased {Scope} {AuditRecordId} of tenant {TenantId}: {Total} records")]
    private partial void LogErased(ErasureScope scope, string tenantId, string auditRecordId, long total);

    [LoggerMessage(EventId = 8201, Level = LogLevel.Error, Message = "The erasure observer {Observer} failed after the erasure of a {Scope} of tenant {TenantId}; its cache may still hold erased data")]
    private partial void LogObserverFailed(string observer, ErasureScope scope, string tenantId, Exception exception);
}
