namespace EvalKit.Scoring;

/// <summary>Options of <see cref="Bleu"/>, named after sacrebleu 2.x's <c>BLEU</c> arguments.</summary>
public sealed record BleuOptions
{
    /// <summary>The default options: 13a tokenizer, case-sensitive, exponential smoothing, order 4.</summary>
    public static BleuOptions Default { get; } = new();

    /// <summary>The tokenizer (sacrebleu <c>tokenize</c>); <see cref="BleuTokenizer.Mteval13a"/> by default.</summary>
    public BleuTokenizer Tokenizer { get; init; } = BleuTokenizer.Mteval13a;

    /// <summary>Whether hypotheses and references are lowercased first (sacrebleu <c>lowercase</c>), with Python's Unicode lowercasing.</summary>
    public bool Lowercase { get; init; }

    /// <summary>The smoothing method (sacrebleu <c>smooth_method</c>); <see cref="BleuSmoothing.Exponential"/> by default.</summary>
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.Exponential;

    /// <summary>
    /// The value of <see cref="BleuSmoothing.Floor"/> or <see cref="BleuSmoothing.AddK"/> (sacrebleu <c>smooth_value</c>);
    /// <see langword="null"/> means sacrebleu's default: 0.1 for floor, 1 for add-k. Ignored by the other methods.
    /// </summary>
    public double? SmoothingValue { get; init; }

    /// <summary>The largest n-gram order (sacrebleu <c>max_ngram_order</c>); 4 by default.</summary>
    public int MaxNgramOrder { get; init; } = 4;

    /// <summary>
    /// Whether orders with no n-grams in the hypotheses are left out of the geometric mean (sacrebleu
    /// <c>effective_order</c>). <see langword="null"/> (the default) means what sacrebleu does:
    /// off for <see cref="Bleu.Corpus"/>, on for <see cref="Bleu.Sentence"/> (as <c>sacrebleu.sentence_bleu</c>).
    /// </summary>
    public bool? EffectiveOrder { get; init; }
}
