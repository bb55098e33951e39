using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace EvalKit.Caching;

/// <summary>
/// EvalKit's cache of read answers, over a <see cref="HybridCache"/>: an in-process level, and a distributed level when the
/// host registers an <c>IDistributedCache</c>. Registry reads, aggregated answers about completed runs, selection decisions
/// and metrics queries go through it; every answer is keyed by tenant, kind and id, tagged for invalidation, and stamped
/// with the store's change counters (<see cref="IChangeCounterStorage"/>) it was computed under.
/// </summary>
/// <remarks>
/// <para>
/// An answer is served only while its stamp matches the counters. A process trusts the counters it read for
/// <see cref="EvalKitCachingOptions.CheckInterval"/>, then reads them again (one small query), so a write made by another
/// process is never served stale for longer than that interval. Writes through the same store instance are seen at once:
/// the store raises <see cref="IChangeCounterStorage.Advanced"/>, and the cache drops the answers tagged with the scopes
/// that moved and forgets the counters it read for them.
/// </para>
/// <para>
/// Tags are <c>evalkit:t:{tenant}</c> (everything of a tenant), <c>evalkit:t:{tenant}:{kind}</c> (<c>model</c>, <c>run</c>,
/// <c>metrics</c>, <c>selection</c>), <c>evalkit:k:{kind}</c> (a kind in every tenant), and one per dependency: <c>evalkit:t:{tenant}:run:{run id}</c>, <c>evalkit:t:{tenant}:runs</c> and
/// <c>evalkit:t:{tenant}:metrics:{model id}</c> (ids percent-encoded).
/// </para>
/// <para>Thread-safe. The cache does not own the <see cref="HybridCache"/>, the store or the clock.</para>
/// </remarks>
public sealed class EvalKitCache : IDisposable
{
    private const string Prefix = "evalkit:t:";
    private const int MaxSlots = 1 << 16;
    private static readonly string[] KindNames = ["model", "run", "metrics", "selection"];

    private readonly HybridCache _hybrid;
    private readonly IChangeCounterStorage? _counters;
    private readonly TimeProvider _time;
    private readonly ITenantContext _tenantContext;
    private readonly EvalKitCachingOptions _options;
    private readonly long _checkTicks;
    private readonly HybridCacheEntryOptions[] _shared;
    private readonly HybridCacheEntryOptions[] _localOnly;
    private readonly ConcurrentDictionary<(string Tenant, string Scope), Slot> _slots = new();
    private readonly bool _runsLocalOnly;

    /// <summary>Initializes a new instance of the <see cref="EvalKitCache"/> class.</summary>
    /// <param name="hybridCache">The cache the answers are kept in (not owned).</param>
    /// <param name="storage">The store whose change counters validate the answers (not owned).</param>
    /// <param name="timeProvider">The clock of the check interval.</param>
    /// <param name="options">EvalKit's options; <see cref="EvalKitOptions.Caching"/> is read once, here.</param>
    /// <param name="tenantContext">Names the tenant of each read; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The caching options are invalid.</exception>
    public EvalKitCache(HybridCache hybridCache, IEvalKitStorage storage, TimeProvider timeProvider, IOptions<EvalKitOptions> options, ITenantContext? tenantContext = null)
    {
        ArgumentNullException.ThrowIfNull(hybridCache);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        var caching = (options.Value ?? throw new ArgumentException("EvalKit's options are missing.", nameof(options))).Caching
            ?? throw new ArgumentException("EvalKitOptions.Caching is null.", nameof(options));
        caching.Validate();
        _options = caching.Copy();
        _hybrid = hybridCache;
        _time = timeProvider;
        _tenantContext = tenantContext ?? AmbientTenantContext.Instance;
        _checkTicks = (long)Math.Min(long.MaxValue / 2.0, _options.CheckInterval.TotalSeconds * timeProvider.TimestampFrequency);
        TimeSpan[] lifetimes = [_options.RegistryReads, _options.RunResults, _options.MetricsQueries, _options.SelectionDecisions];
        _shared = [.. lifetimes.Select(l => new HybridCacheEntryOptions { Expiration = l, LocalCacheExpiration = l })];
        _localOnly = [.. lifetimes.Select(l => new HybridCacheEntryOptions { Expiration = l, LocalCacheExpiration = l, Flags = HybridCacheEntryFlags.DisableDistributedCache })];
        try
        {
            _counters = storage.ChangeCounters;
        }
        catch (NotSupportedException)
        {
            _counters = null;
        }

        // Run results hold prompts and answers; over an encrypting store they must not leave the process in clear.
        _runsLocalOnly = IsEncrypted(storage);
        if (_options.Enabled && _counters is not null)
        {
            _counters.Advanced += OnAdvanced;
        }
    }

