using System.Collections.Concurrent;
using System.Globalization;
using EvalKit.Caching;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Selection;

/// <summary>
/// The selection engine: filter by capability and status → evidence → constraints → optional Pareto front → score on fixed
/// reference scales (or TOPSIS) → rank with an ordinal tie-break on the model id. Decisions are cached per request (by value)
/// and evidence version; a cached decision is served synchronously without allocating.
/// </summary>
/// <remarks>
/// <para>
/// A cached decision is used while the evidence source's <see cref="ISelectionEvidenceSource.Version"/> is unchanged, its
/// evidence has not changed with time alone (<see cref="ModelEvidence.ChangesAt"/>: a runtime sample leaving the window), and
/// it is within its lifetime (by the injected <see cref="TimeProvider"/>). With EvalKit's cache the lifetime is
/// <see cref="Caching.EvalKitCachingOptions.SelectionDecisions"/> (1 hour), decisions go through <c>HybridCache</c>, and the
/// store's change counters are checked as for every cached answer; without it, the lifetime is
/// <see cref="SelectionOptions.DecisionTimeToLive"/>.
/// </para>
/// <para>
/// The engine is thread-safe; concurrent misses for the same request may each compute the decision once. What the online
/// learner has learnt stays in the process: a shared decision is the same everywhere, the online choice made from it is not.
/// </para>
/// Decisions and online learning are kept per tenant (see <see cref="EvalKitTenant"/>): a tenant's decision is made from
/// its own models and evidence and is never served to another tenant.
/// </remarks>
public sealed partial class SelectionEngine : ISelectionEngine
{
    private readonly IModelRegistry _registry;
    private readonly ISelectionEvidenceSource _evidence;
    private readonly TimeProvider _time;
    private readonly ReferenceScales _scales;
    private readonly int _minRuntimeSamples;
    private readonly double _missingScore;
    private readonly long _timeToLive;
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;
    private readonly Guid _origin = Guid.NewGuid();
    private readonly bool _shareable;
    private readonly string _settings;
    private long _flushedVersion;
    private long _generation;
    private readonly ConcurrentDictionary<(string Tenant, SelectionRequest Request), SelectionDecision> _cache = new();
    private readonly OnlineLearner _learner;
    private readonly ITenantContext _tenantContext;
    private readonly Caching.EvalKitCache? _stampCache;

    /// <summary>Initializes a new instance of the <see cref="SelectionEngine"/> class.</summary>
    /// <param name="registry">The model registry.</param>
    /// <param name="evidence">The evidence source (such as <see cref="StorageSelectionEvidenceSource"/>).</param>
    /// <param name="timeProvider">The clock: recency windows, decision lifetimes and timestamps.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>. Read once, here.</param>
    /// <param name="tenantContext">Names the tenant whose decisions a call reads and caches; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    /// <param name="cache">
    /// EvalKit's cache: when given, decisions are kept in it for <see cref="Caching.EvalKitCachingOptions.SelectionDecisions"/>
    /// (not at all when caching is off) and checked against the store's change counters (runs, candidates' metric points,
    /// models) every <see cref="Caching.EvalKitCachingOptions.CheckInterval"/>, so that another process's writes are seen within
    /// that interval. Decisions made from a <see cref="StorageSelectionEvidenceSource"/> are shared through the cache's
    /// distributed level; those of other sources stay in this engine.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SelectionEngine(
        IModelRegistry registry, ISelectionEvidenceSource evidence, TimeProvider timeProvider, IOptions<SelectionOptions>? options = null, ITenantContext? tenantContext = null, Caching.EvalKitCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var o = options?.Value ?? new SelectionOptions();
        o.Validate();
        _registry = registry;
        _evidence = evidence;
        _time = timeProvider;
        _scales = o.Scales.Copy();
        _minRuntimeSamples = o.MinRuntimeSamples;
        _missingScore = o.MissingEvidenceScore;
        // The cache's lifetime holds only where the store's counters can say a decision is stale; elsewhere the engine's own.
        _stampCache = cache is { CanValidate: true } ? cache : null;
        _lifetime = _stampCache is not null ? _stampCache.Options.SelectionDecisions : cache is { Enabled: false } ? TimeSpan.Zero : o.DecisionTimeToLive;
        _timeToLive = Ticks(_lifetime);
        _shareable = evidence is StorageSelectionEvidenceSource;
        _settings = string.Create(
            CultureInfo.InvariantCulture,
            $"cost {_scales.CostPer1kRequestsGood}..{_scales.CostPer1kRequestsBad}; latency {_scales.LatencyGood.Ticks}..{_scales.LatencyBad.Ticks}; errors {_scales.ErrorRateGood}..{_scales.ErrorRateBad}; min {_minRuntimeSamples}; missing {_missingScore}");
        _flushedVersion = evidence.Version;

