using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using EvalKit.Storage.Postgres;
using EvalKit.Storage.Sqlite;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EvalKit.Docs.Tests;

/// <summary>The compiler errors of one code block.</summary>
/// <param name="Block">The block.</param>
/// <param name="Errors">Each error as <c>file:line:column: CSxxxx: message</c>, with the line of the Markdown page.</param>
public sealed record SnippetFailure(MarkdownCodeBlock Block, IReadOnlyList<string> Errors)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Block.Location} (```{Block.Language} block) does not compile:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Errors);
}

/// <summary>
/// Compiles the docs' C# code blocks with Roslyn, against EvalKit, its storage providers and their dependencies.
/// </summary>
/// <remarks>
/// The convention (also in docs/README.md): <c>using</c> directives at the top of a block are hoisted to its file;
/// type declarations (classes, records, interfaces...) become types of the block's own namespace; methods, fields and
/// properties with an access modifier or an attribute become members of the block's class; every other statement goes,
/// in order, into the body of an <c>async Task</c> method of that class, which derives from the prelude's
/// <c>SnippetContext</c> (pre-declared variables). Every block also sees <see cref="DefaultUsings"/>. Errors are
/// reported at the line of the Markdown page through <c>#line</c> directives; warnings are ignored.
/// </remarks>
public static class DocsSnippetCompiler
{
    /// <summary>
    /// The namespaces every block sees without a <c>using</c> directive: a few of the BCL's, Microsoft.Extensions.AI,
    /// Microsoft.Extensions.DependencyInjection, and every <c>EvalKit.*</c> namespace with a public type in EvalKit and its
    /// storage providers (so a namespace added later needs no change here).
    /// </summary>
    public static readonly ImmutableArray<string> DefaultUsings =
    [
        "System", "System.Collections.Generic", "System.Diagnostics", "System.IO", "System.Linq", "System.Net.Http",
        "System.Threading", "System.Threading.Tasks",
        "Microsoft.Extensions.AI", "Microsoft.Extensions.DependencyInjection",
        .. new[] { typeof(EvalKitHost).Assembly, typeof(SqliteEvalKitStorage).Assembly, typeof(PostgresEvalKitStorage).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n == "EvalKit" || n.StartsWith("EvalKit.", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly Lazy<string> Prelude = new(() =>
    {
        using var stream = typeof(DocsSnippetCompiler).Assembly.GetManifestResourceStream("SnippetContext.cs")
            ?? throw new InvalidOperationException("The embedded resource 'SnippetContext.cs' (the snippets' prelude) is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Compiles blocks together (each in its own namespace) and returns those that do not compile.</summary>
    /// <param name="blocks">The blocks; only <see cref="MarkdownCodeBlock.IsCompiled"/> ones are compiled.</param>
    /// <returns>The failures, in the order of <paramref name="blocks"/>.</returns>
    public static IReadOnlyList<SnippetFailure> Compile(IEnumerable<MarkdownCodeBlock> blocks)
    {
        var compiled = blocks.Where(b => b.IsCompiled).ToList();
        var trees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(string.Join('\n', DefaultUsings.Select(u => $"global using {u};")), ParseOptions, "GlobalUsings.cs"),
            CSharpSyntaxTree.ParseText(Prelude.Value, ParseOptions, "SnippetContext.cs"),
        };
        for (var i = 0; i < compiled.Count; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(Wrap(compiled[i], i), ParseOptions, $"Block{i}.cs", Encoding.UTF8));
        }

        var compilation = CSharpCompilation.Create(
            "DocSnippets",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var failures = new List<SnippetFailure>();
        var unplaced = new List<string>();
        for (var i = 0; i < compiled.Count; i++)
        {
            var tree = trees[i + 2];
            var own = errors.Where(d => d.Location.SourceTree == tree).Select(Format).ToList();
            if (own.Count > 0)
            {
                failures.Add(new SnippetFailure(compiled[i], own));
            }
        }

        // Errors outside the blocks (the prelude, the global usings): every block fails with them.
        unplaced.AddRange(errors.Where(d => d.Location.SourceTree is null || trees.IndexOf(d.Location.SourceTree) < 2).Select(Format));
        if (unplaced.Count > 0)
        {
            return compiled.Select(b => new SnippetFailure(b, unplaced)).ToList();
        }

        return failures;
    }

    /// <summary>Builds the C# file that a block compiles as.</summary>
    /// <param name="block">The block.</param>
    /// <param name="index">Makes its namespace unique.</param>
    /// <returns>The source text, with <c>#line</c> directives that map back to the Markdown page.</returns>
    public static string Wrap(MarkdownCodeBlock block, int index)
    {
        ArgumentNullException.ThrowIfNull(block);
        var snippet = CSharpSyntaxTree.ParseText(block.Code, ParseOptions);
        var root = (CompilationUnitSyntax)snippet.GetRoot();
        var lines = block.Code.Split('\n');
        var file = block.File.Replace("\\", "/", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);

        var usings = new StringBuilder();
        foreach (var directive in root.Usings)
        {
            var name = directive.Name?.ToString();
            if (directive.Alias is null && directive.StaticKeyword.IsKind(SyntaxKind.None) && directive.GlobalKeyword.IsKind(SyntaxKind.None)
                && name is not null && DefaultUsings.Contains(name))
            {
                continue;
            }

            AppendLines(usings, file, block, lines, directive);
        }

        var types = new StringBuilder();
        var members = new StringBuilder();
        var statements = new StringBuilder();
        foreach (var member in root.Members)
        {
            var target = member switch
            {
                BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => types,
                GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f } when f.AttributeLists.Count > 0 || f.Modifiers.Any(IsAccessModifier) => members,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax d } when d.Modifiers.Any(IsAccessModifier) => members,
                GlobalStatementSyntax => statements,
                _ => members,   // fields, methods, properties, incomplete members
            };
            AppendLines(target, file, block, lines, member);
        }

        var text = new StringBuilder();
        text.Append("#nullable enable\n");
        text.Append(usings);
        text.Append("#line hidden\n");
        text.Append(CultureInfo.InvariantCulture, $"namespace DocSnippets.Block{index}\n{{\n");
        text.Append(types);
        text.Append("#line hidden\n");
        text.Append("internal sealed partial class Snippet : global::DocSnippets.SnippetContext\n{\n");
        text.Append(members);
        text.Append("#line hidden\n");
        text.Append("public async global::System.Threading.Tasks.Task RunAsync()\n{\n");
        text.Append(statements);
        text.Append("#line hidden\n");
        text.Append("await global::System.Threading.Tasks.Task.CompletedTask;\n}\n}\n}\n");
        return text.ToString();
    }

    private static bool IsAccessModifier(SyntaxToken token) =>
        token.IsKind(SyntaxKind.PublicKeyword) || token.IsKind(SyntaxKind.PrivateKeyword)
        || token.IsKind(SyntaxKind.ProtectedKeyword) || token.IsKind(SyntaxKind.InternalKeyword);

    // Copies the whole lines a node spans (without its leading comments), preceded by a #line directive to its page line.
    private static void AppendLines(StringBuilder target, string file, MarkdownCodeBlock block, string[] lines, SyntaxNode node)
    {
        var span = node.GetLocation().GetLineSpan();
        var first = span.StartLinePosition.Line;
        var last = span.EndLinePosition.Line;
        target.Append(CultureInfo.InvariantCulture, $"#line {block.FirstCodeLine + first} \"{file}\"\n");
        for (var l = first; l <= last && l < lines.Length; l++)
        {
            target.Append(lines[l]).Append('\n');
        }
    }

    private static string Format(Diagnostic d)
    {
        var mapped = d.Location.GetMappedLineSpan();
        var where = mapped.HasMappedPath || mapped.Path.Length > 0
            ? $"{mapped.Path}:{mapped.StartLinePosition.Line + 1}:{mapped.StartLinePosition.Character + 1}"
            : "(no location)";
        return $"{where}: {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
    }

    // The trusted platform assemblies (the framework and this test's dependencies) and every assembly in the output folder.
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                     .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!paths.ContainsKey(name) && IsManagedAssembly(path))
            {
                paths[name] = path;
            }
        }

        return [.. paths.Values.Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
        catch (FileLoadException)
        {
            return false;
        }
    }
}
