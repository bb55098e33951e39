namespace EvalKit.Scoring;

/// <summary>
/// SQuAD token F1 (0..1) of the answer against the best reference, as the official SQuAD v1.1 script
/// (<see cref="SquadText.F1(string, IReadOnlyList{string})"/>).
/// </summary>
/// <remarks>The scorer is stateless and thread-safe.</remarks>
public sealed class SquadF1Scorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>squad_f1</c>.</summary>
    public const string DefaultName = "squad_f1";

    /// <summary>Initializes a new instance of the <see cref="SquadF1Scorer"/> class.</summary>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public SquadF1Scorer(string name = DefaultName)
        : base(name)
    {
    }

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        return new Score { Name = Name, Value = SquadText.F1(context.Output, context.References) };
    }
}