        // A model written through the registry (or found changed in the store) makes every decision again, whatever the
        // evidence source; EvalKitCache.InvalidateAsync drops the tenant's decisions as it drops its other answers.
        if (registry is ModelRegistry observable)
        {
            observable.Changed += (_, _) => Interlocked.Increment(ref _generation);
        }

        if (cache is not null)
        {
            cache.TenantInvalidated += tenant => Forget(tenant, forgetLearning: false, modelId: null);
        }
        _capacity = o.DecisionCacheCapacity;
        _learner = new OnlineLearner(o.Online); // reads the values once
        _tenantContext = tenantContext ?? AmbientTenantContext.Instance;
    }

    /// <inheritdoc/>
    public ValueTask<ModelRecommendation> SelectAsync(SelectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryGetCached(request, out var decision) ? Choose(decision, request) : SelectSlowAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ModelRecommendation>> RankAsync(SelectionRequest request, int topK, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        return TryGetCached(request, out var decision)
            ? new ValueTask<IReadOnlyList<ModelRecommendation>>(Rank(decision, request, topK))
            : RankSlowAsync(request, topK, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<SelectionExplanation> ExplainAsync(SelectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryGetCached(request, out var decision)
            ? new ValueTask<SelectionExplanation>(decision.Explanation)
            : ExplainSlowAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public void RecordOutcome(SelectionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (string.IsNullOrWhiteSpace(outcome.ModelId))
        {
            throw new ArgumentException("SelectionOutcome.ModelId must be a model id.", "outcome.ModelId");
        }

        if (outcome.Quality is { } q && !(q >= 0 && q <= 1))
        {
            throw new ArgumentException($"SelectionOutcome.Quality must lie in [0, 1] (was {q}).", "outcome.Quality");
        }

        _learner.Record(Tenant, outcome.TaskClass, outcome.ModelId, outcome.Reward);
    }

    /// <summary>Gets the online learner's discounted evidence about a model in the current tenant: its weight in outcomes and its mean reward.</summary>
    internal (double Weight, double Mean) OnlinePosterior(string? taskClass, string modelId) => _learner.Posterior(Tenant, taskClass, modelId);

    private string Tenant => EvalKitTenant.Resolve(_tenantContext);

    /// <summary>
    /// Drops what the engine holds of erased data: the tenant's cached decisions and, when asked, its online-learning
    /// evidence (of one model, or of every model when <paramref name="modelId"/> is <see langword="null"/>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="forgetLearning">Whether to drop online-learning evidence too.</param>
    /// <param name="modelId">The erased model, or <see langword="null"/> for all of the tenant's.</param>
    internal void Forget(string tenant, bool forgetLearning, string? modelId)
    {
        foreach (var key in _cache.Keys)
        {
            if (string.Equals(key.Tenant, tenant, StringComparison.Ordinal))
            {
                _cache.TryRemove(key, out _);
            }
        }

        if (forgetLearning)
        {
            _learner.Forget(tenant, modelId);
        }
    }

    private bool TryGetCached(SelectionRequest request, out SelectionDecision decision)
    {
        if (!_cache.TryGetValue((Tenant, request), out decision!)
            || decision.Version != _evidence.Version
            || decision.Generation != Volatile.Read(ref _generation))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        return now < decision.Deadline
            && (_stampCache is null || now - decision.CheckedAt < _stampCache.CheckTicks);
    }

    /// <summary>
    /// Checks a cached decision whose check interval has passed against the store: the registry's models (the snapshot's
    /// version, which another process's model write moves) and the change counters it depends on.
    /// </summary>
    /// <returns>The decision when it still holds; otherwise <see langword="null"/>.</returns>
    private async ValueTask<SelectionDecision?> RevalidateAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        if (_stampCache is null
            || !_cache.TryGetValue((Tenant, request), out var decision)
            || _time.GetTimestamp() >= decision.Deadline)
        {
            return null;
        }

        var checkedAt = _time.GetTimestamp();
        var models = (await _registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).Version;
        var stamp = await _stampCache.GetStampAsync(Tenant, decision.Scopes, force: false, cancellationToken).ConfigureAwait(false);
        if (stamp != decision.Stamp
            || models != decision.Models
            || decision.Version != _evidence.Version
            || decision.Generation != Volatile.Read(ref _generation))
        {
            return null;
        }

        decision.Checked(checkedAt);
        return decision;
    }

    private ValueTask<ModelRecommendation> Choose(SelectionDecision decision, SelectionRequest request)
    {
        if (decision.Ranked.Length == 0)
        {
            return ValueTask.FromException<ModelRecommendation>(new NoEligibleModelException(decision.Explanation));
        }

        var index = request.Mode == SelectionMode.Online ? _learner.Choose(Tenant, decision, request.TaskClass) : 0;
        return new ValueTask<ModelRecommendation>(decision.Ranked[index]);
    }

    private IReadOnlyList<ModelRecommendation> Rank(SelectionDecision decision, SelectionRequest request, int topK)
    {
        if (request.Mode != SelectionMode.Online || decision.Ranked.Length <= 1)
        {
            return decision.Top(topK);
        }

        var chosen = _learner.Choose(Tenant, decision, request.TaskClass);
        var ranked = new List<ModelRecommendation>(Math.Min(topK, decision.Ranked.Length)) { decision.Ranked[chosen] };
        for (var i = 0; i < decision.Ranked.Length && ranked.Count < topK; i++)
        {
            if (i != chosen)
            {
                ranked.Add(decision.Ranked[i]);
            }
        }

        return ranked;
    }

    private async ValueTask<ModelRecommendation> SelectSlowAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(request, cancellationToken).ConfigureAwait(false);
        return await Choose(decision, request).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<ModelRecommendation>> RankSlowAsync(SelectionRequest request, int topK, CancellationToken cancellationToken) =>
        Rank(await DecideAsync(request, cancellationToken).ConfigureAwait(false), request, topK);

    private async ValueTask<SelectionExplanation> ExplainSlowAsync(SelectionRequest request, CancellationToken cancellationToken) =>
        (await DecideAsync(request, cancellationToken).ConfigureAwait(false)).Explanation;

    private async ValueTask<SelectionDecision> DecideAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        if (await RevalidateAsync(request, cancellationToken).ConfigureAwait(false) is { } still)
        {
            return still;
        }

        var tenant = Tenant;
        var decision = _stampCache is null
            ? await ComputeAsync(request, cancellationToken).ConfigureAwait(false)
            : await DecideThroughCacheAsync(_stampCache, request, cancellationToken).ConfigureAwait(false);
        if (_timeToLive > 0)
        {
            if (_cache.Count >= _capacity)
            {
                _cache.Clear();
            }

            _cache[(tenant, request)] = decision;
        }

        return decision;
    }

    /// <summary>Computes a decision without EvalKit's cache (held by this engine for <see cref="SelectionOptions.DecisionTimeToLive"/>).</summary>
    private async ValueTask<SelectionDecision> ComputeAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        // The version is read before the evidence: a change made while reading makes the decision stale at once.
        var version = _evidence.Version;
        var generation = Volatile.Read(ref _generation);
        var models = (await _registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).Version;
        var (screened, rejected) = await ScreenAsync(request, cancellationToken).ConfigureAwait(false);
        var computed = await AssessAsync(request, screened, rejected, version, cancellationToken).ConfigureAwait(false);
        return Hold(computed, version, generation, models, [], 0);
    }

    /// <summary>
    /// Gets a decision through EvalKit's cache: keyed by the request, the registry's version and the engine's settings, stamped
    /// with the store's change counters of the run list and of each screened model's metric points. A cached decision is
    /// served only while it is within its lifetime and its evidence has not changed with time; one computed by this engine
    /// also only while the evidence source's version is the one it was computed under.
    /// </summary>
    private async ValueTask<SelectionDecision> DecideThroughCacheAsync(EvalKitCache cache, SelectionRequest request, CancellationToken cancellationToken)
    {
        // The version is read before anything else: a change made while deciding makes the decision stale at once.
        var version = _evidence.Version;
        var generation = Volatile.Read(ref _generation);
        if (version != Volatile.Read(ref _flushedVersion))
        {
            // The source says its evidence changed: drop every decision this process could serve from before, its own and
            // those it would read from the distributed level.
            await cache.InvalidateKindEverywhereAsync(CacheKind.Selection, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _flushedVersion, version);
        }

        var models = (await _registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).Version;
        var (screened, rejected) = await ScreenAsync(request, cancellationToken).ConfigureAwait(false);
        ChangeScope[] scopes = [ChangeScope.Runs, .. screened.Select(m => ChangeScope.ModelMetrics(m.Id))];
        var key = CacheArgs.Of(_shareable
            ? new SelectionCacheKey(request, models, _settings, null, null)
            : new SelectionCacheKey(request, models, _settings, version, _origin));
        var now = _time.GetUtcNow();
        var (computed, stamp) = await cache.GetOrCreateEntryAsync(
            CacheKind.Selection,
            "decision",
            key,
            scopes,
            (Engine: this, Request: request, Screened: screened, Rejected: rejected, Version: version),
            static (s, ct) => s.Engine.AssessAsync(s.Request, s.Screened, s.Rejected, s.Version, ct),
            cacheable: null,
            usable: c => (c.Origin != _origin || c.Explanation.EvidenceVersion == version)
                && now - c.Explanation.ComputedAt < _lifetime
                && !(c.ChangesAt <= now),
            localOnly: !_shareable,
            cancellationToken).ConfigureAwait(false);
        return Hold(computed, version, generation, models, scopes, stamp);
    }

    /// <summary>Wraps a computed decision for this engine's front cache, with the deadline its lifetime and its evidence set.</summary>
    private SelectionDecision Hold(CachedSelection computed, long version, long generation, long models, ChangeScope[] scopes, long stamp)
    {
        var timestamp = _time.GetTimestamp();
        var now = _time.GetUtcNow();

        // Made in the future by this clock (another process's clock runs ahead, or this one stepped back): a whole lifetime.
        var elapsed = now - computed.Explanation.ComputedAt;
        var left = elapsed <= TimeSpan.Zero ? _lifetime : _lifetime - elapsed;
        if (computed.ChangesAt is { } changesAt && changesAt - now < left)
        {
            left = changesAt - now;
        }

        return new SelectionDecision(computed, version, timestamp, timestamp + Math.Max(0, Ticks(left)))
        {
            Scopes = scopes, Stamp = stamp, Models = models, Generation = generation,
        };
    }

    private long Ticks(TimeSpan span) => (long)Math.Clamp(span.TotalSeconds * _time.TimestampFrequency, long.MinValue / 2.0, long.MaxValue / 2.0);
}
