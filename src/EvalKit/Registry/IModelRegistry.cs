namespace EvalKit.Registry;

/// <summary>The model registry: models, their revisions, capabilities, pricing and status.</summary>
public interface IModelRegistry
{
    /// <summary>Registers a new model as revision 1.</summary>
    /// <param name="model">The model; its <see cref="ModelDescriptor.Revision"/> and <see cref="ModelDescriptor.UpdatedAt"/> are set by the registry.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored model.</returns>
    /// <exception cref="ArgumentException">The model's metadata is invalid.</exception>
    /// <exception cref="EvalKitException">A model with the same id is already registered.</exception>
    ValueTask<ModelDescriptor> RegisterAsync(ModelDescriptor model, CancellationToken cancellationToken = default);

    /// <summary>Gets the latest revision of a model.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The model, or <see langword="null"/> when no model has that id.</returns>
    ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Lists models, ordered by id.</summary>
    /// <param name="query">Optional filters.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The matching models.</returns>
    IAsyncEnumerable<ModelDescriptor> ListAsync(ModelQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Changes a model; the change is stored as a new revision.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="change">Produces the new descriptor from the current one; the id cannot change.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    ValueTask<ModelDescriptor> UpdateAsync(string modelId, Func<ModelDescriptor, ModelDescriptor> change, CancellationToken cancellationToken = default);

    /// <summary>Marks a model as deprecated, as a new revision.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="reason">Why, kept in the model's metadata under <c>deprecation.reason</c>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new revision.</returns>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    ValueTask<ModelDescriptor> DeprecateAsync(string modelId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Reads every revision of a model, oldest first.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revisions; none when no model has that id.</returns>
    IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Finds the models that have every required capability.</summary>
    /// <param name="required">The required capabilities.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The matching models, ordered by id.</returns>
    ValueTask<IReadOnlyList<ModelDescriptor>> FindByCapabilitiesAsync(IEnumerable<string> required, CancellationToken cancellationToken = default);
}
