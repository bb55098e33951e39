namespace EvalKit.Scoring;

/// <summary>The tokenizers of sacrebleu that <see cref="Bleu"/> reproduces.</summary>
public enum BleuTokenizer
{
    /// <summary>sacrebleu '13a' (the default): the mteval-v13a tokenization used by WMT.</summary>
    Mteval13a = 0,

    /// <summary>sacrebleu 'none': the text is only split on whitespace.</summary>
    None = 1,

    /// <summary>sacrebleu 'intl': the mteval-v14 international tokenization on Unicode punctuation and symbols.</summary>
    International = 2,

    /// <summary>sacrebleu 'char': every non-whitespace character is a token.</summary>
    Character = 3,
}
