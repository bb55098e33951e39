using System.Text.RegularExpressions;

namespace EvalKit.Docs.Tests;

/// <summary>A fenced code block of a Markdown page.</summary>
/// <param name="File">The page, relative to the repository root, with forward slashes (<c>docs/storage.md</c>).</param>
/// <param name="FenceLine">The 1-based line of the opening fence.</param>
/// <param name="Language">The fence's language, lower-cased (empty when none).</param>
/// <param name="Code">The block's lines, without the fences and without the fence's indentation.</param>
/// <param name="NotCompiledReason">The reason of a <c>&lt;!-- not compiled: reason --&gt;</c> marker just before the block, if any.</param>
public sealed record MarkdownCodeBlock(string File, int FenceLine, string Language, string Code, string? NotCompiledReason)
{
    /// <summary>Gets the 1-based line of the block's first code line.</summary>
    public int FirstCodeLine => FenceLine + 1;

    /// <summary>Gets whether the block is C# (<c>csharp</c>, <c>cs</c> or <c>c#</c>).</summary>
    public bool IsCSharp => MarkdownCodeBlocks.CSharpLanguages.Contains(Language);

    /// <summary>Gets whether the block is C# that the docs test compiles.</summary>
    public bool IsCompiled => IsCSharp && NotCompiledReason is null;

    /// <summary>Gets where the block is, as <c>file:line</c> of its opening fence.</summary>
    public string Location => $"{File}:{FenceLine}";
}

/// <summary>Finds the fenced code blocks of Markdown pages, and the convention problems around them.</summary>
public static partial class MarkdownCodeBlocks
{
    /// <summary>The fence languages that mean C#; blocks in them are compiled unless a marker says why not.</summary>
    public static readonly IReadOnlySet<string> CSharpLanguages = new HashSet<string>(StringComparer.Ordinal) { "csharp", "cs", "c#" };

    /// <summary>Reads the blocks of a page.</summary>
    /// <param name="file">The page's name in reports (relative to the repository root).</param>
    /// <param name="markdown">The page's text.</param>
    /// <param name="problems">Receives convention problems (a C#-like fence language that is not compiled, a marker without reason or block).</param>
    /// <returns>The blocks, in page order.</returns>
    public static IReadOnlyList<MarkdownCodeBlock> Parse(string file, string markdown, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(problems);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<MarkdownCodeBlock>();
        string? pendingReason = null;
        var pendingMarkerLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var marker = NotCompiledMarker().Match(line);
            if (marker.Success)
            {
                pendingReason = marker.Groups["reason"].Value.Trim();
                pendingMarkerLine = i + 1;
                if (pendingReason.Length == 0)
                {
                    problems.Add($"{file}:{i + 1}: a 'not compiled' marker must give its reason: <!-- not compiled: why -->.");
                }

                continue;
            }

            var open = OpeningFence().Match(line);
            if (!open.Success)
            {
                if (line.Trim().Length > 0 && pendingReason is not null)
                {
                    problems.Add($"{file}:{pendingMarkerLine}: a 'not compiled' marker must stand just before a ```csharp block.");
                    pendingReason = null;
                }

                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim().Split(' ', 2)[0].ToLowerInvariant();
            var code = new List<string>();
            var j = i + 1;
            for (; j < lines.Length; j++)
            {
                var trimmed = lines[j].Trim();
                if (trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]))
                {
                    break;
                }

                code.Add(Unindent(lines[j], indent));
            }

            var block = new MarkdownCodeBlock(file, i + 1, language, string.Join('\n', code), pendingReason);
            if (pendingReason is not null && !block.IsCSharp)
            {
                problems.Add($"{block.Location}: a 'not compiled' marker stands before a ```{language} block, which is never compiled; remove the marker.");
            }

            if (!block.IsCSharp && (language.StartsWith("cs", StringComparison.Ordinal) || language.StartsWith("c#", StringComparison.Ordinal)))
            {
                problems.Add($"{block.Location}: the fence language '{language}' looks like C# but is not compiled; use ```csharp, with <!-- not compiled: reason --> just before it if it cannot compile.");
            }

            blocks.Add(block);
            pendingReason = null;
            i = j;
        }

        if (pendingReason is not null)
        {
            problems.Add($"{file}:{pendingMarkerLine}: a 'not compiled' marker must stand just before a ```csharp block.");
        }

        return blocks;
    }

    private static string Unindent(string line, int indent)
    {
        var n = 0;
        while (n < indent && n < line.Length && line[n] == ' ')
        {
            n++;
        }

        return line[n..];
    }

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex OpeningFence();

    [GeneratedRegex(@"^\s*<!--\s*not compiled\s*:?(?<reason>.*?)-->\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex NotCompiledMarker();
}
