using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>
/// sacrebleu's BLEU preprocessing: optional Python lowercasing, <c>rstrip()</c>, then the '13a', 'intl',
/// 'char' or 'none' tokenizer, then a Python whitespace split. Tokens are interned into the workspace
/// instead of being materialised as strings.
/// </summary>
internal static class SacreBleuTokenizer
{
    /// <summary>
    /// Tokenizes <paramref name="text"/> and writes the token ids into the workspace token buffer starting
    /// at <paramref name="offset"/>; returns the number of tokens.
    /// </summary>
    public static int Tokenize(BleuTokenizer tokenizer, string text, bool lowercase, TextWorkspace workspace, int offset)
    {
        ReadOnlySpan<char> line = text;
        if (lowercase && !PythonText.IsLowerInvariant(line))
        {
            var input = workspace.Input(PythonText.MaxLowerLength(line.Length));
            line = input.AsSpan(0, PythonText.Lower(line, input));
        }

        line = line[..PythonText.RStripLength(line)];
        return tokenizer switch
        {
            BleuTokenizer.Mteval13a => SplitAndIntern(Mteval13a(line, workspace), workspace, offset),
            BleuTokenizer.International => SplitAndIntern(International(line, workspace), workspace, offset),
            BleuTokenizer.Character => InternCharacters(line, workspace, offset),
            BleuTokenizer.None => SplitAndIntern(line, workspace, offset),
            _ => throw new ArgumentOutOfRangeException(nameof(tokenizer), tokenizer, "Unknown BLEU tokenizer."),
        };
    }

