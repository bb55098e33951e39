using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EvalKit.Scoring;

/// <summary>Prompt rendering and verdict reading shared by the LLM judges.</summary>
internal static partial class JudgeText
{
    /// <summary>Replaces <c>{{name}}</c> placeholders in one pass; unknown placeholders stay as written.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        PlaceholderRegex().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    /// <summary>Finds the first JSON object of the text that has one of the given properties.</summary>
    public static bool TryFindJsonObject(string text, string[] keys, out JsonElement element, out JsonDocument? owner)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var bytes = Encoding.UTF8.GetBytes(text[start..]);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            JsonDocument document;
            try
            {
                document = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException)
            {
                continue;
            }

            if (TryGetProperty(document.RootElement, keys, out _))
            {
                element = document.RootElement;
                owner = document;
                return true;
            }

            document.Dispose();
        }

        element = default;
        owner = null;
        return false;
    }

    /// <summary>Gets the first property whose name equals one of the keys, ignoring case.</summary>
    public static bool TryGetProperty(JsonElement element, string[] keys, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in keys)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase))
                    {
                        value = property.Value;
                        return true;
                    }
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads a number from a JSON number or a numeric string.</summary>
    public static bool TryGetNumber(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(element.GetString()?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value),
            _ => false,
        };
    }

    /// <summary>Gets the value of the last <c>Key: value</c> line for one of the keys (optionally bold or bulleted).</summary>
    public static string? LastLineValue(string text, string keysPattern)
    {
        var regex = new Regex(
            @"^[\s>#*\-]*(?:final\s+)?(?:" + keysPattern + @")\s*\**\s*[:=]\s*\**\s*(?<v>.*?)\s*\**\s*$",
            RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
        string? last = null;
        for (var m = regex.Match(text); m.Success; m = m.NextMatch())
        {
            last = m.Groups["v"].Value;
        }

        return last;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PlaceholderRegex();
}
