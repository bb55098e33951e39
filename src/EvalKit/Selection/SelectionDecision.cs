using EvalKit.Storage;

namespace EvalKit.Selection;

/// <summary>A cached decision: the explanation (with the ranking), the version and time it was made at, and what the online learner needs.</summary>
internal sealed class SelectionDecision
{
    private readonly IReadOnlyList<ModelRecommendation>?[] _prefixes;
    private long _checkedAt;

    public SelectionDecision(SelectionExplanation explanation, long version, long timestamp, double[] priorMeans, double[] fixedTerms, double qualityWeight)
    {
        Explanation = explanation;
        Ranked = [.. explanation.Ranked];
        Version = version;
        Timestamp = timestamp;
        PriorMeans = priorMeans;
        FixedTerms = fixedTerms;
        QualityWeight = qualityWeight;
        _prefixes = new IReadOnlyList<ModelRecommendation>?[Ranked.Length];
        _checkedAt = timestamp;
    }

    /// <summary>Gets or sets the change counters the decision depends on (with the tenant's epoch); empty without a cache.</summary>
    public ChangeScope[] Scopes { get; init; } = [];

    /// <summary>Gets or sets the stamp of <see cref="Scopes"/> the decision was made under.</summary>
    public long Stamp { get; init; }

    /// <summary>Gets when the store's counters were last found unchanged (a <see cref="TimeProvider"/> timestamp).</summary>
    public long CheckedAt => Volatile.Read(ref _checkedAt);

    /// <summary>Records that the store's counters were found unchanged at a time.</summary>
    public void Checked(long timestamp) => Volatile.Write(ref _checkedAt, timestamp);

    public SelectionExplanation Explanation { get; }

    public ModelRecommendation[] Ranked { get; }

    public long Version { get; }

    public long Timestamp { get; }

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