    /// <summary>Interns each maximal run of non-whitespace characters (Python <c>str.split()</c>).</summary>
    public static int SplitAndIntern(ReadOnlySpan<char> text, TextWorkspace workspace, int offset)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && PythonText.IsSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && !PythonText.IsSpace(text[i]))
            {
                i++;
            }

            var buffer = workspace.TokenBuffer(offset + count + 1, offset + count);
            buffer[offset + count] = workspace.Tokens.GetOrAdd(text[start..i]);
            count++;
        }

        return count;
    }

    /// <summary>The 'char' tokenizer: every non-whitespace code point is a token.</summary>
    private static int InternCharacters(ReadOnlySpan<char> text, TextWorkspace workspace, int offset)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            PythonText.CodePointAt(text, i, out var units);
            if (!PythonText.IsSpace(text[i]))
            {
                var buffer = workspace.TokenBuffer(offset + count + 1, offset + count);
                buffer[offset + count] = workspace.Tokens.GetOrAdd(text.Slice(i, units));
                count++;
            }

            i += units;
        }

        return count;
    }

    /// <summary>
    /// The mteval-v13a tokenizer: removes "&lt;skipped&gt;" and "-\n", turns newlines into spaces, unescapes
    /// four HTML entities, pads with spaces and applies the four regular expressions of sacrebleu's
    /// <c>TokenizerRegexp</c>, each as one left-to-right, non-overlapping pass.
    /// </summary>
    private static ReadOnlySpan<char> Mteval13a(ReadOnlySpan<char> line, TextWorkspace workspace)
    {
        if (line.IndexOfAny('<', '\n', '&') >= 0)
        {
            line = ApplyLanguageIndependentRules(line, workspace);
        }

        // Pass 1: ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> " \1 ", applied to " " + line + " ".
        var a = workspace.BufferA((line.Length * 3) + 6);
        var n = 0;
        a[n++] = ' ';
        a[n++] = ' ';
        a[n++] = ' ';
        foreach (var c in line)
        {
            if (IsPass1Symbol(c))
            {
                a[n++] = ' ';
                a[n++] = c;
                a[n++] = ' ';
            }
            else
            {
                a[n++] = c;
            }
        }

        a[n++] = ' ';
        a[n++] = ' ';
        a[n++] = ' ';

        // Pass 2: ([^0-9])([\.,]) -> "\1 \2 "
        var b = workspace.BufferB(n * 2);
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            var c = a[i];
            if (!IsDigit(c) && i + 1 < n && a[i + 1] is '.' or ',')
            {
                b[m++] = c;
                b[m++] = ' ';
                b[m++] = a[i + 1];
                b[m++] = ' ';
                i++;
            }
            else
            {
                b[m++] = c;
            }
        }

        // Pass 3: ([\.,])([^0-9]) -> " \1 \2"
        a = workspace.BufferA(m * 2);
        n = 0;
        for (var i = 0; i < m; i++)
        {
            var c = b[i];
            if (c is '.' or ',' && i + 1 < m && !IsDigit(b[i + 1]))
            {
                a[n++] = ' ';
                a[n++] = c;
                a[n++] = ' ';
                a[n++] = b[i + 1];
                i++;
            }
            else
            {
                a[n++] = c;
            }
        }

        // Pass 4: ([0-9])(-) -> "\1 \2 "
        b = workspace.BufferB(n * 2);
        m = 0;
        for (var i = 0; i < n; i++)
        {
            var c = a[i];
            if (IsDigit(c) && i + 1 < n && a[i + 1] == '-')
            {
                b[m++] = c;
                b[m++] = ' ';
                b[m++] = '-';
                b[m++] = ' ';
                i++;
            }
            else
            {
                b[m++] = c;
            }
        }

        return b.AsSpan(0, m);
    }

    private static ReadOnlySpan<char> ApplyLanguageIndependentRules(ReadOnlySpan<char> line, TextWorkspace workspace)
    {
        // Every replacement below shortens or keeps the text, so it runs in place in one buffer.
        // The line may already live in the input buffer (after lowercasing); copying onto itself is harmless.
        var buffer = workspace.Input(line.Length);
        line.CopyTo(buffer);
        var span = buffer.AsSpan(0, line.Length);
        span = ReplaceInPlace(span, "<skipped>", string.Empty);
        span = ReplaceInPlace(span, "-\n", string.Empty);
        span.Replace('\n', ' ');
        if (span.Contains('&'))
        {
            span = ReplaceInPlace(span, "&quot;", "\"");
            span = ReplaceInPlace(span, "&amp;", "&");
            span = ReplaceInPlace(span, "&lt;", "<");
            span = ReplaceInPlace(span, "&gt;", ">");
        }

        return span;
    }

    /// <summary>Python's <c>str.replace</c> for a replacement no longer than the pattern, done in place.</summary>
    private static Span<char> ReplaceInPlace(Span<char> text, ReadOnlySpan<char> pattern, ReadOnlySpan<char> replacement)
    {
        var read = text.IndexOf(pattern, StringComparison.Ordinal);
        if (read < 0)
        {
            return text;
        }

        var write = read;
        while (read < text.Length)
        {
            if (text[read..].StartsWith(pattern, StringComparison.Ordinal))
            {
                replacement.CopyTo(text[write..]);
                write += replacement.Length;
                read += pattern.Length;
            }
            else
            {
                text[write++] = text[read++];
            }
        }

        return text[..write];
    }

    /// <summary>
    /// sacrebleu's 'intl' tokenizer (mteval-v14 international): splits punctuation not between digits and
    /// every symbol, using Unicode general categories of code points.
    /// </summary>
    private static ReadOnlySpan<char> International(ReadOnlySpan<char> line, TextWorkspace workspace)
    {
        // Pass 1: (\P{N})(\p{P}) -> "\1 \2 "
        var a = workspace.BufferA((line.Length * 2) + 2);
        var n = 0;
        var i = 0;
        while (i < line.Length)
        {
            var first = PythonText.CodePointAt(line, i, out var firstUnits);
            if (i + firstUnits < line.Length)
            {
                var second = PythonText.CodePointAt(line, i + firstUnits, out var secondUnits);
                if (!IsNumber(first) && IsPunctuation(second))
                {
                    line.Slice(i, firstUnits).CopyTo(a.AsSpan(n));
                    n += firstUnits;
                    a[n++] = ' ';
                    line.Slice(i + firstUnits, secondUnits).CopyTo(a.AsSpan(n));
                    n += secondUnits;
                    a[n++] = ' ';
                    i += firstUnits + secondUnits;
                    continue;
                }
            }

            line.Slice(i, firstUnits).CopyTo(a.AsSpan(n));
            n += firstUnits;
            i += firstUnits;
        }

        // Pass 2: (\p{P})(\P{N}) -> " \1 \2"
        var b = workspace.BufferB((n * 2) + 2);
        var m = 0;
        ReadOnlySpan<char> source = a.AsSpan(0, n);
        i = 0;
        while (i < source.Length)
        {
            var first = PythonText.CodePointAt(source, i, out var firstUnits);
            if (i + firstUnits < source.Length)
            {
                var second = PythonText.CodePointAt(source, i + firstUnits, out var secondUnits);
                if (IsPunctuation(first) && !IsNumber(second))
                {
                    b[m++] = ' ';
                    source.Slice(i, firstUnits).CopyTo(b.AsSpan(m));
                    m += firstUnits;
                    b[m++] = ' ';
                    source.Slice(i + firstUnits, secondUnits).CopyTo(b.AsSpan(m));
                    m += secondUnits;
                    i += firstUnits + secondUnits;
                    continue;
                }
            }

            source.Slice(i, firstUnits).CopyTo(b.AsSpan(m));
            m += firstUnits;
            i += firstUnits;
        }

        // Pass 3: (\p{S}) -> " \1 "
        a = workspace.BufferA((m * 3) + 2);
        n = 0;
        source = b.AsSpan(0, m);
        i = 0;
        while (i < source.Length)
        {
            var cp = PythonText.CodePointAt(source, i, out var units);
            var symbol = IsSymbol(cp);
            if (symbol)
            {
                a[n++] = ' ';
            }

            source.Slice(i, units).CopyTo(a.AsSpan(n));
            n += units;
            if (symbol)
            {
                a[n++] = ' ';
            }

            i += units;
        }

        return a.AsSpan(0, n);
    }

    private static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    private static bool IsPass1Symbol(char c) =>
        c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';

    private static bool IsNumber(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint)
        is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsPunctuation(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint)
        is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsSymbol(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint)
        is UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
        or UnicodeCategory.OtherSymbol;
}
