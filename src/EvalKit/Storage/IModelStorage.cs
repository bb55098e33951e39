using EvalKit.Registry;

namespace EvalKit.Storage;

/// <summary>Stores models; every write of a model is also kept as a revision.</summary>
public interface IModelStorage
{
    /// <summary>Adds a model (and its first revision) unless one with the same id exists.</summary>
    /// <param name="model">The model, with its revision set.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id is taken.</returns>
    ValueTask<bool> TryAddAsync(ModelDescriptor model, CancellationToken cancellationToken = default);

    /// <summary>Replaces a model with a new revision if its current revision is <paramref name="expectedRevision"/>.</summary>
    /// <param name="model">The new revision.</param>
    /// <param name="expectedRevision">The revision the change was based on.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when the model is missing or another writer got there first.</returns>
    ValueTask<bool> TryUpdateAsync(ModelDescriptor model, int expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Gets the current revision of a model.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Lists the current revision of every model, ordered by id.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The models.</returns>
    IAsyncEnumerable<ModelDescriptor> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads every revision of a model, oldest first.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revisions.</returns>
    IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default);
}
