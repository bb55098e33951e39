namespace EvalKit.Scoring;

/// <summary>Scores 1 when the answer starts with any reference after normalization, else 0.</summary>
/// <remarks>The scorer is stateless and thread-safe.</remarks>
public sealed class StartsWithScorer : IScorer
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
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _normalization = normalization;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Tells whether an answer starts with any reference.</summary>
    /// <param name="output">The answer.</param>
    /// <param name="references">The references; an empty (normalized) reference never matches.</param>
    /// <param name="normalization">The normalization.</param>
    /// <returns><see langword="true"/> when the answer starts with a reference.</returns>
    /// <exception cref="ArgumentNullException">An argument or a reference is <see langword="null"/>.</exception>
    public static bool Matches(string output, IReadOnlyList<string> references, TextNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(references);
        var answer = TextNormalizer.Normalize(output, normalization);
        for (var i = 0; i < references.Count; i++)
        {
            var reference = TextNormalizer.Normalize(references[i], normalization);
            if (reference.Length > 0 && answer.StartsWith(reference, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.References.Count == 0)
        {
            return ValueTask.FromResult(ScorerErrors.NoReference(Name, context));
        }

        return ValueTask.FromResult(Score.FromPass(Name, Matches(context.Output, context.References, _normalization)));
    }
}
