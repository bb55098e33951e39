using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>
/// Exact match and token F1 of the official SQuAD v1.1 evaluation script (<c>evaluate-v1.1.py</c>), with its
/// answer normalization: Python lowercasing, removal of ASCII punctuation (<c>string.punctuation</c>), removal
/// of the articles "a", "an" and "the" as whole words (<c>\b(a|an|the)\b</c> with Unicode word characters)
/// and whitespace collapsing.
/// </summary>
public static class SquadText
{
    /// <summary>Normalizes an answer as the script's <c>normalize_answer</c>.</summary>
    /// <param name="answer">The answer text.</param>
    /// <returns>The normalized text: lowercase, no punctuation or articles, single spaces, no leading or trailing space.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="answer"/> is <see langword="null"/>.</exception>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var buffer = new char[PythonText.MaxLowerLength(answer.Length)];
        return new string(Normalize(answer, buffer));
    }

    /// <summary>1.0 when the normalized texts are equal, else 0.0 (the script's <c>exact_match_score</c>).</summary>
    /// <param name="prediction">The predicted answer.</param>
    /// <param name="truth">The ground-truth answer.</param>
    /// <returns>1.0 or 0.0.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static double ExactMatch(string prediction, string truth)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truth);
        var workspace = TextWorkspace.Current;
        var normalizedPrediction = Normalize(prediction, workspace.BufferA(PythonText.MaxLowerLength(prediction.Length)));
        var normalizedTruth = Normalize(truth, workspace.BufferB(PythonText.MaxLowerLength(truth.Length)));
        return normalizedPrediction.SequenceEqual(normalizedTruth) ? 1.0 : 0.0;
    }

    /// <summary>The best exact match over several ground truths (the script's <c>metric_max_over_ground_truths</c>).</summary>
    /// <param name="prediction">The predicted answer.</param>
    /// <param name="truths">The ground-truth answers; at least one.</param>
    /// <returns>1.0 when the prediction matches any truth, else 0.0.</returns>
    /// <exception cref="ArgumentNullException">An argument or a truth is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="truths"/> is empty.</exception>
    public static double ExactMatch(string prediction, IReadOnlyList<string> truths) => MaxOver(prediction, truths, ExactMatch);

    /// <summary>Token-level F1 of the normalized texts (the script's <c>f1_score</c>); 0 when no token is shared.</summary>
    /// <param name="prediction">The predicted answer.</param>
    /// <param name="truth">The ground-truth answer.</param>
    /// <returns>The F1, 0 to 1.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static double F1(string prediction, string truth)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truth);
        var workspace = TextWorkspace.Current;
        var normalizedPrediction = Normalize(prediction, workspace.BufferA(PythonText.MaxLowerLength(prediction.Length)));
        var normalizedTruth = Normalize(truth, workspace.BufferB(PythonText.MaxLowerLength(truth.Length)));

        workspace.Tokens.Reset();
        var predictionCount = SacreBleuTokenizer.SplitAndIntern(normalizedPrediction, workspace, 0);
        var truthCount = SacreBleuTokenizer.SplitAndIntern(normalizedTruth, workspace, predictionCount);
        var tokens = workspace.TokenBuffer(predictionCount + truthCount);
        var vocabulary = workspace.Tokens.Count;
        workspace.EnsureIdCapacity(vocabulary);
        var predictionCounts = workspace.CountA.AsSpan(0, vocabulary);
        var truthCounts = workspace.CountB.AsSpan(0, vocabulary);
        predictionCounts.Clear();
        truthCounts.Clear();
        for (var i = 0; i < predictionCount; i++)
        {
            predictionCounts[tokens[i]]++;
        }

        var same = 0;
        for (var i = 0; i < truthCount; i++)
        {
            var token = tokens[predictionCount + i];
            if (++truthCounts[token] <= predictionCounts[token])
            {
                same++;
            }
        }

        if (same == 0)
        {
            return 0.0;
        }

        var precision = 1.0 * same / predictionCount;
        var recall = 1.0 * same / truthCount;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The best token F1 over several ground truths (the script's <c>metric_max_over_ground_truths</c>).</summary>
    /// <param name="prediction">The predicted answer.</param>
    /// <param name="truths">The ground-truth answers; at least one.</param>
    /// <returns>The highest F1, 0 to 1.</returns>
    /// <exception cref="ArgumentNullException">An argument or a truth is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="truths"/> is empty.</exception>
    public static double F1(string prediction, IReadOnlyList<string> truths) => MaxOver(prediction, truths, F1);

    private static double MaxOver(string prediction, IReadOnlyList<string> truths, Func<string, string, double> metric)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truths);
        if (truths.Count == 0)
        {
            throw new ArgumentException("At least one ground truth is required.", nameof(truths));
        }

        var best = double.NegativeInfinity;
        for (var i = 0; i < truths.Count; i++)
        {
            var truth = truths[i] ?? throw new ArgumentNullException(
                nameof(truths),
                string.Format(CultureInfo.InvariantCulture, "truths[{0}] is null.", i));
            best = Math.Max(best, metric(prediction, truth));
        }

        return best;
    }

    /// <summary>Normalizes <paramref name="text"/> into <paramref name="buffer"/> (at least twice its length).</summary>
    private static ReadOnlySpan<char> Normalize(string text, Span<char> buffer)
    {
        // lower(), then remove_punc(): drop every character of string.punctuation.
        var length = PythonText.Lower(text, buffer);
        var kept = 0;
        for (var i = 0; i < length; i++)
        {
            var c = buffer[i];
            if (!ChrF.IsAsciiPunctuation(c))
            {
                buffer[kept++] = c;
            }
        }

        // remove_articles(): every maximal run of word characters equal to a, an or the becomes one space.
        length = kept;
        var write = 0;
        var read = 0;
        while (read < length)
        {
            var cp = PythonText.CodePointAt(buffer[..length], read, out var units);
            if (!PythonText.IsWordCharacter(cp))
            {
                for (var u = 0; u < units; u++)
                {
                    buffer[write++] = buffer[read++];
                }

                continue;
            }

            var start = read;
            while (read < length)
            {
                var next = PythonText.CodePointAt(buffer[..length], read, out var nextUnits);
                if (!PythonText.IsWordCharacter(next))
                {
                    break;
                }

                read += nextUnits;
            }

            var word = buffer[start..read];
            if (word is "a" or "an" or "the")
            {
                buffer[write++] = ' ';
            }
            else
            {
                // write <= start, so copying forward in place is safe.
                word.CopyTo(buffer[write..]);
                write += word.Length;
            }
        }

        // white_space_fix(): split on whitespace and join with single spaces.
        length = write;
        write = 0;
        read = 0;
        while (read < length)
        {
            while (read < length && PythonText.IsSpace(buffer[read]))
            {
                read++;
            }

            if (read == length)
            {
                break;
            }

            if (write > 0)
            {
                buffer[write++] = ' ';
            }

            while (read < length && !PythonText.IsSpace(buffer[read]))
            {
                buffer[write++] = buffer[read++];
            }
        }

        return buffer[..write];
    }
}
