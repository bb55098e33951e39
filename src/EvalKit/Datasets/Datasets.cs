using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace EvalKit.Datasets;

/// <summary>
/// Loads datasets from files: JSONL (<see cref="LoadJsonl(string, string?, string)"/>), a JSON array
/// (<see cref="LoadJson(string, DatasetFieldMapping?, string?, string)"/>) and CSV
/// (<see cref="LoadCsv(string, DatasetFieldMapping?, string?, string)"/>); the <c>Read…Async</c> methods stream the cases
/// without holding the file or the cases in memory. A JSONL line or JSON element looks like
/// <c>{"id": "q1", "input": "2+2?", "reference": "4", "group": "arith", "metadata": {"level": "easy"}}</c>.
/// <c>input</c> may instead be <c>messages</c> (an array of <c>{"role", "content"}</c>); <c>reference</c> may be
/// <c>references</c> (an array of strings); <c>id</c> defaults to the line number (in a JSON array, the element's
/// 1-based position). A <see cref="DatasetFieldMapping"/> renames the fields. Text must be strict UTF-8 (a leading
/// byte-order mark is skipped); every problem raises a <see cref="DatasetFormatException"/> naming the file, line and field.
/// </summary>
[SuppressMessage("Naming", "CA1724:Type names should not match namespaces", Justification = "The public entry point is named Datasets by the API contract.")]
public static partial class Datasets
{
    /// <summary>Loads a JSONL file into memory.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Dataset LoadJsonl(string path, string? name = null, string version = "1") => LoadJsonl(path, null, name, version);

