namespace EvalKit.Scoring;

/// <summary>
/// SQuAD token F1 (0..1) of the answer against the best reference, as the official SQuAD v1.1 script
/// (<see cref="SquadText.F1(string, IReadOnlyList{string})"/>).
/// </summary>
/// <remarks>The scorer is stateless and thread-safe.</remarks>
public sealed class SquadF1Scorer : IScorer
{
    /// <summary>The default metric name, <c>squad_f1</c>.</summary>
    public const string DefaultName = "squad_f1";

    /// <summary>Initializes a new instance of the <see cref="SquadF1Scorer"/> class.</summary>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public SquadF1Scorer(string name = DefaultName)
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
        if (context.References.Count == 0)
        {
            return ValueTask.FromResult(ScorerErrors.NoReference(Name, context));
        }

        return ValueTask.FromResult(new Score { Name = Name, Value = SquadText.F1(context.Output, context.References) });
    }
}
