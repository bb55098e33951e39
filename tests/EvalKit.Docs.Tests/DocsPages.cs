using System.Reflection;

namespace EvalKit.Docs.Tests;

/// <summary>The Markdown pages whose code blocks are checked: README.md and every docs/*.md.</summary>
public static class DocsPages
{
    /// <summary>Gets the repository root (recorded at build time; found from the working folder otherwise).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Gets the pages, relative to the root, with forward slashes: README.md, then docs/*.md in ordinal order.</summary>
    /// <returns>The relative paths.</returns>
    public static IReadOnlyList<string> All()
    {
        var docs = Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "docs"), "*.md", SearchOption.TopDirectoryOnly)
            .Select(p => "docs/" + Path.GetFileName(p))
            .Order(StringComparer.Ordinal);
        return ["README.md", .. docs];
    }

    /// <summary>Reads one page's blocks.</summary>
    /// <param name="page">A path from <see cref="All"/>.</param>
    /// <param name="problems">Receives the page's convention problems.</param>
    /// <returns>The blocks.</returns>
    public static IReadOnlyList<MarkdownCodeBlock> Blocks(string page, ICollection<string> problems) =>
        MarkdownCodeBlocks.Parse(page, File.ReadAllText(Path.Combine(RepositoryRoot, page)), problems);

    private static string FindRoot()
    {
        var recorded = typeof(DocsPages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        foreach (var start in new[] { recorded, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EvalKit.sln")) && Directory.Exists(Path.Combine(dir.FullName, "docs")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"The repository root (the folder with EvalKit.sln and docs/) was not found from '{recorded}', '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'.");
    }
}
