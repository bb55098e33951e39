using System.Text;

namespace EvalKit.Reporting;

/// <summary>
/// HTML encoding for text and attribute values: &amp;, &lt;, &gt;, quotes and apostrophes become character references;
/// control characters other than tab, line feed and carriage return, and lone surrogates, become U+FFFD.
/// </summary>
internal static class Html
{
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' or '\n' or '\r' => null,
                < ' ' or '\u007F' => "\uFFFD",
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) => null,
                _ when char.IsSurrogate(c) => "\uFFFD",
                _ => null,
            };
            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            builder.Append(replacement);
        }

        return builder?.ToString() ?? text;
    }

    /// <summary>Shortens text for a chart label, keeping the start; the full text goes into a <c>title</c>.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
