using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>
/// ROUGE (Lin, 2004) with the semantics of Google's rouge-score package (<c>rouge_scorer.RougeScorer</c>):
/// its tokenizer, optional NLTK Porter stemming, n-gram overlap, LCS-based ROUGE-L and summary-level
/// ROUGE-Lsum with newline-separated sentences.
/// </summary>
public static class Rouge
{
    /// <summary>
    /// Scores <paramref name="prediction"/> against <paramref name="target"/> as
    /// <c>RougeScorer([type], use_stemmer).score(target, prediction)[type]</c>.
    /// </summary>
    /// <param name="target">The reference text (ground truth).</param>
    /// <param name="prediction">The predicted text.</param>
    /// <param name="type">The ROUGE variant.</param>
    /// <param name="useStemmer">Whether tokens longer than 3 characters are stemmed with the Porter stemmer.</param>
    /// <returns>Precision, recall and F-measure; all 0 when either text has no tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public static RougeScore Score(string target, string prediction, RougeType type, bool useStemmer = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prediction);
        return type switch
        {
            >= RougeType.Rouge1 and <= RougeType.Rouge9 => ScoreN(target, prediction, (int)type, useStemmer),
            RougeType.RougeL => ScoreLcs(target, prediction, useStemmer),
            RougeType.RougeLsum => ScoreLsum(target, prediction, useStemmer),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ROUGE type."),
        };
    }

    /// <summary>
    /// ROUGE-N for any n ≥ 1 (rouge-score accepts the names 'rouge1' to 'rouge9'): clipped n-gram matches over
    /// the prediction's n-grams (precision) and over the target's (recall).
    /// </summary>
    /// <param name="target">The reference text.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <param name="n">The n-gram order, at least 1.</param>
    /// <param name="useStemmer">Whether tokens longer than 3 characters are stemmed.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    public static RougeScore ScoreN(string target, string prediction, int n, bool useStemmer = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);

        var workspace = TextWorkspace.Current;
        workspace.Tokens.Reset();
        var targetLength = RougeTokenizer.Tokenize(target, useStemmer, workspace, 0);
        var predictionLength = RougeTokenizer.Tokenize(prediction, useStemmer, workspace, targetLength);
        var tokens = workspace.TokenBuffer(targetLength + predictionLength);

        var ngrams = workspace.Ngrams;
        ngrams.Reset();
        var targetCount = Math.Max(targetLength - n + 1, 0);
        var predictionCount = Math.Max(predictionLength - n + 1, 0);
        for (var i = 0; i < targetCount; i++)
        {
            var id = NgramId(ngrams, tokens.AsSpan(i, n), out var added);
            if (added)
            {
                workspace.EnsureIdCapacity(id);
                workspace.CountA[id] = 0;
                workspace.CountB[id] = 0;
            }

            workspace.CountA[id]++;
        }

        var intersection = 0;
        for (var i = 0; i < predictionCount; i++)
        {
            var id = NgramId(ngrams, tokens.AsSpan(targetLength + i, n), out var added);
            if (added)
            {
                workspace.EnsureIdCapacity(id);
                workspace.CountA[id] = 0;
                workspace.CountB[id] = 0;
            }

            // Summing min(target, prediction) counts incrementally.
            if (++workspace.CountB[id] <= workspace.CountA[id])
            {
                intersection++;
            }
        }

        var precision = (double)intersection / Math.Max(predictionCount, 1);
        var recall = (double)intersection / Math.Max(targetCount, 1);
        return RougeScore.FromPrecisionRecall(precision, recall);
    }

    /// <summary>
    /// The best score over several targets, as rouge-score's <c>score_multi</c>: the score of the first target
    /// with the highest F-measure.
    /// </summary>
    /// <param name="targets">The reference texts; at least one.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <param name="type">The ROUGE variant.</param>
    /// <param name="useStemmer">Whether tokens longer than 3 characters are stemmed.</param>
    /// <returns>The score with the highest F-measure.</returns>
    /// <exception cref="ArgumentNullException">An argument or a target is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="targets"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public static RougeScore ScoreMax(IReadOnlyList<string> targets, string prediction, RougeType type, bool useStemmer = false)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(prediction);
        if (targets.Count == 0)
        {
            throw new ArgumentException("At least one target is required.", nameof(targets));
        }

        var best = default(RougeScore);
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i] ?? throw new ArgumentNullException(
                nameof(targets),
                string.Format(CultureInfo.InvariantCulture, "targets[{0}] is null.", i));
            var score = Score(target, prediction, type, useStemmer);
            if (i == 0 || score.FMeasure > best.FMeasure)
            {
                best = score;
            }
        }

        return best;
    }

    /// <summary>Parses a rouge-score type name: 'rouge1' to 'rouge9', 'rougeL' or 'rougeLsum' (case-sensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid type, e.g. 'rougen', 'rouge0' or 'rouge10'.</exception>
    public static RougeType ParseType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParseType(name, out var type)
            ? type
            : throw new ArgumentException($"Invalid rouge type: {name}", nameof(name));
    }

    /// <summary>Parses a rouge-score type name without throwing.</summary>
    /// <param name="name">The name: 'rouge1' to 'rouge9', 'rougeL' or 'rougeLsum'.</param>
    /// <param name="type">The type when the name is valid.</param>
    /// <returns>Whether the name is valid.</returns>
    public static bool TryParseType(string? name, out RougeType type)
    {
        type = default;
        switch (name)
        {
            case "rougeL":
                type = RougeType.RougeL;
                return true;
            case "rougeLsum":
                type = RougeType.RougeLsum;
                return true;
            case ['r', 'o', 'u', 'g', 'e', >= '1' and <= '9']:
                type = (RougeType)(name[5] - '0');
                return true;
            default:
                return false;
        }
    }

    /// <summary>The rouge-score name of <paramref name="type"/>, e.g. "rouge1" or "rougeLsum".</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public static string GetName(RougeType type) => type switch
    {
        >= RougeType.Rouge1 and <= RougeType.Rouge9 => string.Create(CultureInfo.InvariantCulture, $"rouge{(int)type}"),
        RougeType.RougeL => "rougeL",
        RougeType.RougeLsum => "rougeLsum",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ROUGE type."),
    };

    private static int NgramId(LongIdMap ngrams, ReadOnlySpan<int> tokens, out bool added)
    {
        var id = -1;
        added = false;
        for (var j = 0; j < tokens.Length; j++)
        {
            id = ngrams.GetOrAdd(LongIdMap.Key(id, tokens[j]), out added);
        }

        return id;
    }

    private static RougeScore ScoreLcs(string target, string prediction, bool useStemmer)
    {
        var workspace = TextWorkspace.Current;
        workspace.Tokens.Reset();
        var targetLength = RougeTokenizer.Tokenize(target, useStemmer, workspace, 0);
        var predictionLength = RougeTokenizer.Tokenize(prediction, useStemmer, workspace, targetLength);
        if (targetLength == 0 || predictionLength == 0)
        {
            return RougeScore.Zero;
        }

        var tokens = workspace.TokenBuffer(targetLength + predictionLength);
        var lcs = LcsLength(tokens.AsSpan(0, targetLength), tokens.AsSpan(targetLength, predictionLength), workspace);
        return RougeScore.FromPrecisionRecall((double)lcs / predictionLength, (double)lcs / targetLength);
    }

    private static RougeScore ScoreLsum(string target, string prediction, bool useStemmer)
    {
        var workspace = TextWorkspace.Current;
        workspace.Tokens.Reset();

        // Sentence token counts go to the scratch buffer: target sentences first, then prediction sentences.
        var targetTokens = TokenizeSentences(target, useStemmer, workspace, 0, 0, out var targetSentences);
        var predictionTokens = TokenizeSentences(prediction, useStemmer, workspace, targetTokens, targetSentences, out var predictionSentences);
        if (targetSentences == 0 || predictionSentences == 0 || targetTokens == 0 || predictionTokens == 0)
        {
            return RougeScore.Zero;
        }

        var tokens = workspace.TokenBuffer(targetTokens + predictionTokens);
        var sentenceLengths = workspace.SentenceBuffer(targetSentences + predictionSentences);
        return SummaryLevelLcs(
            tokens.AsSpan(0, targetTokens),
            sentenceLengths.AsSpan(0, targetSentences),
            tokens.AsSpan(targetTokens, predictionTokens),
            sentenceLengths.AsSpan(targetSentences, predictionSentences),
            workspace.Tokens.Count,
            workspace);
    }

    /// <summary>Tokenizes each non-empty line of <paramref name="text"/>; returns the token count and the sentence count.</summary>
    private static int TokenizeSentences(string text, bool useStemmer, TextWorkspace workspace, int tokenOffset, int sentenceOffset, out int sentences)
    {
        var total = 0;
        sentences = 0;
        var span = text.AsSpan();
        while (true)
        {
            var newline = span.IndexOf('\n');
            var line = newline < 0 ? span : span[..newline];
            if (!line.IsEmpty)
            {
                var count = RougeTokenizer.Tokenize(line, useStemmer, workspace, tokenOffset + total);
                var lengths = workspace.SentenceBuffer(sentenceOffset + sentences + 1, sentenceOffset + sentences);
                lengths[sentenceOffset + sentences] = count;
                sentences++;
                total += count;
            }

            if (newline < 0)
            {
                return total;
            }

            span = span[(newline + 1)..];
        }
    }

    /// <summary>Length of the longest common subsequence of two token sequences.</summary>
    internal static int LcsLength(ReadOnlySpan<int> a, ReadOnlySpan<int> b, TextWorkspace workspace)
    {
        var row = workspace.Scratch(b.Length + 1).AsSpan(0, b.Length + 1);
        row.Clear();
        for (var i = 0; i < a.Length; i++)
        {
            var diagonal = 0;
            var token = a[i];
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = token == b[j - 1] ? diagonal + 1 : Math.Max(above, row[j - 1]);
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    /// <summary>
    /// Marks in <paramref name="marks"/> the positions of <paramref name="reference"/> on the LCS that
    /// rouge-score's <c>_backtrack_norec</c> reads out of the full LCS table.
    /// </summary>
    internal static void MarkLcs(ReadOnlySpan<int> reference, ReadOnlySpan<int> candidate, Span<bool> marks, TextWorkspace workspace)
    {
        var columns = candidate.Length + 1;
        var size = (reference.Length + 1) * columns;
        var table = workspace.Scratch(size).AsSpan(0, size);
        table[..columns].Clear();
        for (var i = 1; i <= reference.Length; i++)
        {
            var row = i * columns;
            var previousRow = row - columns;
            table[row] = 0;
            var token = reference[i - 1];
            for (var j = 1; j <= candidate.Length; j++)
            {
                table[row + j] = token == candidate[j - 1]
                    ? table[previousRow + j - 1] + 1
                    : Math.Max(table[previousRow + j], table[row + j - 1]);
            }
        }

        var r = reference.Length;
        var c = candidate.Length;
        while (r > 0 && c > 0)
        {
            if (reference[r - 1] == candidate[c - 1])
            {
                marks[r - 1] = true;
                r--;
                c--;
            }
            else if (table[(r * columns) + c - 1] > table[((r - 1) * columns) + c])
            {
                c--;
            }
            else
            {
                r--;
            }
        }
    }

    /// <summary>
    /// rouge-score's <c>_summary_level_lcs</c>: for each reference sentence the union of its LCS with every
    /// candidate sentence, with each token counted at most as often as it occurs in both summaries.
    /// </summary>
    internal static RougeScore SummaryLevelLcs(
        ReadOnlySpan<int> referenceTokens,
        ReadOnlySpan<int> referenceSentenceLengths,
        ReadOnlySpan<int> candidateTokens,
        ReadOnlySpan<int> candidateSentenceLengths,
        int vocabularySize,
        TextWorkspace workspace)
    {
        if (referenceSentenceLengths.IsEmpty || candidateSentenceLengths.IsEmpty
            || referenceTokens.IsEmpty || candidateTokens.IsEmpty)
        {
            return RougeScore.Zero;
        }

        // Remaining token budgets: CountA for the reference, CountB for the candidate.
        workspace.EnsureIdCapacity(vocabularySize);
        var referenceBudget = workspace.CountA.AsSpan(0, vocabularySize);
        var candidateBudget = workspace.CountB.AsSpan(0, vocabularySize);
        referenceBudget.Clear();
        candidateBudget.Clear();
        foreach (var token in referenceTokens)
        {
            referenceBudget[token]++;
        }

        foreach (var token in candidateTokens)
        {
            candidateBudget[token]++;
        }

        var longest = 0;
        foreach (var referenceLength in referenceSentenceLengths)
        {
            longest = Math.Max(longest, referenceLength);
        }

        Span<bool> allMarks = longest <= 512 ? stackalloc bool[longest] : new bool[longest];
        var hits = 0;
        var referenceStart = 0;
        foreach (var referenceLength in referenceSentenceLengths)
        {
            var sentence = referenceTokens.Slice(referenceStart, referenceLength);
            referenceStart += referenceLength;
            var marks = allMarks[..sentence.Length];
            marks.Clear();
            var candidateStart = 0;
            foreach (var candidateLength in candidateSentenceLengths)
            {
                MarkLcs(sentence, candidateTokens.Slice(candidateStart, candidateLength), marks, workspace);
                candidateStart += candidateLength;
            }

            for (var i = 0; i < sentence.Length; i++)
            {
                if (!marks[i])
                {
                    continue;
                }

                var token = sentence[i];
                if (candidateBudget[token] > 0 && referenceBudget[token] > 0)
                {
                    hits++;
                    candidateBudget[token]--;
                    referenceBudget[token]--;
                }
            }
        }

        return RougeScore.FromPrecisionRecall((double)hits / candidateTokens.Length, (double)hits / referenceTokens.Length);
    }
}
