using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>
/// chrF (Popović, 2015) and chrF++ (Popović, 2017) with the semantics of sacrebleu 2.x: character n-grams
/// over code points with whitespace removed, optional word n-grams with sacrebleu's punctuation splitting,
/// best reference per segment by F-score, statistics summed over the corpus, and effective-order or epsilon
/// smoothing.
/// </summary>
public static class ChrF
{
    private const double Epsilon = 1e-16;

    /// <summary>Corpus chrF as <c>sacrebleu.corpus_chrf(hypotheses, referenceStreams, ...)</c>.</summary>
    /// <param name="hypotheses">One hypothesis per segment.</param>
    /// <param name="referenceStreams">
    /// Reference streams in sacrebleu's layout: <c>referenceStreams[k][i]</c> is the k-th reference of segment i;
    /// a <see langword="null"/> or empty entry means the segment has fewer references (each needs at least one).
    /// </param>
    /// <param name="options">The options; <see cref="ChrFOptions.Default"/> (chrF) when <see langword="null"/>.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypotheses"/>, <paramref name="referenceStreams"/>, a stream or a hypothesis is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// There are no hypotheses or no reference streams, a stream's length differs from the number of
    /// hypotheses, or a segment has no non-empty reference.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ChrFScore Corpus(
        IReadOnlyList<string> hypotheses,
        IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        ChrFOptions? options = null)
    {
        var opts = Validate(options);
        CorpusValidation.Check(hypotheses, referenceStreams);

        var statistics = new long[3 * (opts.CharOrder + opts.WordOrder)];
        var segmentReferences = new string?[referenceStreams.Count];
        var workspace = TextWorkspace.Current;
        for (var i = 0; i < hypotheses.Count; i++)
        {
            for (var k = 0; k < segmentReferences.Length; k++)
            {
                segmentReferences[k] = referenceStreams[k][i];
            }

            AddSegment(hypotheses[i], segmentReferences, i, opts, workspace, statistics);
        }

        return new ChrFScore(FScore(statistics, opts), opts.CharOrder, opts.WordOrder, opts.Beta);
    }

    /// <summary>Sentence chrF as <c>sacrebleu.sentence_chrf(hypothesis, references, ...)</c>.</summary>
    /// <param name="hypothesis">The hypothesis.</param>
    /// <param name="references">One or more references; <see langword="null"/> or empty entries are skipped. The best-scoring reference is used.</param>
    /// <param name="options">The options; <see cref="ChrFOptions.Default"/> (chrF) when <see langword="null"/>.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypothesis"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> has no non-empty reference.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ChrFScore Sentence(string hypothesis, IReadOnlyList<string> references, ChrFOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        var opts = Validate(options);
        if (references.Count == 0)
        {
            throw new ArgumentException("At least one reference is required.", nameof(references));
        }

        var size = 3 * (opts.CharOrder + opts.WordOrder);
        Span<long> statistics = size <= 96 ? stackalloc long[size] : new long[size];
        statistics.Clear();
        AddSegment(hypothesis, references, -1, opts, TextWorkspace.Current, statistics);
        return new ChrFScore(FScore(statistics, opts), opts.CharOrder, opts.WordOrder, opts.Beta);
    }

    private static ChrFOptions Validate(ChrFOptions? options)
    {
        var opts = options ?? ChrFOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(opts.CharOrder, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(opts.WordOrder, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(opts.Beta, nameof(options));
        if (opts.CharOrder + opts.WordOrder == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CharOrder + WordOrder must be at least 1.");
        }

        return opts;
    }

    private static void AddSegment(
        string hypothesis,
        IReadOnlyList<string?> references,
        int segment,
        ChrFOptions options,
        TextWorkspace workspace,
        Span<long> corpusStatistics)
    {
        workspace.Ngrams.Reset();
        workspace.Characters.Reset();
        workspace.Tokens.Reset();
        var orders = options.CharOrder + options.WordOrder;
        Span<long> hypothesisTotals = orders <= 32 ? stackalloc long[orders] : new long[orders];
        Span<long> current = orders <= 32 ? stackalloc long[3 * orders] : new long[3 * orders];
        Span<long> best = orders <= 32 ? stackalloc long[3 * orders] : new long[3 * orders];
        hypothesisTotals.Clear();

        CountNgrams(hypothesis, options, workspace, reference: -1, hypothesisTotals, current);

        var bestScore = -1.0;
        var referenceCount = 0;
        for (var k = 0; k < references.Count; k++)
        {
            var reference = references[k];
            if (string.IsNullOrEmpty(reference))
            {
                continue;
            }

            current.Clear();
            CountNgrams(reference, options, workspace, referenceCount, hypothesisTotals, current);
            referenceCount++;
            for (var o = 0; o < orders; o++)
            {
                // sacrebleu does not count hypothesis n-grams of an order the reference lacks.
                current[3 * o] = current[(3 * o) + 1] > 0 ? hypothesisTotals[o] : 0;
            }

            var score = FScore(current, options);
            if (score > bestScore)
            {
                bestScore = score;
                current.CopyTo(best);
            }
        }

        if (referenceCount == 0)
        {
            throw new ArgumentException(
                segment < 0
                    ? "No non-empty reference was given."
                    : string.Format(CultureInfo.InvariantCulture, "Segment {0} has no non-empty reference.", segment),
                segment < 0 ? nameof(references) : "referenceStreams");
        }

        for (var i = 0; i < best.Length; i++)
        {
            corpusStatistics[i] += best[i];
        }
    }

    /// <summary>
    /// Counts the character and word n-grams of <paramref name="text"/>. For the hypothesis
    /// (<paramref name="reference"/> = -1) it fills the per-n-gram hypothesis counts and
    /// <paramref name="hypothesisTotals"/>; for a reference it fills the reference totals and matches of
    /// <paramref name="statistics"/> (triples hyp, ref, match per order).
    /// </summary>
    private static void CountNgrams(
        string text,
        ChrFOptions options,
        TextWorkspace workspace,
        int reference,
        Span<long> hypothesisTotals,
        Span<long> statistics)
    {
        ReadOnlySpan<char> line = text;
        if (options.Lowercase && !PythonText.IsLowerInvariant(line))
        {
            var input = workspace.Input(PythonText.MaxLowerLength(line.Length));
            line = input.AsSpan(0, PythonText.Lower(line, input));
        }

        // Character ids of the code points, whitespace removed unless kept.
        var characters = workspace.CodePointBuffer(line.Length);
        var length = 0;
        for (var i = 0; i < line.Length;)
        {
            var cp = PythonText.CodePointAt(line, i, out var units);
            i += units;
            if (!options.IncludeWhitespace && units == 1 && PythonText.IsSpace((char)cp))
            {
                continue;
            }

            characters[length++] = workspace.Characters.GetOrAdd(cp, out _);
        }

        CountSequence(characters.AsSpan(0, length), options.CharOrder, 0, isWord: false, workspace, reference, hypothesisTotals, statistics);

        if (options.WordOrder > 0)
        {
            var words = SplitWords(line, workspace);
            CountSequence(
                workspace.TokenBuffer(words).AsSpan(0, words),
                options.WordOrder,
                options.CharOrder,
                isWord: true,
                workspace,
                reference,
                hypothesisTotals,
                statistics);
        }
    }

    private static void CountSequence(
        ReadOnlySpan<int> items,
        int maxOrder,
        int firstOrderIndex,
        bool isWord,
        TextWorkspace workspace,
        int reference,
        Span<long> hypothesisTotals,
        Span<long> statistics)
    {
        var ngrams = workspace.Ngrams;
        for (var i = 0; i < items.Length; i++)
        {
            var prefix = -1;
            var top = Math.Min(maxOrder, items.Length - i);
            for (var n = 0; n < top; n++)
            {
                // Word unigrams get keys with the sign bit set so they never meet character n-gram keys.
                var key = n == 0 && isWord ? long.MinValue | (uint)items[i] : LongIdMap.Key(prefix, items[i + n]);
                var id = ngrams.GetOrAdd(key, out var added);
                if (added)
                {
                    workspace.EnsureIdCapacity(id);
                    workspace.CountA[id] = 0;
                    workspace.Stamp[id] = -1;
                }

                var order = firstOrderIndex + n;
                if (reference < 0)
                {
                    workspace.CountA[id]++;
                    hypothesisTotals[order]++;
                }
                else
                {
                    if (workspace.Stamp[id] != reference)
                    {
                        workspace.Stamp[id] = reference;
                        workspace.CountC[id] = 0;
                    }

                    statistics[(3 * order) + 1]++;

                    // Adding min(hyp, ref) incrementally: the k-th reference occurrence matches when k <= hyp.
                    if (++workspace.CountC[id] <= workspace.CountA[id])
                    {
                        statistics[(3 * order) + 2]++;
                    }
                }

                prefix = id;
            }
        }
    }

    /// <summary>
    /// sacrebleu's chrF word splitting: whitespace-separated words, with one punctuation character split off
    /// the end of a word, or else off its start.
    /// </summary>
    private static int SplitWords(ReadOnlySpan<char> line, TextWorkspace workspace)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && PythonText.IsSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !PythonText.IsSpace(line[i]))
            {
                i++;
            }

            var word = line[start..i];
            PythonText.CodePointAt(word, 0, out var firstUnits);
            if (firstUnits == word.Length)
            {
                Add(word, workspace, ref count);
            }
            else if (IsAsciiPunctuation(word[^1]))
            {
                Add(word[..^1], workspace, ref count);
                Add(word[^1..], workspace, ref count);
            }
            else if (IsAsciiPunctuation(word[0]))
            {
                Add(word[..1], workspace, ref count);
                Add(word[1..], workspace, ref count);
            }
            else
            {
                Add(word, workspace, ref count);
            }
        }

        return count;

        static void Add(ReadOnlySpan<char> token, TextWorkspace workspace, ref int count)
        {
            var buffer = workspace.TokenBuffer(count + 1, count);
            buffer[count++] = workspace.Tokens.GetOrAdd(token);
        }
    }

    /// <summary>Python's <c>string.punctuation</c>.</summary>
    internal static bool IsAsciiPunctuation(char c) =>
        c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');

    /// <summary>sacrebleu's <c>_compute_f_score</c> on (hyp, ref, match) triples.</summary>
    private static double FScore(ReadOnlySpan<long> statistics, ChrFOptions options)
    {
        var orders = options.CharOrder + options.WordOrder;
        double factor = options.Beta * options.Beta;
        var score = 0.0;
        var averagePrecision = 0.0;
        var averageRecall = 0.0;
        var effectiveOrder = 0;
        for (var i = 0; i < orders; i++)
        {
            var hypothesisCount = statistics[3 * i];
            var referenceCount = statistics[(3 * i) + 1];
            var matchCount = statistics[(3 * i) + 2];
            var precision = hypothesisCount > 0 ? (double)matchCount / hypothesisCount : Epsilon;
            var recall = referenceCount > 0 ? (double)matchCount / referenceCount : Epsilon;
            var denominator = (factor * precision) + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : Epsilon;
            if (hypothesisCount > 0 && referenceCount > 0)
            {
                averagePrecision += precision;
                averageRecall += recall;
                effectiveOrder++;
            }
        }

        if (options.EpsSmoothing)
        {
            return 100 * score / orders;
        }

        if (effectiveOrder == 0)
        {
            averagePrecision = 0.0;
            averageRecall = 0.0;
        }
        else
        {
            averagePrecision /= effectiveOrder;
            averageRecall /= effectiveOrder;
        }

        if (averagePrecision + averageRecall == 0)
        {
            return 0.0;
        }

        var f = (1 + factor) * averagePrecision * averageRecall;
        f /= (factor * averagePrecision) + averageRecall;
        return 100 * f;
    }
}
