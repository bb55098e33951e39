using System.Text;
using System.Text.RegularExpressions;

namespace EvalKit.Docs.Tests;

/// <summary>A relative link of a Markdown page.</summary>
/// <param name="Line">The 1-based line.</param>
/// <param name="Target">The target as written (<c>storage.md#scaling-out</c>).</param>
public sealed record MarkdownLink(int Line, string Target);

/// <summary>Finds relative links and heading anchors in Markdown pages (outside code blocks and code spans).</summary>
public static partial class MarkdownLinks
{
    /// <summary>Gets the relative links of a page: not <c>http(s):</c>, <c>mailto:</c> or in-page (<c>#...</c>) ones.</summary>
    /// <param name="markdown">The page.</param>
    /// <returns>The links, in page order.</returns>
    public static IReadOnlyList<MarkdownLink> RelativeLinks(string markdown)
    {
        var links = new List<MarkdownLink>();
        foreach (var (line, number) in ProseLines(markdown))
        {
            foreach (Match m in Link().Matches(WithoutCodeSpans(line)))
            {
                var target = m.Groups["target"].Value;
                if (!target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal) && !target.StartsWith('#'))
                {
                    links.Add(new MarkdownLink(number, target));
                }
            }
        }

        return links;
    }

    /// <summary>Gets the anchors of a page's headings, as GitHub makes them (lower case, punctuation dropped, spaces to hyphens, repeats numbered).</summary>
    /// <param name="markdown">The page.</param>
    /// <returns>The anchors.</returns>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, _) in ProseLines(markdown))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var i = 1; !anchors.Add(unique); i++)
            {
                unique = $"{slug}-{i}";
            }
        }

        return anchors;
    }

    /// <summary>Makes a heading's anchor the way GitHub does.</summary>
    /// <param name="heading">The heading's text.</param>
    /// <returns>The anchor, without '#'.</returns>
    public static string Slug(string heading)
    {
        ArgumentNullException.ThrowIfNull(heading);
        var text = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('-');
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Line, int Number)> ProseLines(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = new string(trimmed[0], trimmed.TakeWhile(c => c == trimmed[0]).Count());
                continue;
            }

            if (fence is not null)
            {
                if (trimmed.TrimEnd().Length >= fence.Length && trimmed.TrimEnd().All(c => c == fence[0]))
                {
                    fence = null;
                }

                continue;
            }

            yield return (lines[i], i + 1);
        }
    }

    private static string WithoutCodeSpans(string line) => CodeSpan().Replace(line, "");

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"(`+).*?\1")]
    private static partial Regex CodeSpan();
}
