using System.Text;

namespace EvalKit.Scoring;

/// <summary>Applies <see cref="TextNormalization"/> options to text.</summary>
public static class TextNormalizer
{
    /// <summary>Normalizes text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="options">The normalization to apply.</param>
    /// <returns>The normalized text.</returns>
    public static string Normalize(string text, TextNormalization options)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (options == TextNormalization.None)
        {
            return text;
        }

        if (options == TextNormalization.Trim)
        {
            return text.Trim();
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        var collapse = (options & (TextNormalization.CollapseWhitespace | TextNormalization.RemoveArticles)) != 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var r = rune;
            if ((options & TextNormalization.RemovePunctuation) != 0 && (Rune.IsPunctuation(r) || Rune.IsSymbol(r)))
            {
                continue;
            }

            if (collapse && Rune.IsWhiteSpace(r))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            if ((options & TextNormalization.IgnoreCase) != 0)
            {
                r = Rune.ToLowerInvariant(r);
            }

            builder.Append(r.ToString());
        }

        var result = builder.ToString();
        if ((options & TextNormalization.RemoveArticles) != 0)
        {
            var words = result.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            result = string.Join(' ', words.Where(w => !IsArticle(w, (options & TextNormalization.IgnoreCase) != 0)));
        }

        if ((options & TextNormalization.Trim) != 0)
        {
            result = result.Trim();
        }

        return result;
    }

    private static bool IsArticle(string word, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return word.Equals("a", comparison) || word.Equals("an", comparison) || word.Equals("the", comparison);
    }
}
