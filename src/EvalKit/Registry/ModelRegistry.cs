using System.Runtime.CompilerServices;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Registry;

/// <summary>
/// The model registry over the configured store. Reads come from an in-memory snapshot that is refreshed when the store's
/// model change counter moves (see <see cref="ModelRegistryOptions.CacheRefreshInterval"/>); writes go to the store, record
/// a revision (who, when, what changed) and invalidate the snapshot at once.
/// </summary>
public sealed partial class ModelRegistry : IModelRegistry
{
    /// <summary>The longest actor name recorded on a revision.</summary>
    public const int MaxActorLength = 200;

    /// <summary>The longest caller's description of a change.</summary>
    public const int MaxDescriptionLength = 1_000;

    // How many times an update is re-applied on top of concurrent writers before it gives up.
    private const int MaxUpdateAttempts = 32;

    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly IEvalKitActorContext _actor;
    private readonly OperationGuard _guard;

    /// <summary>Initializes a new instance of the <see cref="ModelRegistry"/> class that records changes as made by <c>"system"</c>, with default options.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock (not owned): revision times and the cache's refresh interval.</param>
    public ModelRegistry(IEvalKitStorage storage, TimeProvider timeProvider)
        : this(storage, timeProvider, SystemActorContext.Instance, Options.Create(new ModelRegistryOptions()))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelRegistry"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock (not owned): revision times and the cache's refresh interval.</param>
    /// <param name="actorContext">Names who makes each change.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ModelRegistry(IEvalKitStorage storage, TimeProvider timeProvider, IEvalKitActorContext actorContext, IOptions<ModelRegistryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(actorContext);
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value ?? throw new ArgumentException("The registry options are missing.", nameof(options));
        value.Validate();
        _storage = storage;
        _time = timeProvider;
        _actor = actorContext;
        _refreshInterval = value.CacheRefreshInterval;
        _guard = new OperationGuard(storage, timeProvider, actorContext: actorContext);
    }

    /// <summary>Initializes a new instance of the <see cref="ModelRegistry"/> class whose writes a guard authorizes and audits.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock (not owned): revision times and the cache's refresh interval.</param>
    /// <param name="actorContext">Names who makes each change.</param>
    /// <param name="options">The options.</param>
    /// <param name="guard">Authorizes and audits register, update, deprecate, retire and delete.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ModelRegistry(IEvalKitStorage storage, TimeProvider timeProvider, IEvalKitActorContext actorContext, IOptions<ModelRegistryOptions> options, OperationGuard guard)
        : this(storage, timeProvider, actorContext, options)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ModelRegistry"/> class whose writes a guard authorizes and audits, and
    /// whose model snapshots go through EvalKit's cache (shared with other processes when it has a distributed level).
    /// </summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock (not owned): revision times and the cache's refresh interval.</param>
    /// <param name="actorContext">Names who makes each change.</param>
    /// <param name="options">The options.</param>
    /// <param name="guard">Authorizes and audits register, update, deprecate, retire and delete.</param>
    /// <param name="cache">EvalKit's cache; when it is off (<see cref="Caching.EvalKitCachingOptions.Enabled"/>), every read goes to the store.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ModelRegistry(IEvalKitStorage storage, TimeProvider timeProvider, IEvalKitActorContext actorContext, IOptions<ModelRegistryOptions> options, OperationGuard guard, Caching.EvalKitCache cache)
        : this(storage, timeProvider, actorContext, options, guard)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cachingEnabled = cache.Enabled;
        _cache = cache.Enabled ? cache : null;
    }

    /// <inheritdoc/>
    public async ValueTask<ModelDescriptor> RegisterAsync(ModelDescriptor model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return await _guard.RunAsync(
            EvalKitOperationKinds.ModelRegister, EvalKitRecordTypes.Model, model.Id, () => RegisterCoreAsync(model, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ModelDescriptor> RegisterCoreAsync(ModelDescriptor model, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var stored = model with { Revision = 1, UpdatedAt = _time.GetUtcNow() };
        await ValidateAsync(stored, previous: null, cancellationToken).ConfigureAwait(false);
        var revision = new ModelRevision
        {
            Model = stored,
            ChangedBy = CurrentActor(),
            Kind = ModelChangeKind.Registered,
            Description = ModelDiff.Describe(ModelChangeKind.Registered, [], stored),
        };
        if (!await _storage.Models.TryAddAsync(revision, cancellationToken).ConfigureAwait(false))
        {
            // The store holds a model this registry's snapshot does not know (another process wrote it since the last
            // refresh): drop the snapshot so that the caller's next read sees it.
            Invalidate();
            throw new EvalKitException($"A model with id '{model.Id}' is already registered; use UpdateAsync to change it.");
        }

        Invalidate();
        return stored;
    }

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        if (!_cachingEnabled)
        {
            return ReadAsync(_storage, modelId, cancellationToken);
        }

        var snapshot = GetSnapshotAsync(cancellationToken);
        return snapshot.IsCompletedSuccessfully
            ? new ValueTask<ModelDescriptor?>(snapshot.Result.Find(modelId))
            : FindAsync(snapshot, modelId);

        static async ValueTask<ModelDescriptor?> FindAsync(ValueTask<ModelRegistrySnapshot> pending, string modelId) =>
            (await pending.ConfigureAwait(false)).Find(modelId);

        static async ValueTask<ModelDescriptor?> ReadAsync(IEvalKitStorage storage, string modelId, CancellationToken cancellationToken)
        {
            await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return await storage.Models.GetAsync(modelId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ModelDescriptor> ListAsync(ModelQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query = Normalize(query);
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        foreach (var model in snapshot.Models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (query is null || query.Matches(model))
            {
                yield return model;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor> UpdateAsync(string modelId, Func<ModelDescriptor, ModelDescriptor> change, CancellationToken cancellationToken = default) =>
        UpdateAsync(modelId, change, description: null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor> UpdateAsync(string modelId, Func<ModelDescriptor, ModelDescriptor> change, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(change);
        if (description is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(description);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(description.Length, MaxDescriptionLength, nameof(description));
        }

        return ChangeAsync(modelId, change, ModelChangeKind.Updated, description, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor> DeprecateAsync(string modelId, string? reason = null, CancellationToken cancellationToken = default) =>
        DeprecateAsync(modelId, reason, replacementModelId: null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor> DeprecateAsync(string modelId, string? reason, string? replacementModelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return ChangeAsync(
            modelId,
            m => m.Status == ModelStatus.Retired
                ? throw new InvalidOperationException($"Model '{m.Id}' is retired and cannot be deprecated; reactivate it first with UpdateAsync (Status = Active).")
                : m with { Status = ModelStatus.Deprecated, StatusReason = reason ?? m.StatusReason, ReplacementModelId = replacementModelId ?? m.ReplacementModelId },
            ModelChangeKind.Deprecated,
            description: null,
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor> RetireAsync(string modelId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return ChangeAsync(
            modelId,
            m => m with { Status = ModelStatus.Retired, StatusReason = reason ?? m.StatusReason },
            ModelChangeKind.Retired,
            description: null,
            cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string modelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return await _guard.RunAsync(
            EvalKitOperationKinds.ModelDelete, EvalKitRecordTypes.Model, modelId, () => DeleteCoreAsync(modelId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> DeleteCoreAsync(string modelId, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);

        // Models that name this one as their replacement would be left pointing at nothing.
        var replaced = new List<string>();
        await foreach (var model in _storage.Models.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(model.ReplacementModelId, modelId, StringComparison.Ordinal) && !string.Equals(model.Id, modelId, StringComparison.Ordinal))
            {
                replaced.Add(model.Id);
            }
        }

        if (replaced.Count > 0)
        {
            var runIds = new List<string>();
            long runCount = 0;
            await foreach (var run in _storage.Runs.ListAsync(modelId, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (runCount++ < ModelDeleteResult.MaxListedRuns)
                {
                    runIds.Add(run.Id);
                }
            }

            throw new ModelInUseException(modelId, runCount, runIds, replaced);
        }

        var result = await _storage.Models.DeleteAsync(modelId, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case ModelDeleteStatus.Deleted:
                Invalidate();
                return true;
            case ModelDeleteStatus.NotFound:
                return false;
            default:
                throw new ModelInUseException(modelId, result.RunCount, result.RunIds, []);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var model in _storage.Models.GetHistoryAsync(modelId, cancellationToken).ConfigureAwait(false))
        {
            yield return model;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var revision in _storage.Models.GetRevisionsAsync(modelId, cancellationToken).ConfigureAwait(false))
        {
            yield return revision;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ModelDescriptor>> FindByCapabilitiesAsync(IEnumerable<string> required, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(required);
        string[] names = [.. required.Select(ModelCapabilities.Normalize)];
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<ModelDescriptor>();
        foreach (var model in snapshot.Models)
        {
            if (ModelQuery.HasAll(model.Capabilities, names))
            {
                found.Add(model);
            }
        }

        return found;
    }

    /// <summary>Checks a model's metadata and lists every problem at once.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="ValidationException">The model is invalid; <see cref="ValidationException.Errors"/> lists each problem.</exception>
    /// <remarks>The same as <see cref="ModelValidation.Validate"/>; whether a replacement model exists is checked only when the registry writes.</remarks>
    public static void Validate(ModelDescriptor model) => ModelValidation.Validate(model);

    private static ModelQuery? Normalize(ModelQuery? query)
    {
        if (query is null || (query.Capabilities is null && query.Tags is null))
        {
            return query;
        }

        return query with
        {
            Capabilities = query.Capabilities is null ? null : [.. query.Capabilities.Select(ModelCapabilities.Normalize)],
            Tags = query.Tags is null ? null : [.. query.Tags.Select(ModelCapabilities.Normalize)],
        };
    }

    private async ValueTask<ModelDescriptor> ChangeAsync(
        string modelId, Func<ModelDescriptor, ModelDescriptor> change, ModelChangeKind kind, string? description, CancellationToken cancellationToken)
    {
        var operation = kind switch
        {
            ModelChangeKind.Deprecated => EvalKitOperationKinds.ModelDeprecate,
            ModelChangeKind.Retired => EvalKitOperationKinds.ModelRetire,
            _ => EvalKitOperationKinds.ModelUpdate,
        };
        return await _guard.RunAsync(
            operation, EvalKitRecordTypes.Model, modelId, () => ChangeCoreAsync(modelId, change, kind, description, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ModelDescriptor> ChangeCoreAsync(
        string modelId, Func<ModelDescriptor, ModelDescriptor> change, ModelChangeKind kind, string? description, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            // Writes read the store, not the snapshot: the expected revision must be the latest one.
            var current = await _storage.Models.GetAsync(modelId, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(modelId);
            var changed = change(current) ?? throw new InvalidOperationException("The change function returned null.");
            if (!string.Equals(changed.Id, current.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A model's id cannot change (from '{current.Id}' to '{changed.Id}'); register a new model instead.", nameof(change));
            }

            if (changed with { Revision = current.Revision, UpdatedAt = current.UpdatedAt } == current)
            {
                // Nothing changed: no new revision.
                return current;
            }

            var next = changed with { Revision = current.Revision + 1, UpdatedAt = _time.GetUtcNow() };
            await ValidateAsync(next, current, cancellationToken).ConfigureAwait(false);
            var changes = ModelDiff.Compare(current, next);
            var revision = new ModelRevision
            {
                Model = next,
                ChangedBy = CurrentActor(),
                Kind = kind,
                Description = description ?? ModelDiff.Describe(kind, changes, next),
                Changes = changes,
            };
            if (await _storage.Models.TryUpdateAsync(revision, current.Revision, cancellationToken).ConfigureAwait(false))
            {
                Invalidate();
                return next;
            }

            // Another writer stored a revision in between: apply the change again on top of it.
        }

        throw new EvalKitException($"Model '{modelId}' was changed by other writers {MaxUpdateAttempts} times while this change was being applied; try again.");
    }

    private async ValueTask ValidateAsync(ModelDescriptor model, ModelDescriptor? previous, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>(ModelValidation.GetErrors(model));
        if (model.ReplacementModelId is { } replacementId
            && !string.Equals(replacementId, previous?.ReplacementModelId, StringComparison.Ordinal)
            && ModelValidation.IsValidId(replacementId)
            && !string.Equals(replacementId, model.Id, StringComparison.Ordinal))
        {
            var replacement = await _storage.Models.GetAsync(replacementId, cancellationToken).ConfigureAwait(false);
            if (replacement is null)
            {
                errors.Add(new(nameof(ModelDescriptor.ReplacementModelId), $"No model '{replacementId}' is registered; register the replacement first."));
            }
            else if (replacement.Status == ModelStatus.Retired)
            {
                errors.Add(new(nameof(ModelDescriptor.ReplacementModelId), $"Model '{replacementId}' is retired and cannot be a replacement."));
            }
        }

        if (errors.Count > 0)
        {
            // Never echo a secret that someone tried to register (see ModelValidation.GetCredentialErrors).
            throw new ValidationException($"Model '{Security.SecretText.Scrub(model.Id)}'", errors.Select(e => e with { Message = Security.SecretText.Scrub(e.Message) }));
        }
    }

    private string CurrentActor()
    {
        var actor = _actor.CurrentActor;
        return string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength
            ? throw new InvalidOperationException($"{_actor.GetType().Name}.CurrentActor returned '{actor}'; an actor must be a non-blank name of at most {MaxActorLength} characters.")
            : actor;
    }
}
