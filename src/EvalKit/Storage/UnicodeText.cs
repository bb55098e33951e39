using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EvalKit.Storage;

/// <summary>
/// How every provider stores text that is not well-formed UTF-16: a lone (unpaired) surrogate cannot be encoded as UTF-8, so
/// it is stored, and read back, as U+FFFD REPLACEMENT CHARACTER, the substitution the Unicode standard recommends and the
/// one System.Text.Json and the SQLite driver make on their own. Well-formed text, surrogate pairs included, is never changed.
/// </summary>
internal static class UnicodeText
{
    private static readonly byte[] Replacement = [0xEF, 0xBF, 0xBD];
    private static readonly byte[] EscapedReplacement = "\\uFFFD"u8.ToArray();

    /// <summary>Tells whether text holds a surrogate that is not half of a pair.</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return false;
        }

        for (; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces each lone surrogate with U+FFFD; returns the same instance when there is none.</summary>
    public static string? Replace(string? text) =>
        text is null || !HasLoneSurrogate(text) ? text : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Returns the record as a provider that stores JSON reads it back: a copy with lone surrogates replaced, or the record itself when it has none.</summary>
    public static T Scrub<T>(T record, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, typeInfo);
        return HasReplacement(json) ? JsonSerializer.Deserialize(json, typeInfo)! : record;
    }

    /// <summary>Scrubs the items that may hold a lone surrogate (<paramref name="suspect"/>); returns the list itself when none does.</summary>
    public static IReadOnlyList<T> ScrubAll<T>(IReadOnlyList<T> items, Func<T, bool> suspect, JsonTypeInfo<T> typeInfo)
    {
        T[]? copy = null;
        for (var i = 0; i < items.Count; i++)
        {
            if (suspect(items[i]))
            {
                copy ??= [.. items];
                copy[i] = Scrub(items[i], typeInfo);
            }
        }

        return copy ?? items;
    }

    /// <summary>Tells whether a string holds a lone surrogate.</summary>
    public static bool Has(string? text) => text is not null && HasLoneSurrogate(text);

    /// <summary>Tells whether a result's text may hold a lone surrogate.</summary>
    public static bool Suspect(Evaluation.CaseResult result) =>
        Has(result.RunId) || Has(result.CaseId) || Has(result.Group) || Has(result.Output) || Has(result.Error?.Message)
        || result.Scores.Any(score => Has(score.Name) || Has(score.Label) || Has(score.Explanation) || Has(score.Error));

    /// <summary>Tells whether a metric point's text may hold a lone surrogate.</summary>
    public static bool Suspect(Metrics.MetricPoint point) =>
        Has(point.ModelId) || Has(point.Name) || Has(point.RunId) || point.Tags.Any(tag => Has(tag.Key) || Has(tag.Value));

    /// <summary>Tells whether serialized JSON holds U+FFFD (written for a lone surrogate, or present in the text already).</summary>
    public static bool HasReplacement(ReadOnlySpan<byte> json) =>
        json.IndexOf(Replacement) >= 0 || json.IndexOf(EscapedReplacement) >= 0;
}
