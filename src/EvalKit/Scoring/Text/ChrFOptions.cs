namespace EvalKit.Scoring;

/// <summary>Options of <see cref="ChrF"/>, named after sacrebleu 2.x's <c>CHRF</c> arguments.</summary>
public sealed record ChrFOptions
{
    /// <summary>chrF: character order 6, no word n-grams, beta 2 (sacrebleu's defaults).</summary>
    public static ChrFOptions Default { get; } = new();

    /// <summary>chrF++: as <see cref="Default"/> with word n-grams up to order 2.</summary>
    public static ChrFOptions ChrFPlusPlus { get; } = new() { WordOrder = 2 };

    /// <summary>The character n-gram order (sacrebleu <c>char_order</c>); 6 by default.</summary>
    public int CharOrder { get; init; } = 6;

    /// <summary>The word n-gram order (sacrebleu <c>word_order</c>); 0 by default, 2 for chrF++.</summary>
    public int WordOrder { get; init; }

    /// <summary>The weight of recall relative to precision (sacrebleu <c>beta</c>); 2 by default.</summary>
    public int Beta { get; init; } = 2;

    /// <summary>Whether texts are lowercased first (sacrebleu <c>lowercase</c>), with Python's Unicode lowercasing.</summary>
    public bool Lowercase { get; init; }

    /// <summary>Whether whitespace is kept inside character n-grams (sacrebleu <c>whitespace</c>); off by default.</summary>
    public bool IncludeWhitespace { get; init; }

    /// <summary>
    /// Whether orders without n-grams are smoothed with epsilon as chrF++.py, NLTK and Moses do (sacrebleu
    /// <c>eps_smoothing</c>). Off by default: the F-score is then computed from precision and recall averaged
    /// over the orders that have n-grams on both sides (sacrebleu 2.x's default).
    /// </summary>
    public bool EpsSmoothing { get; init; }
}
