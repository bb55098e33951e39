using System.Collections.Concurrent;
using EvalKit.Registry;
using EvalKit.Security;
using Microsoft.Extensions.Options;

namespace EvalKit.Selection;

/// <summary>
/// The selection engine: filter by capability and status → evidence → constraints → optional Pareto front → score on fixed
/// reference scales (or TOPSIS) → rank with an ordinal tie-break on the model id. Decisions are cached per request (by value)
/// and evidence version; a cached decision is served synchronously without allocating.
/// </summary>
/// <remarks>
/// A cached decision is used while the evidence source's <see cref="ISelectionEvidenceSource.Version"/> is unchanged and the
/// decision is younger than <see cref="SelectionOptions.DecisionTimeToLive"/> (by the injected <see cref="TimeProvider"/>).
/// The engine is thread-safe; concurrent misses for the same request may each compute the decision once.
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
    private readonly int _capacity;
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
    /// EvalKit's cache: when given, a decision is kept for at most <see cref="Caching.EvalKitCachingOptions.SelectionDecisions"/>
    /// (and <see cref="SelectionOptions.DecisionTimeToLive"/>), none when caching is off, and a decision is checked against the
    /// store's change counters (runs, candidates' metric points, models) every <see cref="Caching.EvalKitCachingOptions.CheckInterval"/>,
    /// so that another process's writes are seen within that interval.
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
        var lifetime = cache is null ? o.DecisionTimeToLive
            : !cache.Enabled ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(o.DecisionTimeToLive.Ticks, cache.Options.SelectionDecisions.Ticks));
        _timeToLive = (long)Math.Min(long.MaxValue / 2.0, lifetime.TotalSeconds * timeProvider.TimestampFrequency);
        _stampCache = cache is { CanValidate: true } ? cache : null;
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
        if (!_cache.TryGetValue((Tenant, request), out decision!) || decision.Version != _evidence.Version)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        return now - decision.Timestamp < _timeToLive
            && (_stampCache is null || now - decision.CheckedAt < _stampCache.CheckTicks);
    }

    /// <summary>
    /// Checks a cached decision whose check interval has passed against the store: the registry's models (refreshing the
    /// snapshot raises its Changed event, which moves the evidence version) and the change counters it depends on.
    /// </summary>
    /// <returns>The decision when it still holds; otherwise <see langword="null"/>.</returns>
    private async ValueTask<SelectionDecision?> RevalidateAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        if (_stampCache is null
            || !_cache.TryGetValue((Tenant, request), out var decision)
            || _time.GetTimestamp() - decision.Timestamp >= _timeToLive)
        {
            return null;
        }

        var checkedAt = _time.GetTimestamp();
        _ = await _registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var stamp = await _stampCache.GetStampAsync(Tenant, decision.Scopes, force: false, cancellationToken).ConfigureAwait(false);
        if (stamp != decision.Stamp || decision.Version != _evidence.Version)
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
        var decision = await ComputeAsync(request, cancellationToken).ConfigureAwait(false);
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
}
