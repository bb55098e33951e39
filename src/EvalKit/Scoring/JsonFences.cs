namespace EvalKit.Scoring;

/// <summary>Strips a Markdown code fence (<c>```json ... ```</c>) around JSON text.</summary>
internal static class JsonFences
{
    /// <summary>
    /// Returns the body of the first fenced block when the text holds one (any info string, such as <c>json</c>),
    /// else the text trimmed.
    /// </summary>
    public static string Strip(string text)
    {
        var start = text.IndexOf("```", StringComparison.Ordinal);
        if (start < 0)
        {
            return text.Trim();
        }

        var bodyStart = text.IndexOf('\n', start + 3);
        if (bodyStart < 0)
        {
            return text.Trim();
        }

        var end = text.IndexOf("```", bodyStart + 1, StringComparison.Ordinal);
        var body = end < 0 ? text[(bodyStart + 1)..] : text[(bodyStart + 1)..end];
        return body.Trim();
    }
}
