using System.Globalization;
using System.Text;

namespace EvalKit.Scoring;

/// <summary>
/// Character rules of CPython 3 string handling that the reference metric implementations rely on:
/// <c>str.isspace</c>/<c>str.split()</c> whitespace, <c>str.lower()</c> (full lowercase mapping with the
/// final-sigma rule) and the Unicode-aware <c>\w</c> class of the <c>re</c> module.
/// </summary>
internal static class PythonText
{
    private const char CapitalSigma = '\u03A3';
    private const char SmallSigma = '\u03C3';
    private const char SmallFinalSigma = '\u03C2';
    private const char CapitalIWithDot = '\u0130';
    private const char CombiningDotAbove = '\u0307';

    /// <summary>True for the characters CPython treats as whitespace (<c>str.isspace()</c>, <c>str.split()</c>, <c>re</c>'s <c>\s</c>).</summary>
    /// <remarks>Unlike <see cref="char.IsWhiteSpace(char)"/>, this includes U+001C..U+001F.</remarks>
    public static bool IsSpace(char c)
    {
        if (c <= ' ')
        {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F');
        }

        if (c < '\u0085')
        {
            return false;
        }

        return c == '\u0085' || c == '\u00A0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200A')
            || c == '\u2028' || c == '\u2029' || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }

    /// <summary>Length of <paramref name="text"/> without trailing Python whitespace (<c>str.rstrip()</c>).</summary>
    public static int RStripLength(ReadOnlySpan<char> text)
    {
        var end = text.Length;
        while (end > 0 && IsSpace(text[end - 1]))
        {
            end--;
        }

        return end;
    }

    /// <summary>The largest number of UTF-16 units <see cref="Lower(ReadOnlySpan{char}, Span{char})"/> can write for an input of <paramref name="length"/> units.</summary>
    public static int MaxLowerLength(int length) => checked(length * 2);

    /// <summary>True when <paramref name="text"/> has no character that Python lowercasing would change.</summary>
    public static bool IsLowerInvariant(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Writes Python's <c>str.lower()</c> of <paramref name="source"/> into <paramref name="destination"/>
    /// and returns the number of UTF-16 units written. <paramref name="destination"/> must hold at least
    /// <see cref="MaxLowerLength"/> units.
    /// </summary>
    /// <remarks>
    /// Python applies the full (SpecialCasing) lowercase mapping: U+0130 becomes "i" followed by U+0307,
    /// and a capital sigma becomes the final form when it ends a word (Unicode's Final_Sigma context).
    /// All other characters use the simple mapping, which .NET's invariant casing provides.
    /// </remarks>
    public static int Lower(ReadOnlySpan<char> source, Span<char> destination)
    {
        var written = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c < 0x80)
            {
                destination[written++] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                var lowered = Rune.ToLowerInvariant(new Rune(c, source[i + 1]));
                written += lowered.EncodeToUtf16(destination[written..]);
                i++;
            }
            else if (c == CapitalIWithDot)
            {
                destination[written++] = 'i';
                destination[written++] = CombiningDotAbove;
            }
            else if (c == CapitalSigma)
            {
                destination[written++] = IsFinalSigma(source, i) ? SmallFinalSigma : SmallSigma;
            }
            else if (char.IsSurrogate(c))
            {
                destination[written++] = c;
            }
            else
            {
                destination[written++] = char.ToLowerInvariant(c);
            }
        }

        return written;
    }

    /// <summary>Python's <c>str.lower()</c> as a new string.</summary>
    public static string Lower(string text)
    {
        if (IsLowerInvariant(text))
        {
            return text;
        }

        var buffer = text.Length <= 256 ? stackalloc char[MaxLowerLength(text.Length)] : new char[MaxLowerLength(text.Length)];
        var length = Lower(text, buffer);
        return new string(buffer[..length]);
    }

    /// <summary>True for the characters matched by <c>\w</c> in Python 3's <c>re</c> on str patterns: letters, numbers and '_'.</summary>
    public static bool IsWordCharacter(int codePoint)
    {
        if (codePoint < 0x80)
        {
            return (uint)((codePoint | 0x20) - 'a') <= 'z' - 'a' || (uint)(codePoint - '0') <= 9 || codePoint == '_';
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }

    /// <summary>Reads the code point starting at <paramref name="index"/>; a lone surrogate is returned as itself.</summary>
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int units)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            units = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        units = 1;
        return c;
    }

    /// <summary>Reads the code point that ends just before <paramref name="end"/>; a lone surrogate is returned as itself.</summary>
    private static int CodePointBefore(ReadOnlySpan<char> text, int end, out int units)
    {
        var c = text[end - 1];
        if (char.IsLowSurrogate(c) && end >= 2 && char.IsHighSurrogate(text[end - 2]))
        {
            units = 2;
            return char.ConvertToUtf32(text[end - 2], c);
        }

        units = 1;
        return c;
    }

    // CPython's rule: the sigma is final when, skipping case-ignorable characters, a cased character
    // precedes it and no cased character follows it.
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int index)
    {
        var j = index;
        var precededByCased = false;
        while (j > 0)
        {
            var cp = CodePointBefore(text, j, out var units);
            j -= units;
            if (!IsCaseIgnorable(cp))
            {
                precededByCased = IsCased(cp);
                break;
            }
        }

        if (!precededByCased)
        {
            return false;
        }

        j = index + 1;
        while (j < text.Length)
        {
            var cp = CodePointAt(text, j, out var units);
            j += units;
            if (!IsCaseIgnorable(cp))
            {
                return !IsCased(cp);
            }
        }

        return true;
    }

    // Unicode Case_Ignorable: Mn, Me, Cf, Lm, Sk and the Word_Break MidLetter/MidNumLet/Single_Quote characters.
    private static bool IsCaseIgnorable(int cp)
    {
        switch (cp)
        {
            case 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
                or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A:
                return true;
            default:
                if (cp < 0x80)
                {
                    return cp == '^' || cp == '`';
                }

                return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                    or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
        }
    }

    // Unicode Cased (for characters that are not case-ignorable): Lu, Ll, Lt plus Other_Lowercase/Other_Uppercase symbols.
    private static bool IsCased(int cp)
    {
        if (cp < 0x80)
        {
            return (uint)((cp | 0x20) - 'a') <= 'z' - 'a';
        }

        if (cp is 0xAA or 0xBA or (>= 0x2160 and <= 0x217F) or (>= 0x24B6 and <= 0x24E9)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189))
        {
            return true;
        }

        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter;
    }
}
