namespace EvalKit.Scoring;

/// <summary>
/// The base of scorers that compare the answer with the case's references: a case without a reference gets a failed
/// score (never a silent zero); otherwise <see cref="ScoreCore"/> scores it. Derive from it for a custom reference-based
/// metric.
/// </summary>
public abstract class ReferenceScorer : IScorer
{
    /// <summary>Initializes a new instance of the <see cref="ReferenceScorer"/> class.</summary>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    protected ReferenceScorer(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.References.Count == 0 ? ScorerErrors.NoReference(Name, context) : ScoreCore(context));
    }

    /// <summary>Scores an answer of a case that has at least one reference.</summary>
    /// <param name="context">The case, its references and the answer.</param>
    /// <returns>The score.</returns>
    protected abstract Score ScoreCore(ScoringContext context);

    /// <summary>Tells whether the normalized answer matches any normalized, non-empty reference by <paramref name="match"/>.</summary>
    /// <param name="output">The answer.</param>
    /// <param name="references">The references.</param>
    /// <param name="normalization">The normalization applied to both sides.</param>
    /// <param name="match">The comparison of (answer, reference).</param>
    /// <returns><see langword="true"/> when a reference matches.</returns>
    internal static bool AnyReference(string output, IReadOnlyList<string> references, TextNormalization normalization, Func<string, string, bool> match)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(references);
        var answer = TextNormalizer.Normalize(output, normalization);
        for (var i = 0; i < references.Count; i++)
        {
            var reference = TextNormalizer.Normalize(references[i], normalization);
            if (reference.Length > 0 && match(answer, reference))
            {
                return true;
            }
        }

        return false;
    }
}
