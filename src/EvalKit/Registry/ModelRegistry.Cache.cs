using System.Collections.Concurrent;
using EvalKit.Security;
using EvalKit.Storage;

namespace EvalKit.Registry;

/// <content>
/// The read cache. The registry keeps an immutable snapshot of every model, tagged with the store's model change
/// counter. A read trusts the snapshot for <see cref="ModelRegistryOptions.CacheRefreshInterval"/>; after that it reads
/// the counter (one tiny query) and reloads the models only when the counter moved, so writes by other registries or
/// processes on the same store are seen within the interval. Writes through this registry bump a local generation,
/// which makes the next read check the counter at once: a caller always reads its own writes.
/// Each tenant has its own snapshot, tagged with its own change counter: a tenant never reads another's models, and one
/// tenant's writes do not make the others reload.
/// </content>
public sealed partial class ModelRegistry
{
    private readonly TimeSpan _refreshInterval;
    private readonly Caching.EvalKitCache? _cache;
    private readonly bool _cachingEnabled = true;
    private readonly ConcurrentDictionary<string, CacheSlot> _caches = new(StringComparer.Ordinal);
    private long _generation;

    /// <inheritdoc/>
    public ValueTask<ModelRegistrySnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var slot = _caches.GetOrAdd(EvalKitTenant.Resolve(_guard.TenantContext), static _ => new CacheSlot());
        var entry = Volatile.Read(ref slot.Entry);
        if (entry is not null
            && _cachingEnabled
            && entry.Generation == Volatile.Read(ref _generation)
            && _refreshInterval > TimeSpan.Zero
            && _time.GetElapsedTime(entry.CheckedAt) < _refreshInterval)
        {
            return new ValueTask<ModelRegistrySnapshot>(entry.Snapshot);
        }

        return RefreshAsync(slot, entry, cancellationToken);
    }

    private async ValueTask<ModelRegistrySnapshot> RefreshAsync(CacheSlot slot, CacheEntry? entry, CancellationToken cancellationToken)
    {
        // Read the generation before the counter, and the counter before the models: a snapshot may then be newer than
        // its tags say, never older, so a stale one is always caught by the next check.
        var generation = Volatile.Read(ref _generation);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var counter = await _storage.Models.GetChangeCounterAsync(cancellationToken).ConfigureAwait(false);
        var installed = Volatile.Read(ref slot.Entry) ?? entry;
        if (installed is not null && installed.Snapshot.Version == counter && _cachingEnabled)
        {
            // Unchanged: trust it for another interval.
            return Install(slot, new CacheEntry(installed.Snapshot, generation, _time.GetTimestamp())).Snapshot;
        }

        // Through EvalKit's cache when there is one: another process (or this one, before a restart) that already loaded this
        // version shares it through the distributed level. The key is stamped with the counter, so it is never stale.
        var models = _cache is null
            ? await LoadModelsAsync(_storage, cancellationToken).ConfigureAwait(false)
            : await _cache.GetOrCreateStampedAsync(Caching.CacheKind.Model, "models", counter, _storage, LoadModelsAsync, cancellationToken).ConfigureAwait(false);

        var snapshot = Install(slot, new CacheEntry(new ModelRegistrySnapshot(counter, models), generation, _time.GetTimestamp())).Snapshot;
        if (installed is not null && snapshot.Version != installed.Snapshot.Version)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return snapshot;
    }

    private static async ValueTask<IReadOnlyList<ModelDescriptor>> LoadModelsAsync(IEvalKitStorage storage, CancellationToken cancellationToken)
    {
        var models = new List<ModelDescriptor>();
        await foreach (var model in storage.Models.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add(model);
        }

        return models;
    }

    /// <summary>Installs an entry in a tenant's slot unless a newer one is there; returns the entry in place.</summary>
    private static CacheEntry Install(CacheSlot slot, CacheEntry candidate)
    {
        while (true)
        {
            var current = Volatile.Read(ref slot.Entry);
            if (current is not null
                && (current.Snapshot.Version > candidate.Snapshot.Version
                    || (current.Snapshot.Version == candidate.Snapshot.Version && current.Generation > candidate.Generation)))
            {
                return current;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref slot.Entry, candidate, current), current))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Occurs after a write through this registry and when a read finds that another registry or process changed the
    /// store's models. Caches built on the registry (such as selection decisions) drop their entries on it.
    /// </summary>
    public event EventHandler? Changed;

    /// <summary>
    /// Called after every write through this registry (and after an erasure): the next read checks the store's counter,
    /// whatever the interval.
    /// </summary>
    internal void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _cache?.InvalidateKind(Caching.CacheKind.Model);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>A tenant's cached snapshot, replaced atomically.</summary>
    private sealed class CacheSlot
    {
#pragma warning disable SA1401, CA1051 // Read and swapped with Volatile and Interlocked, which need a field.
        public CacheEntry? Entry;
#pragma warning restore SA1401, CA1051
    }

    private sealed class CacheEntry(ModelRegistrySnapshot snapshot, long generation, long checkedAt)
    {
        public ModelRegistrySnapshot Snapshot { get; } = snapshot;

        public long Generation { get; } = generation;

        public long CheckedAt { get; } = checkedAt;
    }
}
