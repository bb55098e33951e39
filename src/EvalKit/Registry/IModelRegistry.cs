namespace EvalKit.Registry;

/// <summary>
/// The model registry: models, their revisions, capabilities, pricing and status. Every write is validated
/// (<see cref="ModelValidation"/>) and stored as a new revision that records who made it, when, and what changed. Reads
/// come from an in-memory snapshot invalidated by every write, including writes by other processes on the same store.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Registers a new model as revision 1.</summary>
    /// <param name="model">The model; its <see cref="ModelDescriptor.Revision"/> and <see cref="ModelDescriptor.UpdatedAt"/> are set by the registry.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored model.</returns>
    /// <exception cref="ValidationException">The model's metadata is invalid; every problem is listed.</exception>
    /// <exception cref="EvalKitException">A model with the same id is already registered.</exception>
    ValueTask<ModelDescriptor> RegisterAsync(ModelDescriptor model, CancellationToken cancellationToken = default);

    /// <summary>Gets the latest revision of a model.</summary>
    /// <param name="modelId">The model id (ordinal, case-sensitive).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The model, or <see langword="null"/> when no model has that id.</returns>
    ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Lists models, ordered by id.</summary>
    /// <param name="query">Optional filters (provider, status, capabilities, tags, text); see <see cref="ModelQuery"/> for the matching rules.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The matching models.</returns>
    /// <exception cref="ArgumentException">A capability or tag in the query is not well-formed (raised when enumeration starts).</exception>
    IAsyncEnumerable<ModelDescriptor> ListAsync(ModelQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Changes a model; the change is stored as a new revision (none when nothing changed).</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="change">Produces the new descriptor from the current one; the id cannot change. It may run more than once when other writers race.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision, or the current one when the change changed nothing.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    /// <exception cref="ValidationException">The changed model is invalid; every problem is listed.</exception>
    ValueTask<ModelDescriptor> UpdateAsync(string modelId, Func<ModelDescriptor, ModelDescriptor> change, CancellationToken cancellationToken = default);

    /// <summary>Changes a model with a description of the change that is kept on the revision.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="change">Produces the new descriptor from the current one; the id cannot change. It may run more than once when other writers race.</param>
    /// <param name="description">Why the change was made, kept as <see cref="ModelRevision.Description"/>; <see langword="null"/> for a generated one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision, or the current one when the change changed nothing.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    /// <exception cref="ValidationException">The changed model is invalid; every problem is listed.</exception>
    ValueTask<ModelDescriptor> UpdateAsync(string modelId, Func<ModelDescriptor, ModelDescriptor> change, string? description, CancellationToken cancellationToken = default);

    /// <summary>Marks a model as deprecated, as a new revision.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="reason">Why, kept as <see cref="ModelDescriptor.StatusReason"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    /// <exception cref="InvalidOperationException">The model is retired.</exception>
    ValueTask<ModelDescriptor> DeprecateAsync(string modelId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Marks a model as deprecated in favour of another, as a new revision.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="reason">Why, kept as <see cref="ModelDescriptor.StatusReason"/>.</param>
    /// <param name="replacementModelId">The registered model to use instead, kept as <see cref="ModelDescriptor.ReplacementModelId"/>; it must exist and not be retired.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    /// <exception cref="ValidationException">The replacement does not exist, is retired, is the model itself, or the reason is too long.</exception>
    /// <exception cref="InvalidOperationException">The model is retired.</exception>
    ValueTask<ModelDescriptor> DeprecateAsync(string modelId, string? reason, string? replacementModelId, CancellationToken cancellationToken = default);

    /// <summary>Marks a model as retired (no longer available; kept for the history of its runs), as a new revision.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="reason">Why, kept as <see cref="ModelDescriptor.StatusReason"/>; the previous reason is kept when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    ValueTask<ModelDescriptor> RetireAsync(string modelId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model and all its revisions, when nothing refers to it.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when deleted; <see langword="false"/> when no model has that id.</returns>
    /// <exception cref="ModelInUseException">Stored runs reference the model, or other models name it as their replacement; nothing was deleted. Retire it instead.</exception>
    ValueTask<bool> DeleteAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Reads every revision of a model, oldest first.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revisions; none when no model has that id.</returns>
    IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Reads every revision record of a model (the model, who changed it, when, and which fields), oldest first.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revision records; none when no model has that id.</returns>
    IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Finds the models that have every required capability, whatever their status.</summary>
    /// <param name="required">The required capabilities; trimmed and lower-cased before matching. None required finds every model.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The matching models, ordered by id.</returns>
    /// <exception cref="ArgumentException">A required capability is not well-formed (for example <c>"long_context"</c>).</exception>
    ValueTask<IReadOnlyList<ModelDescriptor>> FindByCapabilitiesAsync(IEnumerable<string> required, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets an immutable snapshot of every model with the registry's version (the store's model change counter). When the
    /// cached snapshot is fresh this completes synchronously and allocates nothing.
    /// </summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The snapshot; the same instance until a model changes.</returns>
    ValueTask<ModelRegistrySnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);
}
