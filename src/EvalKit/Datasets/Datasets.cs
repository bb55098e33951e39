using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace EvalKit.Datasets;

/// <summary>
/// Loads datasets from files. JSONL is read as a stream, one case per line:
/// <c>{"id": "q1", "input": "2+2?", "reference": "4", "group": "arith", "metadata": {"level": "easy"}}</c>.
/// <c>input</c> may instead be <c>messages</c> (an array of <c>{"role", "content"}</c>); <c>reference</c> may be
/// <c>references</c> (an array of strings); <c>id</c> defaults to the line number.
/// </summary>
[SuppressMessage("Naming", "CA1724:Type names should not match namespaces", Justification = "The public entry point is named Datasets by the API contract.")]
public static class Datasets
{
    /// <summary>Loads a JSONL file into memory.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Dataset LoadJsonl(string path, string? name = null, string version = "1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return LoadJsonl(stream, name ?? Path.GetFileNameWithoutExtension(path), version, path);
    }

    /// <summary>Loads JSONL from a stream into memory.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed; the message names the source, line and field.</exception>
    public static Dataset LoadJsonl(Stream stream, string name, string version = "1", string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var cases = new List<EvalCase>();
        using var reader = new Utf8LineReader(stream, source);
        while (reader.ReadLine() is { } text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                cases.Add(ParseJsonlLine(text, reader.LineNumber, source));
            }
        }

        var dataset = new Dataset(name, version, cases);
        EnsureValid(dataset.Cases, source);
        return dataset;
    }

    /// <summary>Streams the cases of a JSONL file without holding them in memory.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="DatasetFormatException">A line is malformed; the message names the file, line and field.</exception>
    public static async IAsyncEnumerable<EvalCase> ReadJsonlAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new Utf8LineReader(stream, path);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    yield return ParseJsonlLine(text, reader.LineNumber, path);
                }
            }
        }
    }

    /// <summary>Parses one JSONL line into a case.</summary>
    /// <param name="text">The line.</param>
    /// <param name="line">The 1-based line number, for errors and the default id.</param>
    /// <param name="source">The source, for errors.</param>
    /// <returns>The case.</returns>
    /// <exception cref="DatasetFormatException">The line is malformed.</exception>
    public static EvalCase ParseJsonlLine(string text, long line, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"The line is not valid JSON: {e.Message}", source, line, null, e.BytePositionInLine + 1, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException($"Expected a JSON object, found {root.ValueKind}.", source, line, null);
            }

            var id = OptionalString(root, "id", source, line, allowNumber: true) ?? line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            CaseInput input;
            if (root.TryGetProperty("messages", out var messages))
            {
                input = CaseInput.FromMessages(ReadMessages(messages, source, line));
            }
            else
            {
                input = OptionalString(root, "input", source, line, allowNumber: true)
                    ?? throw new DatasetFormatException("The required field is missing (or give 'messages').", source, line, "input");
            }

            var references = new List<string>();
            if (OptionalString(root, "reference", source, line, allowNumber: true) is { } single)
            {
                references.Add(single);
            }

            if (root.TryGetProperty("references", out var many))
            {
                if (many.ValueKind != JsonValueKind.Array)
                {
                    throw new DatasetFormatException($"Expected an array of strings, found {many.ValueKind}.", source, line, "references");
                }

                var index = 0;
                foreach (var item in many.EnumerateArray())
                {
                    references.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => item.GetString()!,
                        JsonValueKind.Number => item.GetRawText(),
                        _ => throw new DatasetFormatException($"Expected a string, found {item.ValueKind}.", source, line, $"references[{index}]"),
                    });
                    index++;
                }
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out var meta))
            {
                if (meta.ValueKind != JsonValueKind.Object)
                {
                    throw new DatasetFormatException($"Expected an object, found {meta.ValueKind}.", source, line, "metadata");
                }

                foreach (var property in meta.EnumerateObject())
                {
                    metadata[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString()!,
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                        _ => throw new DatasetFormatException($"Expected a string, number or boolean, found {property.Value.ValueKind}.", source, line, $"metadata.{property.Name}"),
                    };
                }
            }

            return new EvalCase
            {
                Id = id,
                Input = input,
                References = references,
                Group = OptionalString(root, "group", source, line, allowNumber: true),
                Metadata = metadata,
            };
        }
    }

    internal static void EnsureValid(IReadOnlyList<EvalCase> cases, string? source)
    {
        if (cases.Count == 0)
        {
            throw new DatasetFormatException("The dataset has no cases.", source, null, null);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            if (!seen.TryAdd(cases[i].Id, i))
            {
                throw new DatasetFormatException($"Duplicate case id '{cases[i].Id}' (first at case {seen[cases[i].Id] + 1}).", source, null, "id");
            }
        }
    }

    private static List<ChatTurn> ReadMessages(JsonElement messages, string? source, long line)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new DatasetFormatException("Expected a non-empty array of {role, content} objects.", source, line, "messages");
        }

        var turns = new List<ChatTurn>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var field = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException($"Expected an object, found {message.ValueKind}.", source, line, field);
            }

            var role = OptionalString(message, "role", source, line, allowNumber: false, prefix: field + ".")
                ?? throw new DatasetFormatException("The required field is missing.", source, line, field + ".role");
            if (role is not ("system" or "user" or "assistant"))
            {
                throw new DatasetFormatException($"Unknown role '{role}'; use system, user or assistant.", source, line, field + ".role");
            }

            var content = OptionalString(message, "content", source, line, allowNumber: false, prefix: field + ".")
                ?? throw new DatasetFormatException("The required field is missing.", source, line, field + ".content");
            turns.Add(new ChatTurn(role, content));
            index++;
        }

        return turns;
    }

    private static string? OptionalString(JsonElement element, string name, string? source, long line, bool allowNumber, string prefix = "")
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when allowNumber => value.GetRawText(),
            _ => throw new DatasetFormatException($"Expected a string, found {value.ValueKind}.", source, line, prefix + name),
        };
    }
}
