namespace EvalKit.Scoring;

/// <summary>Scores 1 when the answer equals any reference after normalization, else 0.</summary>
public sealed class ExactMatchScorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>exact_match</c>.</summary>
    public const string DefaultName = "exact_match";

    private readonly TextNormalization _normalization;

    /// <summary>Initializes a new instance of the <see cref="ExactMatchScorer"/> class.</summary>
    /// <param name="normalization">How answer and references are normalized before comparing.</param>
    /// <param name="name">The metric name.</param>
    public ExactMatchScorer(TextNormalization normalization = TextNormalization.Trim, string name = DefaultName)
        : base(name)
    {
        _normalization = normalization;
    }

    /// <summary>Tells whether an answer matches any reference.</summary>
    /// <param name="output">The answer.</param>
    /// <param name="references">The references.</param>
    /// <param name="normalization">The normalization.</param>
    /// <returns><see langword="true"/> when a reference matches.</returns>
    public static bool Matches(string output, IReadOnlyList<string> references, TextNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(references);
        var answer = TextNormalizer.Normalize(output, normalization);
        for (var i = 0; i < references.Count; i++)
        {
            if (string.Equals(answer, TextNormalizer.Normalize(references[i], normalization), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        return Score.FromPass(Name, Matches(context.Output, context.References, _normalization));
    }
}