    /// <summary>Loads a JSONL file into memory, reading fields by the names a mapping gives.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static Dataset LoadJsonl(string path, DatasetFieldMapping? mapping, string? name = null, string version = "1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return LoadJsonl(stream, name ?? Path.GetFileNameWithoutExtension(path), mapping, version, path);
    }

    /// <summary>Loads JSONL from a stream into memory.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed; the message names the source, line and field.</exception>
    public static Dataset LoadJsonl(Stream stream, string name, string version = "1", string? source = null) => LoadJsonl(stream, name, null, version, source);

    /// <summary>Loads JSONL from a stream into memory, reading fields by the names a mapping gives.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed; the message names the source, line and field.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static Dataset LoadJsonl(Stream stream, string name, DatasetFieldMapping? mapping, string version = "1", string? source = null) =>
        LoadJsonl(stream, name, mapping, version, source, InputLimits.Default);

    private static Dataset LoadJsonl(Stream stream, string name, DatasetFieldMapping? mapping, string version, string? source, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        mapping = Checked(mapping);
        var cases = new List<EvalCase>();
        using var ids = new CaseIdTracker(source, mapping.Id, limits);
        using var reader = new Utf8LineReader(stream, source, limits);
        while (reader.ReadLine() is { } text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                var item = ParseJsonlLine(text, reader.LineNumber, source, mapping, limits);
                ids.Add(item.Id, reader.LineNumber);
                cases.Add(item);
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
    /// <exception cref="DatasetFormatException">A line is malformed or repeats an earlier id; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IAsyncEnumerable<EvalCase> ReadJsonlAsync(string path, CancellationToken cancellationToken = default) =>
        ReadJsonlAsync(path, null, cancellationToken);

    /// <summary>Streams the cases of a JSONL file without holding them in memory, reading fields by the names a mapping gives.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="DatasetFormatException">A line is malformed or repeats an earlier id; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static async IAsyncEnumerable<EvalCase> ReadJsonlAsync(string path, DatasetFieldMapping? mapping, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = OpenAsync(path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var item in ReadJsonlAsync(stream, mapping, path, InputLimits.Default, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <summary>Streams the cases of JSONL read from a stream without holding them in memory.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in stream order.</returns>
    /// <exception cref="DatasetFormatException">A line is malformed or repeats an earlier id; the message names the source, line and field.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static IAsyncEnumerable<EvalCase> ReadJsonlAsync(Stream stream, DatasetFieldMapping? mapping = null, string? source = null, CancellationToken cancellationToken = default) =>
        ReadJsonlAsync(stream, mapping, source, InputLimits.Default, cancellationToken);

    private static async IAsyncEnumerable<EvalCase> ReadJsonlAsync(Stream stream, DatasetFieldMapping? mapping, string? source, InputLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        mapping = Checked(mapping);
        using var ids = new CaseIdTracker(source, mapping.Id, limits);
        using var reader = new Utf8LineReader(stream, source, limits);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                var item = ParseJsonlLine(text, reader.LineNumber, source, mapping, limits);
                ids.Add(item.Id, reader.LineNumber);
                yield return item;
            }
        }
    }

    /// <summary>Streams the cases of a dataset file of any supported format.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="format">The format.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The format is not defined.</exception>
    public static IAsyncEnumerable<EvalCase> ReadAsync(string path, DatasetFileFormat format, DatasetFieldMapping? mapping = null, CancellationToken cancellationToken = default) =>
        ReadAsync(path, format, mapping, null, cancellationToken);

    /// <summary>Streams the cases of a dataset file of any supported format, within limits.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="format">The format.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The input limits; the defaults of <see cref="InputLimits"/> when <see langword="null"/>. Copied when the call is made.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed or exceeds a limit; the message names the file, line, field and limit.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name, or a limit is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The format is not defined.</exception>
    public static IAsyncEnumerable<EvalCase> ReadAsync(string path, DatasetFileFormat format, DatasetFieldMapping? mapping, InputLimits? limits, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var resolved = InputLimits.Resolve(limits);
        CheckFormat(format);
        return ReadFileAsync(path, format, mapping, resolved, cancellationToken);
    }

    /// <summary>Streams the cases of a dataset of any supported format read from a stream, within limits.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="format">The format.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The input limits; the defaults of <see cref="InputLimits"/> when <see langword="null"/>. Copied when the call is made.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in stream order.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed or exceeds a limit; the message names the source, line, field and limit.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name, or a limit is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The format is not defined.</exception>
    public static IAsyncEnumerable<EvalCase> ReadAsync(Stream stream, DatasetFileFormat format, DatasetFieldMapping? mapping = null, InputLimits? limits = null, string? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var resolved = InputLimits.Resolve(limits);
        CheckFormat(format);
        return ReadStreamAsync(stream, format, mapping, resolved, source, cancellationToken);
    }

    /// <summary>Loads a dataset of any supported format from a stream into memory, within limits.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="format">The format.</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The input limits; the defaults of <see cref="InputLimits"/> when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed or exceeds a limit; the message names the source, line, field and limit.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name, or a limit is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The format is not defined.</exception>
    public static Dataset Load(Stream stream, DatasetFileFormat format, string name, DatasetFieldMapping? mapping = null, InputLimits? limits = null, string version = "1", string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var resolved = InputLimits.Resolve(limits);
        CheckFormat(format);
        return format switch
        {
            DatasetFileFormat.Json => LoadJson(stream, name, mapping, version, source, resolved),
            DatasetFileFormat.Csv => LoadCsv(stream, name, mapping, version, source, resolved),
            _ => LoadJsonl(stream, name, mapping, version, source, resolved),
        };
    }

    /// <summary>Loads a dataset file of any supported format into memory, within limits.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="format">The format; taken from the extension (<c>.jsonl</c>, <c>.json</c>, <c>.csv</c>) when <see langword="null"/>.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The input limits; the defaults of <see cref="InputLimits"/> when <see langword="null"/>.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed or exceeds a limit; the message names the file, line, field and limit.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The format is not given and the extension is not known, the mapping has an empty field name, or a limit is out of range.</exception>
    public static Dataset Load(string path, DatasetFileFormat? format, DatasetFieldMapping? mapping, InputLimits? limits, string? name = null, string version = "1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var resolvedFormat = format ?? FormatOf(path);
        using var stream = File.OpenRead(path);
        return Load(stream, resolvedFormat, name ?? Path.GetFileNameWithoutExtension(path), mapping, limits, version, path);
    }

    /// <summary>Loads a dataset file of any supported format into memory.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="format">The format; taken from the extension (<c>.jsonl</c>, <c>.json</c>, <c>.csv</c>) when <see langword="null"/>.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The format is not given and the extension is not known, or the mapping has an empty field name.</exception>
    public static Dataset Load(string path, DatasetFileFormat? format = null, DatasetFieldMapping? mapping = null, string? name = null, string version = "1") =>
        Load(path, format, mapping, (InputLimits?)null, name, version);

    /// <summary>Gets the format a file's extension stands for.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">The extension is not <c>.jsonl</c>, <c>.json</c> or <c>.csv</c>.</exception>
    public static DatasetFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path);
        return extension.ToUpperInvariant() switch
        {
            ".JSONL" or ".NDJSON" => DatasetFileFormat.Jsonl,
            ".JSON" => DatasetFileFormat.Json,
            ".CSV" => DatasetFileFormat.Csv,
            _ => throw new ArgumentException($"Cannot tell the dataset format of '{path}' from its extension; give the format (jsonl, json or csv).", nameof(path)),
        };
    }

    /// <summary>Parses one JSONL line into a case.</summary>
    /// <param name="text">The line.</param>
    /// <param name="line">The 1-based line number, for errors and the default id.</param>
    /// <param name="source">The source, for errors.</param>
    /// <returns>The case.</returns>
    /// <exception cref="DatasetFormatException">The line is malformed.</exception>
    public static EvalCase ParseJsonlLine(string text, long line, string? source = null) => ParseJsonlLine(text, line, source, null);

    /// <summary>Parses one JSONL line into a case, reading fields by the names a mapping gives.</summary>
    /// <param name="text">The line.</param>
    /// <param name="line">The 1-based line number, for errors and the default id.</param>
    /// <param name="source">The source, for errors.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <returns>The case.</returns>
    /// <exception cref="DatasetFormatException">The line is malformed.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static EvalCase ParseJsonlLine(string text, long line, string? source, DatasetFieldMapping? mapping) =>
        ParseJsonlLine(text, line, source, mapping ?? DatasetFieldMapping.Default, InputLimits.Default);

    private static EvalCase ParseJsonlLine(string text, long line, string? source, DatasetFieldMapping mapping, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"The line is not valid JSON: {limits.Describe(e)}", source, line, null, e.BytePositionInLine + 1, e);
        }

        using (document)
        {
            EvalCase item;
            try
            {
                item = ParseCase(document.RootElement, line.ToString(CultureInfo.InvariantCulture), source, line, mapping);
            }
            catch (InvalidOperationException e)
            {
                // A string escape such as \ud800 that decodes to a lone surrogate: not Unicode text.
                throw new DatasetFormatException($"The line holds text that is not valid Unicode: {e.Message}", source, line, null, null, e);
            }

            limits.CheckCase(item, source, line, mapping);
            return item;
        }
    }

    /// <summary>Reads a case from a JSON object.</summary>
    internal static EvalCase ParseCase(JsonElement root, string defaultId, string? source, long line, DatasetFieldMapping mapping)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DatasetFormatException($"Expected a JSON object, found {root.ValueKind}.", source, line, null);
        }

        var id = OptionalString(root, mapping.Id, source, line, allowNumber: true) ?? defaultId;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new DatasetFormatException("The id is empty.", source, line, mapping.Id);
        }

        CaseInput input;
        if (root.TryGetProperty(mapping.Messages, out var messages) && messages.ValueKind != JsonValueKind.Null)
        {
            input = CaseInput.FromMessages(ReadMessages(messages, source, line, mapping.Messages));
        }
        else
        {
            input = OptionalString(root, mapping.Input, source, line, allowNumber: true)
                ?? throw new DatasetFormatException($"The required field is missing (or give '{mapping.Messages}').", source, line, mapping.Input);
        }

        var references = new List<string>();
        if (OptionalString(root, mapping.Reference, source, line, allowNumber: true) is { } single)
        {
            references.Add(single);
        }

        if (root.TryGetProperty(mapping.References, out var many) && many.ValueKind != JsonValueKind.Null)
        {
            if (many.ValueKind != JsonValueKind.Array)
            {
                throw new DatasetFormatException($"Expected an array of strings, found {many.ValueKind}.", source, line, mapping.References);
            }

            var index = 0;
            foreach (var item in many.EnumerateArray())
            {
                references.Add(item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString()!,
                    JsonValueKind.Number => item.GetRawText(),
                    _ => throw new DatasetFormatException($"Expected a string, found {item.ValueKind}.", source, line, $"{mapping.References}[{index}]"),
                });
                index++;
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty(mapping.Metadata, out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException($"Expected an object, found {meta.ValueKind}.", source, line, mapping.Metadata);
            }

            foreach (var property in meta.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw new DatasetFormatException($"Expected a string, number or boolean, found {property.Value.ValueKind}.", source, line, $"{mapping.Metadata}.{property.Name}"),
                };
            }
        }

        return new EvalCase
        {
            Id = id,
            Input = input,
            References = references,
            Group = OptionalString(root, mapping.Group, source, line, allowNumber: true),
            Metadata = metadata,
        };
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

    internal static List<ChatTurn> ReadMessages(JsonElement messages, string? source, long line, string name, long? column = null)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new DatasetFormatException("Expected a non-empty array of {role, content} objects.", source, line, name, column);
        }

        var turns = new List<ChatTurn>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var field = $"{name}[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException($"Expected an object, found {message.ValueKind}.", source, line, field, column);
            }

            var role = OptionalString(message, "role", source, line, allowNumber: false, prefix: field + ".")
                ?? throw new DatasetFormatException("The required field is missing.", source, line, field + ".role", column);
            if (role is not ("system" or "user" or "assistant"))
            {
                throw new DatasetFormatException($"Unknown role '{role}'; use system, user or assistant.", source, line, field + ".role", column);
            }

            var content = OptionalString(message, "content", source, line, allowNumber: false, prefix: field + ".")
                ?? throw new DatasetFormatException("The required field is missing.", source, line, field + ".content", column);
            turns.Add(new ChatTurn(role, content));
            index++;
        }

        return turns;
    }

    private static void CheckFormat(DatasetFileFormat format)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown dataset file format.");
        }
    }

    private static async IAsyncEnumerable<EvalCase> ReadFileAsync(string path, DatasetFileFormat format, DatasetFieldMapping? mapping, InputLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = OpenAsync(path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var item in ReadStreamAsync(stream, format, mapping, limits, path, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    private static IAsyncEnumerable<EvalCase> ReadStreamAsync(Stream stream, DatasetFileFormat format, DatasetFieldMapping? mapping, InputLimits limits, string? source, CancellationToken cancellationToken) => format switch
    {
        DatasetFileFormat.Json => ReadJsonAsync(stream, mapping, source, limits, cancellationToken),
        DatasetFileFormat.Csv => ReadCsvAsync(stream, mapping, source, limits, cancellationToken),
        _ => ReadJsonlAsync(stream, mapping, source, limits, cancellationToken),
    };

    internal static DatasetFieldMapping Checked(DatasetFieldMapping? mapping)
    {
        mapping ??= DatasetFieldMapping.Default;
        mapping.Validate();
        return mapping;
    }

    internal static FileStream OpenAsync(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

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