    /// <summary>Gets a value indicating whether answers are cached (<see cref="EvalKitCachingOptions.Enabled"/>).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Gets the options the cache was built with (a copy; changing it changes nothing).</summary>
    public EvalKitCachingOptions Options => _options.Copy();

    /// <summary>Gets a value indicating whether answers that depend on change counters can be cached (on, over a store that keeps counters).</summary>
    internal bool CanValidate => _options.Enabled && _counters is not null;

    /// <summary>Gets the check interval in <see cref="TimeProvider"/> timestamp ticks.</summary>
    internal long CheckTicks => _checkTicks;

    /// <summary>Gets the clock.</summary>
    internal TimeProvider Time => _time;

    /// <summary>Gets the tenant of the current operation.</summary>
    internal string Tenant => EvalKitTenant.Resolve(_tenantContext);

    /// <summary>
    /// Drops every cached answer of the current tenant in this process and forgets the counters read for it, so that the
    /// next reads go to the store. For writes made around EvalKit (a script on the database) and after an erasure.
    /// </summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the answers are dropped.</returns>
    public ValueTask InvalidateAsync(CancellationToken cancellationToken = default)
    {
        var tenant = Tenant;
        foreach (var (key, slot) in _slots)
        {
            if (string.Equals(key.Tenant, tenant, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref slot.Generation);
            }
        }

        TenantInvalidated?.Invoke(tenant);
        return _hybrid.RemoveByTagAsync(TenantTag(tenant), cancellationToken);
    }

