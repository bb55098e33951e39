using System.Runtime.CompilerServices;
using EvalKit.Registry;

namespace EvalKit.Storage;

/// <summary>
/// Stores models; every write of a model is also kept as a revision, and every committed model write (add, update,
/// delete) advances the store's model change counter in the same transaction.
/// </summary>
/// <remarks>
/// A provider implements the members without a body: <see cref="TryAddAsync(ModelRevision, CancellationToken)"/>,
/// <see cref="TryUpdateAsync(ModelRevision, int, CancellationToken)"/>, <see cref="GetAsync"/>, <see cref="ListAsync"/>,
/// <see cref="GetRevisionsAsync"/>, <see cref="DeleteAsync"/> and <see cref="GetChangeCounterAsync"/>. The descriptor-only
/// members have default bodies written in terms of those; a provider may override them with something faster.
/// </remarks>
public interface IModelStorage
{
    /// <summary>Adds a model (and its first revision, made by <c>"system"</c>) unless one with the same id exists.</summary>
    /// <param name="model">The model, with its revision set.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id is taken.</returns>
    ValueTask<bool> TryAddAsync(ModelDescriptor model, CancellationToken cancellationToken = default) =>
        TryAddAsync(ModelRevision.Of(model), cancellationToken);

    /// <summary>Replaces a model with a new revision (made by <c>"system"</c>) if its current revision is <paramref name="expectedRevision"/>.</summary>
    /// <param name="model">The new revision.</param>
    /// <param name="expectedRevision">The revision the change was based on.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when the model is missing or another writer got there first.</returns>
    ValueTask<bool> TryUpdateAsync(ModelDescriptor model, int expectedRevision, CancellationToken cancellationToken = default) =>
        TryUpdateAsync(ModelRevision.Of(model), expectedRevision, cancellationToken);

    /// <summary>
    /// Adds a model and its first revision record unless a model with the same id exists, in one transaction that also
    /// advances the change counter.
    /// </summary>
    /// <param name="revision">The first revision; its <see cref="ModelRevision.Model"/> is the model to add, with its revision set.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> (and nothing written, the counter unchanged) when the id is taken.</returns>
    ValueTask<bool> TryAddAsync(ModelRevision revision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a model with a new revision and stores the revision record, if the model's current revision is
    /// <paramref name="expectedRevision"/>, in one transaction that also advances the change counter.
    /// </summary>
    /// <param name="revision">The new revision; its <see cref="ModelRevision.Model"/> is the model as changed, with its revision set.</param>
    /// <param name="expectedRevision">The revision the change was based on.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> (nothing written, the counter unchanged) when the model is missing or another writer got there first.</returns>
    ValueTask<bool> TryUpdateAsync(ModelRevision revision, int expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Gets the current revision of a model.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Lists the current revision of every model, ordered by id (ordinal).</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The models.</returns>
    IAsyncEnumerable<ModelDescriptor> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads every revision of a model, oldest first.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revisions; none when no model has that id.</returns>
    IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default) =>
        SelectModels(GetRevisionsAsync(modelId, cancellationToken), cancellationToken);

    /// <summary>Reads every revision record of a model (who, when, what changed), oldest first.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revision records; none when no model has that id.</returns>
    IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a model and every revision of it, unless a stored run references the model (its <c>ModelId</c>), in one
    /// transaction that also advances the change counter when something was deleted.
    /// </summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>
    /// <see cref="ModelDeleteResult.Deleted"/>; <see cref="ModelDeleteResult.NotFound"/>; or, when runs reference the
    /// model, a result with their count and up to <see cref="ModelDeleteResult.MaxListedRuns"/> of their ids, newest first,
    /// and nothing deleted.
    /// </returns>
    ValueTask<ModelDeleteResult> DeleteAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the model change counter: 0 for a new store, advanced by every committed model write (add, update, delete)
    /// in the same transaction as the write, and shared by every process and instance over the same store. Writes that
    /// change nothing (a taken id, a stale revision, a refused delete) leave it unchanged.
    /// </summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The counter. Only equality matters to readers: a different value means the models changed.</returns>
    /// <remarks>Caches of registry reads poll it, so it must be cheap: one tiny read, no scan.</remarks>
    ValueTask<long> GetChangeCounterAsync(CancellationToken cancellationToken = default);

    private static async IAsyncEnumerable<ModelDescriptor> SelectModels(IAsyncEnumerable<ModelRevision> revisions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var revision in revisions.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return revision.Model;
        }
    }
}
