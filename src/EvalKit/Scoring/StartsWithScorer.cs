namespace EvalKit.Scoring;

/// <summary>Scores 1 when the answer starts with any reference after normalization, else 0.</summary>
/// <remarks>The scorer is stateless and thread-safe.</remarks>
public sealed class StartsWithScorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>starts_with</c>.</summary>
    public const string DefaultName = "starts_with";

    private readonly TextNormalization _normalization;

    /// <summary>Initializes a new instance of the <see cref="StartsWithScorer"/> class.</summary>
    /// <param name="normalization">How answer and references are normalized before comparing.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public StartsWithScorer(TextNormalization normalization = TextNormalization.Trim, string name = DefaultName)
        : base(name)
    {
        _normalization = normalization;
    }

    /// <summary>Tells whether an answer starts with any reference.</summary>
    /// <param name="output">The answer.</param>
    /// <param name="references">The references; an empty (normalized) reference never matches.</param>
    /// <param name="normalization">The normalization.</param>
    /// <returns><see langword="true"/> when the answer starts with a reference.</returns>
    /// <exception cref="ArgumentNullException">An argument or a reference is <see langword="null"/>.</exception>
    public static bool Matches(string output, IReadOnlyList<string> references, TextNormalization normalization) =>
        AnyReference(output, references, normalization, static (answer, reference) => answer.StartsWith(reference, StringComparison.Ordinal));

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        return Score.FromPass(Name, Matches(context.Output, context.References, _normalization));
    }
}
