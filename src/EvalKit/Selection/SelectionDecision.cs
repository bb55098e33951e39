namespace EvalKit.Selection;

/// <summary>A cached decision: the explanation (with the ranking), the version and time it was made at, and what the online learner needs.</summary>
internal sealed class SelectionDecision
{
    private readonly IReadOnlyList<ModelRecommendation>?[] _prefixes;

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
    }

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
