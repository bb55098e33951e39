namespace EvalKit.Scoring;

/// <summary>
/// Sentence chrF of the answer against all references of the case, on sacrebleu's 0..100 scale
/// (<see cref="ChrF.Sentence(string, IReadOnlyList{string}, ChrFOptions?)"/>; chrF++ with <see cref="ChrFOptions.ChrFPlusPlus"/>).
/// </summary>
/// <remarks>The value is 0 to 100, like sacrebleu. The scorer is stateless and thread-safe.</remarks>
public sealed class ChrFScorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>chrf</c>.</summary>
    public const string DefaultName = "chrf";

    private readonly ChrFOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ChrFScorer"/> class.</summary>
    /// <param name="options">The chrF options; <see langword="null"/> for <see cref="ChrFOptions.Default"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public ChrFScorer(ChrFOptions? options = null, string name = DefaultName)
        : base(name)
    {
        _options = options ?? ChrFOptions.Default;
    }

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        var chrf = ChrF.Sentence(context.Output, context.References, _options);
        return new Score { Name = Name, Value = chrf.Score, Label = chrf.Name };
    }
}
