using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>
/// BLEU (Papineni et al., 2002) with the semantics of sacrebleu 2.x: the same tokenizers, lowercasing,
/// smoothing methods, effective order, closest-reference brevity penalty and multi-reference clipping,
/// so scores agree with sacrebleu to floating-point rounding.
/// </summary>
/// <remarks>
/// Scoring is allocation-free per segment: tokens are interned to ids in per-thread buffers and n-grams of
/// every order are counted through a single open-addressing table.
/// </remarks>
public static class Bleu
{
    /// <summary>
    /// Corpus BLEU as <c>sacrebleu.corpus_bleu(hypotheses, referenceStreams, ...)</c>: n-gram statistics are
    /// summed over all segments before the score is computed.
    /// </summary>
    /// <param name="hypotheses">One hypothesis per segment.</param>
    /// <param name="referenceStreams">
    /// Reference streams in sacrebleu's layout: <c>referenceStreams[k][i]</c> is the k-th reference of segment i.
    /// Every stream has one entry per hypothesis; a <see langword="null"/> or empty entry means the segment has
    /// fewer references (each segment needs at least one).
    /// </param>
    /// <param name="options">The options; <see cref="BleuOptions.Default"/> when <see langword="null"/>. Effective order is off unless set.</param>
    /// <returns>The score and its statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypotheses"/>, <paramref name="referenceStreams"/>, a stream or a hypothesis is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// There are no hypotheses or no reference streams, a stream's length differs from the number of
    /// hypotheses, or a segment has no non-empty reference.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static BleuScore Corpus(
        IReadOnlyList<string> hypotheses,
        IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        BleuOptions? options = null)
    {
        var opts = Validate(options);
        CorpusValidation.Check(hypotheses, referenceStreams);

        var order = opts.MaxNgramOrder;
        var correct = new long[order];
        var total = new long[order];
        long systemLength = 0;
        long referenceLength = 0;
        var segmentReferences = new string?[referenceStreams.Count];
        var workspace = TextWorkspace.Current;
        for (var i = 0; i < hypotheses.Count; i++)
        {
            for (var k = 0; k < segmentReferences.Length; k++)
            {
                segmentReferences[k] = referenceStreams[k][i];
            }

            AddSegment(hypotheses[i], segmentReferences, i, opts, workspace, correct, total, ref systemLength, ref referenceLength);
        }

        return Compute(correct, total, systemLength, referenceLength, opts.Smoothing, opts.SmoothingValue, opts.EffectiveOrder ?? false);
    }

    /// <summary>
    /// Sentence BLEU as <c>sacrebleu.sentence_bleu(hypothesis, references, ...)</c>: the segment scored on its
    /// own, with effective order on by default.
    /// </summary>
    /// <param name="hypothesis">The hypothesis.</param>
    /// <param name="references">One or more references; <see langword="null"/> or empty entries are skipped.</param>
    /// <param name="options">The options; <see cref="BleuOptions.Default"/> when <see langword="null"/>. Effective order is on unless set.</param>
    /// <returns>The score and its statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypothesis"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> has no non-empty reference.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static BleuScore Sentence(string hypothesis, IReadOnlyList<string> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        var opts = Validate(options);
        if (references.Count == 0)
        {
            throw new ArgumentException("At least one reference is required.", nameof(references));
        }

        var order = opts.MaxNgramOrder;
        Span<long> correct = order <= 16 ? stackalloc long[order] : new long[order];
        Span<long> total = order <= 16 ? stackalloc long[order] : new long[order];
        long systemLength = 0;
        long referenceLength = 0;
        AddSegment(hypothesis, references, -1, opts, TextWorkspace.Current, correct, total, ref systemLength, ref referenceLength);
        return Compute(correct, total, systemLength, referenceLength, opts.Smoothing, opts.SmoothingValue, opts.EffectiveOrder ?? true);
    }

    /// <summary>
    /// Computes BLEU from sufficient statistics, as sacrebleu's <c>BLEU.compute_bleu</c>. The maximum order is
    /// the length of <paramref name="counts"/>; <see cref="BleuOptions.MaxNgramOrder"/>, the tokenizer and
    /// lowercasing are not used.
    /// </summary>
    /// <param name="counts">Matched n-grams per order.</param>
    /// <param name="totals">Hypothesis n-grams per order; as many as <paramref name="counts"/>.</param>
    /// <param name="systemLength">Total hypothesis length.</param>
    /// <param name="referenceLength">Total reference length.</param>
    /// <param name="options">Smoothing and effective order; <see cref="BleuOptions.Default"/> when <see langword="null"/> (effective order off unless set).</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> or <paramref name="totals"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/> is empty or its length differs from <paramref name="totals"/>'.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or length is negative, or an option is out of range.</exception>
    public static BleuScore FromStatistics(
        IReadOnlyList<int> counts,
        IReadOnlyList<int> totals,
        int systemLength,
        int referenceLength,
        BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentOutOfRangeException.ThrowIfNegative(systemLength);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceLength);
        var opts = Validate(options);
        if (counts.Count == 0 || counts.Count != totals.Count)
        {
            throw new ArgumentException("counts and totals must be non-empty and of the same length.", nameof(counts));
        }

        var correct = new long[counts.Count];
        var total = new long[counts.Count];
        for (var i = 0; i < correct.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(counts[i], nameof(counts));
            ArgumentOutOfRangeException.ThrowIfNegative(totals[i], nameof(totals));
            correct[i] = counts[i];
            total[i] = totals[i];
        }

        return Compute(correct, total, systemLength, referenceLength, opts.Smoothing, opts.SmoothingValue, opts.EffectiveOrder ?? false);
    }

    private static BleuOptions Validate(BleuOptions? options)
    {
        var opts = options ?? BleuOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxNgramOrder, 1, nameof(options));
        if (!Enum.IsDefined(opts.Tokenizer))
        {
            throw new ArgumentOutOfRangeException(nameof(options), opts.Tokenizer, "Unknown BLEU tokenizer.");
        }

        if (!Enum.IsDefined(opts.Smoothing))
        {
            throw new ArgumentOutOfRangeException(nameof(options), opts.Smoothing, "Unknown BLEU smoothing method.");
        }

        return opts;
    }

    private static void AddSegment(
        string hypothesis,
        IReadOnlyList<string?> references,
        int segment,
        BleuOptions options,
        TextWorkspace workspace,
        Span<long> correct,
        Span<long> total,
        ref long systemLength,
        ref long referenceLength)
    {
        workspace.Tokens.Reset();
        workspace.Ngrams.Reset();
        var order = options.MaxNgramOrder;

        // References first: for each n-gram keep the largest count over the references (CountB),
        // counting each reference separately in CountC, tagged by Stamp.
        var referenceCount = 0;
        var closestLength = -1;
        var closestDiff = -1;
        for (var k = 0; k < references.Count; k++)
        {
            var reference = references[k];
            if (string.IsNullOrEmpty(reference))
            {
                continue;
            }

            var length = SacreBleuTokenizer.Tokenize(options.Tokenizer, reference, options.Lowercase, workspace, 0);
            CountReference(workspace, length, referenceCount, order);
            referenceCount++;
            RememberLength(workspace, referenceCount, length);
        }

        if (referenceCount == 0)
        {
            throw new ArgumentException(
                segment < 0
                    ? "No non-empty reference was given."
                    : string.Format(CultureInfo.InvariantCulture, "Segment {0} has no non-empty reference.", segment),
                segment < 0 ? nameof(references) : "referenceStreams");
        }

        var hypothesisLength = SacreBleuTokenizer.Tokenize(options.Tokenizer, hypothesis, options.Lowercase, workspace, 0);
        CountHypothesis(workspace, hypothesisLength, order, correct, total);

        // The closest reference length; on a tie the shorter reference.
        var lengths = workspace.ReferenceLengths;
        for (var k = 0; k < referenceCount; k++)
        {
            var diff = Math.Abs(hypothesisLength - lengths[k]);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestLength = lengths[k];
            }
            else if (diff == closestDiff && lengths[k] < closestLength)
            {
                closestLength = lengths[k];
            }
        }

        systemLength += hypothesisLength;
        referenceLength += closestLength;
    }

    private static void RememberLength(TextWorkspace workspace, int referenceCount, int length)
    {
        var lengths = workspace.ReferenceLengthBuffer(referenceCount);
        lengths[referenceCount - 1] = length;
    }

    private static void CountReference(TextWorkspace workspace, int length, int referenceIndex, int order)
    {
        var tokens = workspace.TokenBuffer(length);
        var ngrams = workspace.Ngrams;
        int[] maxCount = workspace.CountB, current = workspace.CountC, stamp = workspace.Stamp;
        for (var i = 0; i < length; i++)
        {
            var prefix = -1;
            var top = Math.Min(order, length - i);
            for (var n = 0; n < top; n++)
            {
                var id = ngrams.GetOrAdd(LongIdMap.Key(prefix, tokens[i + n]), out var added);
                if (added)
                {
                    workspace.EnsureIdCapacity(id);
                    maxCount = workspace.CountB;
                    current = workspace.CountC;
                    stamp = workspace.Stamp;
                    workspace.CountA[id] = 0;
                    maxCount[id] = 0;
                    stamp[id] = -1;
                }

                if (stamp[id] != referenceIndex)
                {
                    stamp[id] = referenceIndex;
                    current[id] = 0;
                }

                var count = ++current[id];
                if (count > maxCount[id])
                {
                    maxCount[id] = count;
                }

                prefix = id;
            }
        }
    }

    private static void CountHypothesis(TextWorkspace workspace, int length, int order, Span<long> correct, Span<long> total)
    {
        var tokens = workspace.TokenBuffer(length);
        var ngrams = workspace.Ngrams;
        int[] hypothesisCount = workspace.CountA, maxCount = workspace.CountB;
        for (var i = 0; i < length; i++)
        {
            var prefix = -1;
            var top = Math.Min(order, length - i);
            for (var n = 0; n < top; n++)
            {
                var id = ngrams.GetOrAdd(LongIdMap.Key(prefix, tokens[i + n]), out var added);
                if (added)
                {
                    workspace.EnsureIdCapacity(id);
                    hypothesisCount = workspace.CountA;
                    maxCount = workspace.CountB;
                    hypothesisCount[id] = 0;
                    maxCount[id] = 0;
                }

                // Adding min(hyp, maxRef) incrementally: the k-th occurrence matches when k <= maxRef.
                if (++hypothesisCount[id] <= maxCount[id])
                {
                    correct[n]++;
                }

                total[n]++;
                prefix = id;
            }
        }
    }

    /// <summary>sacrebleu's <c>compute_bleu</c>.</summary>
    internal static BleuScore Compute(
        ReadOnlySpan<long> correct,
        ReadOnlySpan<long> total,
        long systemLength,
        long referenceLength,
        BleuSmoothing smoothing,
        double? smoothingValue,
        bool effectiveOrder)
    {
        var order = correct.Length;
        var value = smoothingValue ?? smoothing switch
        {
            BleuSmoothing.Floor => 0.1,
            BleuSmoothing.AddK => 1.0,
            _ => 0.0,
        };

        double brevityPenalty;
        if (systemLength < referenceLength)
        {
            brevityPenalty = systemLength > 0 ? Math.Exp(1 - ((double)referenceLength / systemLength)) : 0.0;
        }
        else
        {
            brevityPenalty = 1.0;
        }

        var counts = new int[order];
        var totals = new int[order];
        for (var n = 0; n < order; n++)
        {
            counts[n] = checked((int)correct[n]);
            totals[n] = checked((int)total[n]);
        }

        var precisions = new double[order];
        var sysLen = checked((int)systemLength);
        var refLen = checked((int)referenceLength);

        var anyMatch = false;
        foreach (var c in correct)
        {
            anyMatch |= c != 0;
        }

        if (!anyMatch)
        {
            return new BleuScore(0.0, counts, totals, precisions, brevityPenalty, sysLen, refLen);
        }

        var smoothMteval = 1.0;
        var effective = order;
        for (var n = 1; n <= order; n++)
        {
            double matches = correct[n - 1];
            double candidates = total[n - 1];
            if (smoothing == BleuSmoothing.AddK && n > 1)
            {
                matches += value;
                candidates += value;
            }

            if (candidates == 0)
            {
                break;
            }

            if (effectiveOrder)
            {
                effective = n;
            }

            if (matches == 0)
            {
                if (smoothing == BleuSmoothing.Exponential)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * candidates);
                }
                else if (smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * value / candidates;
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * matches / candidates;
            }
        }

        var logSum = 0.0;
        for (var n = 0; n < effective; n++)
        {
            // sacrebleu floors log(0) to -9999999999.
            logSum += precisions[n] == 0.0 ? -9999999999.0 : Math.Log(precisions[n]);
        }

        var score = brevityPenalty * Math.Exp(logSum / effective);
        return new BleuScore(score, counts, totals, precisions, brevityPenalty, sysLen, refLen);
    }
}
