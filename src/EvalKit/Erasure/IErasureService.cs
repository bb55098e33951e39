namespace EvalKit.Erasure;

/// <summary>
/// Erases, in one call and one store transaction, all of a tenant's data, or everything linked to one of its projects or
/// models: the records of every kind, the cached responses, and the record ids in older audit entries. Each erasure is
/// authorized (<see cref="Security.EvalKitOperationKinds.ErasureTenant"/>, <see cref="Security.EvalKitOperationKinds.ErasureProject"/>,
/// <see cref="Security.EvalKitOperationKinds.ErasureModel"/>) and audited: the audit log keeps that it happened (who, when, the scope
/// as a fingerprint, and one entry per kind with its count), never the erased ids. In-process caches drop the erased data.
/// </summary>
/// <remarks>
/// <para>
/// What each scope removes:
/// </para>
/// <list type="bullet">
/// <item><description>
/// A tenant: every record of the tenant, of every kind (models and their revisions, datasets and their cases, benchmarks,
/// runs, results, shards, metric points, cached responses, A/B tests, experiments with their runs and templates,
/// projects). The tenant's model change counter is kept (advanced), so caches keyed on it never serve an old snapshot.
/// </description></item>
/// <item><description>
/// A model: the model and its revisions; its runs; every A/B test, experiment and experiment template that names it, whole,
/// with all of their runs (the runs of the other models in them too: they exist as part of the comparison); the results
/// and shards of those runs; its metric points and those of the erased runs; its cached responses, and any cached
/// response whose text is the output of an erased result.
/// </description></item>
/// <item><description>
/// A project: the project; its runs, A/B tests and experiments, with all of their runs; the results, shards and metric
/// points of those runs; the cached responses whose text is the output of an erased result. Models stay (they belong to
/// the tenant, not to a project).
/// </description></item>
/// </list>
/// <para>
/// Datasets and benchmarks are shared definitions. A tenant erasure removes them all. A project or model erasure removes a
/// benchmark or a dataset only when an erased record used it and no record that remains uses it: a benchmark is used by
/// runs, A/B tests, experiments, experiment runs and templates; a dataset by runs and benchmarks.
/// </para>
/// <para>
/// Erasing what does not exist is not an error: the report counts zeros, and the call is audited like any other.
/// Runs still executing when their data is erased may write results after the erasure; stop them first.
/// </para>
/// </remarks>
public interface IErasureService
{
    /// <summary>Erases every record of the current tenant.</summary>
    /// <param name="tenantId">The tenant to erase, which must be the current tenant (<see cref="Security.EvalKitTenant.Resolve(Security.ITenantContext?)"/>): a guard against erasing the wrong one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not the current tenant.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied the erasure; nothing was erased.</exception>
    /// <exception cref="NotSupportedException">The store cannot erase.</exception>
    /// <exception cref="StorageException">The store failed; nothing was erased.</exception>
    ValueTask<ErasureReport> EraseTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Erases everything linked to a project of the current tenant.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is blank.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied the erasure; nothing was erased.</exception>
    /// <exception cref="NotSupportedException">The store cannot erase.</exception>
    /// <exception cref="StorageException">The store failed; nothing was erased.</exception>
    ValueTask<ErasureReport> EraseProjectAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Erases everything linked to a model of the current tenant.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is blank.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied the erasure; nothing was erased.</exception>
    /// <exception cref="NotSupportedException">The store cannot erase.</exception>
    /// <exception cref="StorageException">The store failed; nothing was erased.</exception>
    ValueTask<ErasureReport> EraseModelAsync(string modelId, CancellationToken cancellationToken = default);
}
