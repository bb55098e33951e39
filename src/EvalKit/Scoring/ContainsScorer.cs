namespace EvalKit.Scoring;

/// <summary>Scores 1 when the answer contains any reference after normalization, else 0.</summary>
/// <remarks>The scorer is stateless and thread-safe.</remarks>
public sealed class ContainsScorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>contains</c>.</summary>
    public const string DefaultName = "contains";

    private readonly TextNormalization _normalization;

    /// <summary>Initializes a new instance of the <see cref="ContainsScorer"/> class.</summary>
    /// <param name="normalization">How answer and references are normalized before searching.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public ContainsScorer(TextNormalization normalization = TextNormalization.None, string name = DefaultName)
        : base(name)
    {
        _normalization = normalization;
    }

    /// <summary>Tells whether an answer contains any reference.</summary>
    /// <param name="output">The answer.</param>
    /// <param name="references">The references; an empty (normalized) reference never matches.</param>
    /// <param name="normalization">The normalization.</param>
    /// <returns><see langword="true"/> when the answer contains a reference.</returns>
    /// <exception cref="ArgumentNullException">An argument or a reference is <see langword="null"/>.</exception>
    public static bool Matches(string output, IReadOnlyList<string> references, TextNormalization normalization) =>
        AnyReference(output, references, normalization, static (answer, reference) => answer.Contains(reference, StringComparison.Ordinal));

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        return Score.FromPass(Name, Matches(context.Output, context.References, _normalization));
    }
}
