namespace EvalKit.Scoring;

/// <summary>
/// Sentence BLEU of the answer against all references of the case, on sacrebleu's 0..100 scale
/// (<see cref="Bleu.Sentence(string, IReadOnlyList{string}, BleuOptions?)"/>: 13a tokenization, exponential smoothing,
/// effective order).
/// </summary>
/// <remarks>The value is 0 to 100, like sacrebleu (not 0 to 1). The scorer is stateless and thread-safe.</remarks>
public sealed class BleuScorer : ReferenceScorer
{
    /// <summary>The default metric name, <c>bleu</c>.</summary>
    public const string DefaultName = "bleu";

    private readonly BleuOptions _options;

    /// <summary>Initializes a new instance of the <see cref="BleuScorer"/> class.</summary>
    /// <param name="options">The BLEU options; <see langword="null"/> for <see cref="BleuOptions.Default"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public BleuScorer(BleuOptions? options = null, string name = DefaultName)
        : base(name)
    {
        _options = options ?? BleuOptions.Default;
    }

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        var bleu = Bleu.Sentence(context.Output, context.References, _options);
        return new Score { Name = Name, Value = bleu.Score, Explanation = bleu.ToString() };
    }
}
