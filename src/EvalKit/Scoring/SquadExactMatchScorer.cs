namespace EvalKit.Scoring;

/// <summary>
/// SQuAD exact match: 1 when the answer equals any reference after the SQuAD normalization (lowercase, no punctuation,
/// no articles, single spaces), as the official SQuAD v1.1 script (<see cref="SquadText.ExactMatch(string, IReadOnlyList{string})"/>).
/// </summary>
/// <remarks>The scorer is stateless and thread-safe.</remarks>
public sealed class SquadExactMatchScorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>squad_exact_match</c>.</summary>
    public const string DefaultName = "squad_exact_match";

    /// <summary>Initializes a new instance of the <see cref="SquadExactMatchScorer"/> class.</summary>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public SquadExactMatchScorer(string name = DefaultName)
        : base(name)
    {
    }

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        return Score.FromPass(Name, SquadText.ExactMatch(context.Output, context.References) == 1.0);
    }
}
