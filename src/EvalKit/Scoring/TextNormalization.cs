namespace EvalKit.Scoring;

/// <summary>How text is normalized before it is compared.</summary>
[Flags]
public enum TextNormalization
{
    /// <summary>Compare the text as it is.</summary>
    None = 0,

    /// <summary>Ignore case (invariant culture).</summary>
    IgnoreCase = 1,

    /// <summary>Trim the ends and collapse runs of white space to one space.</summary>
    CollapseWhitespace = 2,

    /// <summary>Remove punctuation characters.</summary>
    RemovePunctuation = 4,

    /// <summary>Remove the English articles "a", "an" and "the" as whole words.</summary>
    RemoveArticles = 8,

    /// <summary>Trim leading and trailing white space only.</summary>
    Trim = 16,

    /// <summary>All of the above: SQuAD-style lenient comparison.</summary>
    Lenient = IgnoreCase | CollapseWhitespace | RemovePunctuation | RemoveArticles | Trim,
}