    /// <summary>Occurs when <see cref="InvalidateAsync"/> drops a tenant's answers, so that caches in front of this one (the selection engine's) drop theirs.</summary>
    internal event Action<string>? TenantInvalidated;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_counters is not null)
        {
            _counters.Advanced -= OnAdvanced;
        }
    }

    /// <summary>Gets the tag of every answer of a tenant.</summary>
    internal static string TenantTag(string tenant) => Prefix + Escape(tenant);

    /// <summary>Gets the tag of the answers that depend on a scope.</summary>
    internal static string ScopeTag(string tenant, ChangeScope scope) =>
        scope == ChangeScope.Epoch ? TenantTag(tenant) : TenantTag(tenant) + ":" + Escape(scope.Name);

    /// <summary>Gets the tag of a kind's answers of every tenant.</summary>
    internal static string KindEverywhereTag(CacheKind kind) => "evalkit:k:" + KindNames[(int)kind];

    /// <summary>Gets the tag of a kind's answers.</summary>
    internal static string KindTag(string tenant, CacheKind kind) => TenantTag(tenant) + ":" + KindNames[(int)kind];

    /// <summary>
    /// Gets an answer that depends on the given scopes (the tenant's epoch is added): from the cache while its stamp matches
    /// the counters, or from <paramref name="factory"/>. Computes it directly when caching is off or the store keeps no counters.
    /// </summary>
    /// <param name="kind">The kind of answer: its lifetime and tag.</param>
    /// <param name="id">The answer's id within the kind (a run id, a model id, a name).</param>
    /// <param name="args">Everything else the answer depends on, in a canonical text (see <see cref="CacheArgs"/>); hashed into the key.</param>
    /// <param name="scopes">The change counters the answer depends on.</param>
    /// <param name="state">The factory's state.</param>
    /// <param name="factory">Computes the answer.</param>
    /// <param name="cacheable">Says whether a computed answer may be kept (answers about runs still running may not); all may when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    internal async ValueTask<T> GetOrCreateAsync<TState, T>(
        CacheKind kind, string id, string? args, ChangeScope[] scopes, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, Func<T, bool>? cacheable, CancellationToken cancellationToken) =>
        (await GetOrCreateEntryAsync(kind, id, args, scopes, state, factory, cacheable, usable: null, localOnly: false, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Gets an answer as <see cref="GetOrCreateAsync"/> does, with the stamp it was checked against, and with two more
    /// conditions: a cached answer is served only when <paramref name="usable"/> accepts it (otherwise it is computed again and
    /// replaced), and <paramref name="localOnly"/> keeps it out of the distributed level.
    /// </summary>
    /// <returns>The answer, and the stamp of the scopes it holds under (0 when nothing is cached).</returns>
    internal async ValueTask<(T Value, long Stamp)> GetOrCreateEntryAsync<TState, T>(
        CacheKind kind,
        string id,
        string? args,
        ChangeScope[] scopes,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        Func<T, bool>? cacheable,
        Func<T, bool>? usable,
        bool localOnly,
        CancellationToken cancellationToken)
    {
        if (!CanValidate)
        {
            return (await factory(state, cancellationToken).ConfigureAwait(false), 0);
        }

        var tenant = Tenant;
        var key = Key(tenant, kind, id, args);
        var stamp = await GetStampAsync(tenant, scopes, force: false, cancellationToken).ConfigureAwait(false);
        var options = !localOnly && CachedAnswerSerializerFactory.Supports<T>() && !(kind == CacheKind.Run && _runsLocalOnly) ? _shared[(int)kind] : _localOnly[(int)kind];
        var tags = Tags(tenant, kind, scopes);
        CachedAnswer<T> entry;
        try
        {
            entry = await _hybrid.GetOrCreateAsync(
                key,
                (Context: ExecutionContext.Capture(), Tenant: tenant, Stamp: stamp, State: state, Factory: factory, Cacheable: cacheable),
                static (s, ct) => InCallerContext(s.Context, () => CreateAsync(s.Tenant, s.Stamp, s.State, s.Factory, s.Cacheable, ct)),
                options,
                tags,
                cancellationToken).ConfigureAwait(false);
        }
        catch (NotCacheableException<T> e)
        {
            return (e.Value, stamp);
        }

        if (Holds(entry, tenant, stamp, usable))
        {
            return (entry.Value, stamp);
        }

        // Stamped under other counters: ours may be the older ones (another process computed it since we last checked).
        stamp = await GetStampAsync(tenant, scopes, force: true, cancellationToken).ConfigureAwait(false);
        if (Holds(entry, tenant, stamp, usable))
        {
            return (entry.Value, stamp);
        }

        var value = await OnPrimaryAsync(state, factory, cancellationToken).ConfigureAwait(false);
        if (cacheable is null || cacheable(value))
        {
            await _hybrid.SetAsync(key, new CachedAnswer<T>(tenant, stamp, value), options, tags, cancellationToken).ConfigureAwait(false);
        }

        return (value, stamp);
    }

    /// <summary>Gets an answer stamped by the caller (the registry stamps its snapshots with the model change counter).</summary>
    internal async ValueTask<T> GetOrCreateStampedAsync<TState, T>(
        CacheKind kind, string id, long stamp, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return await factory(state, cancellationToken).ConfigureAwait(false);
        }

        var tenant = Tenant;
        var key = Key(tenant, kind, id, args: null);
        var options = CachedAnswerSerializerFactory.Supports<T>() ? _shared[(int)kind] : _localOnly[(int)kind];
        string[] tags = [TenantTag(tenant), KindTag(tenant, kind), KindEverywhereTag(kind)];
        var entry = await _hybrid.GetOrCreateAsync(
            key,
            (Context: ExecutionContext.Capture(), Tenant: tenant, Stamp: stamp, State: state, Factory: factory),
            static (s, ct) => InCallerContext(s.Context, () => CreateAsync<TState, T>(s.Tenant, s.Stamp, s.State, s.Factory, null, ct)),
            options,
            tags,
            cancellationToken).ConfigureAwait(false);
        if (string.Equals(entry.Tenant, tenant, StringComparison.Ordinal) && entry.Stamp == stamp)
        {
            return entry.Value;
        }

        var fresh = new CachedAnswer<T>(tenant, stamp, await OnPrimaryAsync(state, factory, cancellationToken).ConfigureAwait(false));
        await _hybrid.SetAsync(key, fresh, options, tags, cancellationToken).ConfigureAwait(false);
        return fresh.Value;
    }

    /// <summary>
    /// Drops the answers of a kind for every tenant in this process, including those this process would read from the
    /// distributed level (HybridCache refuses entries older than a tag's removal). The selection engine calls it when its
    /// evidence source's version moves.
    /// </summary>
    internal ValueTask InvalidateKindEverywhereAsync(CacheKind kind, CancellationToken cancellationToken) =>
        _options.Enabled ? _hybrid.RemoveByTagAsync(KindEverywhereTag(kind), cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Drops the answers of a kind for the current tenant in this process (registry writes call it).</summary>
    internal void InvalidateKind(CacheKind kind)
    {
        if (_options.Enabled)
        {
            Observe(_hybrid.RemoveByTagAsync(KindTag(Tenant, kind)));
        }
    }

    /// <summary>
    /// Gets the stamp of some scopes (the tenant's epoch is added): a hash of their counters, read from the store unless this
    /// process read them within the check interval and no local write moved them since.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="scopes">The scopes.</param>
    /// <param name="force">Whether to read the store whatever the interval.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    internal ValueTask<long> GetStampAsync(string tenant, ChangeScope[] scopes, bool force, CancellationToken cancellationToken)
    {
        if (!force && TryGetFreshStamp(tenant, scopes, out var stamp))
        {
            return new ValueTask<long>(stamp);
        }

        return ReadStampAsync(tenant, scopes, cancellationToken);
    }

    /// <summary>Gets the stamp of some scopes without reading the store, when every counter is fresh.</summary>
    internal bool TryGetFreshStamp(string tenant, ChangeScope[] scopes, out long stamp)
    {
        var now = _time.GetTimestamp();
        var hash = Mix(Offset, Lookup(tenant, ChangeScope.Epoch, now, out var fresh));
        for (var i = 0; fresh && i < scopes.Length; i++)
        {
            hash = Mix(hash, Lookup(tenant, scopes[i], now, out fresh));
        }

        stamp = hash;
        return fresh;
    }

    private async ValueTask<long> ReadStampAsync(string tenant, ChangeScope[] scopes, CancellationToken cancellationToken)
    {
        if (_slots.Count > MaxSlots)
        {
            _slots.Clear();
        }

        // Generations and the time are taken before the read: a local write while reading makes the values stale at once.
        var all = new ChangeScope[scopes.Length + 1];
        all[0] = ChangeScope.Epoch;
        scopes.CopyTo(all, 1);
        var slots = new Slot[all.Length];
        var generations = new long[all.Length];
        for (var i = 0; i < all.Length; i++)
        {
            slots[i] = _slots.GetOrAdd((tenant, all[i].Name), static _ => new Slot());
            generations[i] = Volatile.Read(ref slots[i].Generation);
        }

        var checkedAt = _time.GetTimestamp();
        // The store resolves the same tenant: this runs in the caller's flow.
        var values = await _counters!.ReadAsync(all, cancellationToken).ConfigureAwait(false);

        var hash = Offset;
        for (var i = 0; i < all.Length; i++)
        {
            Volatile.Write(ref slots[i].Reading, new Reading(values[i], checkedAt, generations[i]));
            hash = Mix(hash, values[i]);
        }

        return hash;
    }

    private long Lookup(string tenant, ChangeScope scope, long now, out bool fresh)
    {
        if (_slots.TryGetValue((tenant, scope.Name), out var slot)
            && Volatile.Read(ref slot.Reading) is { } reading
            && reading.Generation == Volatile.Read(ref slot.Generation)
            && now - reading.CheckedAt < _checkTicks)
        {
            fresh = true;
            return reading.Value;
        }

        fresh = false;
        return 0;
    }

    private void OnAdvanced(object? sender, ChangeCountersAdvancedEventArgs e)
    {
        var tags = new string[e.Scopes.Count];
        for (var i = 0; i < e.Scopes.Count; i++)
        {
            if (_slots.TryGetValue((e.Tenant, e.Scopes[i].Name), out var slot))
            {
                Interlocked.Increment(ref slot.Generation);
            }

            tags[i] = ScopeTag(e.Tenant, e.Scopes[i]);
        }

        Observe(_hybrid.RemoveByTagAsync(tags));
    }

    private static bool Holds<T>(CachedAnswer<T> entry, string tenant, long stamp, Func<T, bool>? usable) =>
        string.Equals(entry.Tenant, tenant, StringComparison.Ordinal) && entry.Stamp == stamp && (usable is null || usable(entry.Value));

    private static bool IsEncrypted(IEvalKitStorage storage) => storage switch
    {
        EncryptingEvalKitStorage => true,
        RedactingEvalKitStorage redacting => IsEncrypted(redacting.Inner),
        _ => false,
    };

    private static async ValueTask<CachedAnswer<T>> CreateAsync<TState, T>(
        string tenant, long stamp, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, Func<T, bool>? cacheable, CancellationToken cancellationToken)
    {
        var value = await OnPrimaryAsync(state, factory, cancellationToken).ConfigureAwait(false);
        return cacheable is null || cacheable(value) ? new CachedAnswer<T>(tenant, stamp, value) : throw new NotCacheableException<T>(value);
    }

    /// <summary>
    /// Computes an answer to be cached from the primary: it is stamped with change counters read from the primary, and an
    /// answer read from a lagging replica under a fresh stamp would be served stale until the next write.
    /// </summary>
    private static async ValueTask<T> OnPrimaryAsync<TState, T>(TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken)
    {
        using (Storage.ReadConsistency.RequirePrimary())
        {
            return await factory(state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a factory in the caller's execution context. HybridCache may run a factory without it (on a pooled thread, for
    /// the first of several callers); the tenant scope, like every async-local, must still be the caller's, or the factory
    /// would compute another tenant's answer under this tenant's key.
    /// </summary>
    private static ValueTask<TResult> InCallerContext<TResult>(ExecutionContext? context, Func<ValueTask<TResult>> start)
    {
        if (context is null)
        {
            return start();
        }

        var box = new StrongBox<Task<TResult>>();
        ExecutionContext.Run(context, static b => { var (box, start) = ((StrongBox<Task<TResult>>, Func<ValueTask<TResult>>))b!; box.Value = start().AsTask(); }, (box, start));
        return new ValueTask<TResult>(box.Value!);
    }

    private static void Observe(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(task);
        }

        static async Task ObserveAsync(ValueTask task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failed tag removal in a distributed level must not fail the write that caused it; the counters still invalidate.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static string[] Tags(string tenant, CacheKind kind, ChangeScope[] scopes)
    {
        var tags = new string[scopes.Length + 3];
        tags[0] = TenantTag(tenant);
        tags[1] = KindTag(tenant, kind);
        tags[2] = KindEverywhereTag(kind);
        for (var i = 0; i < scopes.Length; i++)
        {
            tags[i + 3] = ScopeTag(tenant, scopes[i]);
        }

        return tags;
    }

    private static string Key(string tenant, CacheKind kind, string id, string? args) =>
        args is null
            ? $"{Prefix}{Escape(tenant)}:{KindNames[(int)kind]}:{Escape(id)}"
            : $"{Prefix}{Escape(tenant)}:{KindNames[(int)kind]}:{Escape(id)}:{Digest(args)}";

    // Ids may hold ':' (model ids, tenants); escaping keeps every key and tag unambiguous, so tenants can never share one.
    private static string Escape(string text) => Uri.EscapeDataString(text);

    private static string Digest(string args) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(args)), 0, 16);

    private const long Offset = unchecked((long)0xcbf29ce484222325);

    private static long Mix(long hash, long value)
    {
        unchecked
        {
            for (var i = 0; i < 8; i++)
            {
                hash ^= (byte)(value >> (8 * i));
                hash *= 0x100000001b3;
            }

            return hash;
        }
    }

    /// <summary>Carries an answer that must not be kept out of the cache's factory, so that nothing is stored.</summary>
#pragma warning disable CA1032, CA1064 // Private and never seen outside the cache: no other constructors are needed.
    private sealed class NotCacheableException<T>(T value) : Exception("The answer is not cacheable.")
#pragma warning restore CA1032, CA1064
    {
        public T Value { get; } = value;
    }

    /// <summary>What this process last read of one counter, and the local generation it was read at.</summary>
    private sealed record Reading(long Value, long CheckedAt, long Generation);

    /// <summary>One (tenant, scope) counter as this process knows it.</summary>
    private sealed class Slot
    {
#pragma warning disable SA1401, CA1051 // Read and written with Volatile and Interlocked, which need fields.
        public long Generation;
        public Reading? Reading;
#pragma warning restore SA1401, CA1051
    }
}
