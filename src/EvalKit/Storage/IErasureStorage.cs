using EvalKit.Erasure;

namespace EvalKit.Storage;

/// <summary>
/// The erasures that <see cref="IErasureService"/> runs, and nothing else does. Like every store they act on the current
/// tenant's data only. Each one runs in one transaction (all or nothing): it deletes the records in scope (see
/// <see cref="IErasureService"/> for what each scope covers), replaces the erased records' ids in the tenant's older audit
/// entries with <see cref="Security.AuditEntry.ErasedRecordId"/>, and advances the tenant's model change counter when models
/// go. Erasing what does not exist deletes nothing and succeeds.
/// </summary>
public interface IErasureStorage
{
    /// <summary>Erases every record of the current tenant.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="StorageException">The store failed; nothing was erased.</exception>
    ValueTask<ErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default);

    /// <summary>Erases everything linked to a project of the current tenant.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is blank.</exception>
    /// <exception cref="StorageException">The store failed; nothing was erased.</exception>
    ValueTask<ErasureCounts> EraseProjectAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Erases everything linked to a model of the current tenant.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is blank.</exception>
    /// <exception cref="StorageException">The store failed; nothing was erased.</exception>
    ValueTask<ErasureCounts> EraseModelAsync(string modelId, CancellationToken cancellationToken = default);
}
