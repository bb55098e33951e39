using EvalKit.Storage;

namespace EvalKit.Selection;

/// <summary>
/// A decision as one engine holds it in front of EvalKit's cache: the computed part (<see cref="CachedSelection"/>), the
/// evidence version it holds under in this engine, until when it may be served, and what the online learner needs.
/// </summary>
internal sealed class SelectionDecision
{
    private readonly IReadOnlyList<ModelRecommendation>?[] _prefixes;
    private long _checkedAt;

    /// <summary>Initializes a new instance of the <see cref="SelectionDecision"/> class.</summary>
    /// <param name="computed">The computed part.</param>
    /// <param name="version">The evidence source's version in this engine the decision holds under.</param>
    /// <param name="timestamp">When the engine took it (a <see cref="TimeProvider"/> timestamp), from the store or the cache.</param>
    /// <param name="deadline">The timestamp from which it may no longer be served.</param>
    public SelectionDecision(CachedSelection computed, long version, long timestamp, long deadline)
    {
        Explanation = computed.Explanation;
        Ranked = [.. computed.Explanation.Ranked];
        Version = version;
        Deadline = deadline;
        PriorMeans = computed.PriorMeans;
        FixedTerms = computed.FixedTerms;
        QualityWeight = computed.QualityWeight;
        _prefixes = new IReadOnlyList<ModelRecommendation>?[Ranked.Length];
        _checkedAt = timestamp;
    }

    /// <summary>Gets or sets the change counters the decision depends on (with the tenant's epoch); empty without a cache.</summary>
    public ChangeScope[] Scopes { get; init; } = [];

    /// <summary>Gets or sets the stamp of <see cref="Scopes"/> the decision was made under.</summary>
    public long Stamp { get; init; }

    /// <summary>Gets or sets the registry snapshot's version (the store's model change counter) the decision was made under.</summary>
    public long Models { get; init; }

    /// <summary>Gets or sets the engine's count of registry changes it was told of, when the decision was made.</summary>
    public long Generation { get; init; }

    /// <summary>Gets when the store's counters were last found unchanged (a <see cref="TimeProvider"/> timestamp).</summary>
    public long CheckedAt => Volatile.Read(ref _checkedAt);

    /// <summary>Records that the store's counters were found unchanged at a time.</summary>
    public void Checked(long timestamp) => Volatile.Write(ref _checkedAt, timestamp);

    public SelectionExplanation Explanation { get; }

    public ModelRecommendation[] Ranked { get; }

    public long Version { get; }

    /// <summary>Gets the <see cref="TimeProvider"/> timestamp from which the decision may no longer be served: its lifetime ends, or its evidence changes with time.</summary>
    public long Deadline { get; }

    /// <summary>Gets, per ranked model, the mean of the online prior from offline quality evidence on the [0, 1] scale, or NaN when there is none.</summary>
    public double[] PriorMeans { get; }

    /// <summary>Gets, per ranked model, the normalized weighted score of every criterion but quality (the part the online learner does not sample).</summary>
    public double[] FixedTerms { get; }

    /// <summary>Gets the normalized weight of quality.</summary>
    public double QualityWeight { get; }

    /// <summary>Gets the first <paramref name="k"/> ranked models as a list that is built once and then reused.</summary>
    public IReadOnlyList<ModelRecommendation> Top(int k)
    {
        if (k >= Ranked.Length)
        {
            return Explanation.Ranked;
        }

        // A benign race: two threads may each build the same prefix; either result is correct.
        return _prefixes[k] ??= Ranked[..k];
    }
}
