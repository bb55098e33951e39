namespace EvalKit.Scoring;

/// <summary>The ROUGE variants of Google's rouge-score: n-gram overlap for n = 1..9, LCS and summary-level LCS.</summary>
public enum RougeType
{
    /// <summary>rouge-score 'rouge1': unigram overlap.</summary>
    Rouge1 = 1,

    /// <summary>rouge-score 'rouge2': bigram overlap.</summary>
    Rouge2 = 2,

    /// <summary>rouge-score 'rouge3': trigram overlap.</summary>
    Rouge3 = 3,

    /// <summary>rouge-score 'rouge4': 4-gram overlap.</summary>
    Rouge4 = 4,

    /// <summary>rouge-score 'rouge5': 5-gram overlap.</summary>
    Rouge5 = 5,

    /// <summary>rouge-score 'rouge6': 6-gram overlap.</summary>
    Rouge6 = 6,

    /// <summary>rouge-score 'rouge7': 7-gram overlap.</summary>
    Rouge7 = 7,

    /// <summary>rouge-score 'rouge8': 8-gram overlap.</summary>
    Rouge8 = 8,

    /// <summary>rouge-score 'rouge9': 9-gram overlap.</summary>
    Rouge9 = 9,

    /// <summary>rouge-score 'rougeL': longest common subsequence of the whole texts (newlines are ordinary separators).</summary>
    RougeL = 10,

    /// <summary>rouge-score 'rougeLsum': summary-level union LCS over sentences separated by newlines.</summary>
    RougeLsum = 11,
}
