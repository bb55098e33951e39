using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using EvalKit.Evaluation;
using EvalKit.Serialization;

namespace EvalKit.Datasets;

/// <summary>
/// Reads benchmark suite files: JSON objects (comments and trailing commas allowed) such as
/// <code>
/// {
///   "id": "arith", "name": "Arithmetic", "version": "2",
///   "dataset": {"path": "data/arith.csv", "format": "csv", "name": "arith", "version": "2",
///               "mapping": {"input": "question", "reference": "answer", "metadataColumns": ["level"]}},
///   "promptTemplate": "Q: {{input}}", "systemPrompt": "Answer with a number.",
///   "fewShot": [{"input": "1+1", "output": "2"}],
///   "scorers": ["exact-match"], "primaryMetric": "exact-match",
///   "defaultOptions": {"maxConcurrency": 4, "temperature": 0}
/// }
/// </code>
/// <c>dataset</c> names a file to import (<c>path</c> relative to the suite file; <c>format</c> <c>jsonl</c>, <c>json</c>
/// or <c>csv</c>, taken from the extension when absent; <c>name</c> defaulting to the file name, <c>version</c> to
/// <c>"1"</c>; <c>description</c>; <c>mapping</c> with the <see cref="DatasetFieldMapping"/> properties in camelCase);
/// or <c>datasetId</c> names a stored dataset. Unknown properties, wrong types and a missing dataset file are
/// <see cref="DatasetFormatException"/>s naming the file, line and property.
/// </summary>
public static class BenchmarkSuiteFile
{
    private static readonly EvalKitJsonContext StrictContext = new(new JsonSerializerOptions(EvalKitJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    });

    /// <summary>Reads a suite file.</summary>
    /// <param name="path">The suite file's path; a relative dataset path is relative to its folder.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed, or its dataset file does not exist; the message names the file, line and property.</exception>
    /// <exception cref="FileNotFoundException">The suite file does not exist.</exception>
    public static BenchmarkSuite Load(string path) => Load(path, null);

    /// <summary>Reads a suite file within limits, optionally checking its scorer names.</summary>
    /// <param name="path">The suite file's path; a relative dataset path is relative to its folder.</param>
    /// <param name="options">The limits and known scorers; the defaults when <see langword="null"/>.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed, exceeds a limit, names an unknown scorer, or its dataset file does not exist; the message names the file, line and property.</exception>
    /// <exception cref="FileNotFoundException">The suite file does not exist.</exception>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public static BenchmarkSuite Load(string path, BenchmarkSuiteFileOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var limits = InputLimits.Resolve(options?.Limits);
        var full = Path.GetFullPath(path);
        CheckSize(new FileInfo(full).Length, limits, path);
        return Parse(File.ReadAllBytes(full), Path.GetDirectoryName(full)!, path, options, limits);
    }

    /// <summary>Reads a suite from a stream.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="baseDirectory">The folder a relative dataset path is relative to; the current directory when <see langword="null"/>.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed, or its dataset file does not exist; the message names the source, line and property.</exception>
    public static BenchmarkSuite Load(Stream stream, string? baseDirectory = null, string? source = null) => Load(stream, baseDirectory, source, null);

    /// <summary>Reads a suite from a stream within limits, optionally checking its scorer names.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="baseDirectory">The folder a relative dataset path is relative to; the current directory when <see langword="null"/>.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <param name="options">The limits and known scorers; the defaults when <see langword="null"/>.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed, exceeds a limit, names an unknown scorer, or its dataset file does not exist; the message names the source, line and property.</exception>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public static BenchmarkSuite Load(Stream stream, string? baseDirectory, string? source, BenchmarkSuiteFileOptions? options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var limits = InputLimits.Resolve(options?.Limits);
        using var copy = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
            CheckSize(copy.Length, limits, source);
        }

        return Parse(copy.ToArray(), Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory()), source, options, limits);
    }

    /// <summary>Reads a suite file asynchronously.</summary>
    /// <param name="path">The suite file's path; a relative dataset path is relative to its folder.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed, or its dataset file does not exist; the message names the file, line and property.</exception>
    /// <exception cref="FileNotFoundException">The suite file does not exist.</exception>
    public static ValueTask<BenchmarkSuite> LoadAsync(string path, CancellationToken cancellationToken = default) => LoadAsync(path, null, cancellationToken);

    /// <summary>Reads a suite file asynchronously within limits, optionally checking its scorer names.</summary>
    /// <param name="path">The suite file's path; a relative dataset path is relative to its folder.</param>
    /// <param name="options">The limits and known scorers; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed, exceeds a limit, names an unknown scorer, or its dataset file does not exist; the message names the file, line and property.</exception>
    /// <exception cref="FileNotFoundException">The suite file does not exist.</exception>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public static async ValueTask<BenchmarkSuite> LoadAsync(string path, BenchmarkSuiteFileOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var limits = InputLimits.Resolve(options?.Limits);
        var full = Path.GetFullPath(path);
        CheckSize(new FileInfo(full).Length, limits, path);
        var bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, Path.GetDirectoryName(full)!, path, options, limits);
    }

    private static void CheckSize(long length, InputLimits limits, string? source)
    {
        if (length > limits.MaxSuiteFileBytes)
        {
            throw new DatasetFormatException(
                $"The suite file is larger than {InputLimits.Number(limits.MaxSuiteFileBytes)} bytes ({nameof(InputLimits)}.{nameof(InputLimits.MaxSuiteFileBytes)}).", source, null, null);
        }
    }

    private static BenchmarkSuite Parse(byte[] bytes, string baseDirectory, string? source, BenchmarkSuiteFileOptions? options, InputLimits limits)
    {
        CheckSize(bytes.Length, limits, source);
        var parser = new Parser(bytes, baseDirectory, source, limits, options?.KnownScorers is { } known ? new HashSet<string>(known, StringComparer.Ordinal) : null);
        return parser.Parse();
    }

    private sealed class Parser
    {
        private readonly byte[] _bytes;
        private readonly int _offset;
        private readonly string _baseDirectory;
        private readonly string? _source;
        private readonly InputLimits _limits;
        private readonly HashSet<string>? _knownScorers;
        private readonly List<int> _lineStarts = [0];

        public Parser(byte[] bytes, string baseDirectory, string? source, InputLimits limits, HashSet<string>? knownScorers)
        {
            _bytes = bytes;
            _baseDirectory = baseDirectory;
            _source = source;
            _limits = limits;
            _knownScorers = knownScorers;
            _offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public BenchmarkSuite Parse()
        {
            var span = _bytes.AsSpan(_offset);
            if (!Utf8.IsValid(span))
            {
                var valid = 0;
                while (Rune.DecodeFromUtf8(span[valid..], out _, out var length) == System.Buffers.OperationStatus.Done)
                {
                    valid += length;
                }

                throw Error("The text is not valid UTF-8.", _offset + valid, null);
            }

            if (span.Trim(" \t\r\n"u8).IsEmpty)
            {
                throw Error("The suite file is empty; expected a JSON object.", _bytes.Length, null);
            }

            var reader = new Utf8JsonReader(span, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                MaxDepth = _limits.MaxDepth,
            });
            try
            {
                return ReadSuite(ref reader);
            }
            catch (InvalidOperationException e)
            {
                // A string escape such as \ud800 that decodes to a lone surrogate: not Unicode text.
                throw Error($"The suite file holds text that is not valid Unicode: {e.Message}", Position(ref reader), null);
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException($"The suite file is not valid JSON: {_limits.Describe(e)}", _source, e.LineNumber + 1, null, e.BytePositionInLine + 1, e);
            }
        }

        private BenchmarkSuite ReadSuite(ref Utf8JsonReader reader)
        {
            Next(ref reader);
            ExpectObject(ref reader, null);
            string? id = null, name = null, version = null, datasetId = null, promptTemplate = null, systemPrompt = null, primaryMetric = null;
            List<FewShotExample>? fewShot = null;
            List<string>? scorers = null;
            EvaluationOptions? options = null;
            BenchmarkSuiteDataset? dataset = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int datasetAt = 0, idAt = 0;
            while (NextProperty(ref reader, null, seen) is { } property)
            {
                switch (property)
                {
                    case "$schema": _ = ReadString(ref reader, property); break;
                    case "id": idAt = Position(ref reader); id = ReadName(ref reader, property); break;
                    case "name": name = ReadName(ref reader, property); break;
                    case "version": version = ReadName(ref reader, property, allowNumber: true); break;
                    case "datasetId": datasetAt = Position(ref reader); datasetId = ReadName(ref reader, property); break;
                    case "dataset": datasetAt = Position(ref reader); dataset = ReadDataset(ref reader); break;
                    case "promptTemplate": promptTemplate = ReadTemplate(ref reader, property); break;
                    case "systemPrompt": systemPrompt = ReadString(ref reader, property); break;
                    case "fewShot": fewShot = ReadFewShot(ref reader); break;
                    case "scorers": scorers = ReadScorers(ref reader, property); break;
                    case "primaryMetric": primaryMetric = ReadName(ref reader, property); break;
                    case "defaultOptions": options = ReadOptions(ref reader); break;
                    default: throw Error($"Unknown property '{property}'.", Position(ref reader), property);
                }
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                throw Error("The required property is missing or empty.", idAt, "id");
            }

            if (dataset is not null && datasetId is not null)
            {
                throw Error("Give either 'dataset' (a file to import) or 'datasetId' (a stored dataset), not both.", datasetAt, "dataset");
            }

            if (dataset is null && string.IsNullOrWhiteSpace(datasetId))
            {
                throw Error("The suite names no dataset: give 'dataset' (a file to import) or 'datasetId' (a stored dataset).", 0, "dataset");
            }

            var benchmark = new Benchmark
            {
                Id = id,
                Name = name,
                Version = version ?? "1",
                DatasetId = dataset?.Id ?? datasetId!,
                PromptTemplate = promptTemplate ?? "{{input}}",
                SystemPrompt = systemPrompt,
                FewShot = fewShot ?? [],
                Scorers = scorers ?? [],
                PrimaryMetric = primaryMetric,
                DefaultOptions = options,
            };
            return new BenchmarkSuite { Benchmark = benchmark, Dataset = dataset, Source = _source };
        }

        private BenchmarkSuiteDataset ReadDataset(ref Utf8JsonReader reader)
        {
            var start = Position(ref reader);
            ExpectObject(ref reader, "dataset");
            string? path = null, name = null, version = null, description = null;
            DatasetFileFormat? format = null;
            var formatAt = 0;
            var pathAt = start;
            DatasetFieldMapping? mapping = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextProperty(ref reader, "dataset", seen) is { } property)
            {
                var field = "dataset." + property;
                switch (property)
                {
                    case "path": pathAt = Position(ref reader); path = ReadString(ref reader, field); break;
                    case "format":
                        formatAt = Position(ref reader);
                        format = ReadString(ref reader, field)?.ToUpperInvariant() switch
                        {
                            null => null,
                            "JSONL" => DatasetFileFormat.Jsonl,
                            "JSON" => DatasetFileFormat.Json,
                            "CSV" => DatasetFileFormat.Csv,
                            var other => throw Error($"Unknown format '{other.ToLowerInvariant()}'; use jsonl, json or csv.", formatAt, field),
                        };
                        break;
                    case "name": name = ReadName(ref reader, field); break;
                    case "version": version = ReadName(ref reader, field, allowNumber: true); break;
                    case "description": description = ReadString(ref reader, field); break;
                    case "mapping": mapping = ReadMapping(ref reader); break;
                    default: throw Error($"Unknown property '{property}'.", Position(ref reader), field);
                }
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                throw Error("The required property is missing or empty.", pathAt, "dataset.path");
            }

            string full;
            try
            {
                full = System.IO.Path.GetFullPath(path, _baseDirectory);
            }
            catch (ArgumentException e)
            {
                throw Error($"The path '{path}' is not valid: {e.Message}", pathAt, "dataset.path");
            }

            if (!File.Exists(full))
            {
                throw Error($"The dataset file '{full}' does not exist.", pathAt, "dataset.path");
            }

            if (format is null)
            {
                try
                {
                    format = Datasets.FormatOf(full);
                }
                catch (ArgumentException)
                {
                    throw Error($"Cannot tell the format of '{path}' from its extension; give 'format' (jsonl, json or csv).", pathAt, "dataset.format");
                }
            }

            return new BenchmarkSuiteDataset
            {
                Path = full,
                Format = format.Value,
                Name = string.IsNullOrWhiteSpace(name) ? System.IO.Path.GetFileNameWithoutExtension(full) : name,
                Version = string.IsNullOrWhiteSpace(version) ? "1" : version,
                Description = description,
                Mapping = mapping ?? DatasetFieldMapping.Default,
                Limits = _limits,
            };
        }

        private DatasetFieldMapping ReadMapping(ref Utf8JsonReader reader)
        {
            var start = Position(ref reader);
            ExpectObject(ref reader, "dataset.mapping");
            var mapping = DatasetFieldMapping.Default;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextProperty(ref reader, "dataset.mapping", seen) is { } property)
            {
                var field = "dataset.mapping." + property;
                var at = Position(ref reader);
                mapping = property switch
                {
                    "id" => mapping with { Id = Required(ReadString(ref reader, field), at, field) },
                    "input" => mapping with { Input = Required(ReadString(ref reader, field), at, field) },
                    "messages" => mapping with { Messages = Required(ReadString(ref reader, field), at, field) },
                    "reference" => mapping with { Reference = Required(ReadString(ref reader, field), at, field) },
                    "references" => mapping with { References = Required(ReadString(ref reader, field), at, field) },
                    "group" => mapping with { Group = Required(ReadString(ref reader, field), at, field) },
                    "metadata" => mapping with { Metadata = Required(ReadString(ref reader, field), at, field) },
                    "metadataColumns" => mapping with { MetadataColumns = ReadStrings(ref reader, field) },
                    "referenceSeparator" => mapping with { ReferenceSeparator = Required(ReadString(ref reader, field), at, field) },
                    "csvDelimiter" => mapping with { CsvDelimiter = ReadChar(ref reader, field, at) },
                    _ => throw Error($"Unknown property '{property}'.", at, field),
                };
            }

            try
            {
                mapping.Validate();
            }
            catch (ArgumentException e)
            {
                throw Error(e.Message, start, "dataset.mapping");
            }

            return mapping;
        }

        private List<FewShotExample> ReadFewShot(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Error($"Expected an array of {{input, output}} objects, found {reader.TokenType}.", Position(ref reader), "fewShot");
            }

            var examples = new List<FewShotExample>();
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                var prefix = $"fewShot[{examples.Count}]";
                var start = Position(ref reader);
                ExpectObject(ref reader, prefix);
                string? input = null, output = null;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (NextProperty(ref reader, prefix, seen) is { } property)
                {
                    var field = prefix + "." + property;
                    switch (property)
                    {
                        case "input": input = ReadString(ref reader, field); break;
                        case "output": output = ReadString(ref reader, field); break;
                        default: throw Error($"Unknown property '{property}'.", Position(ref reader), field);
                    }
                }

                examples.Add(new FewShotExample(
                    input ?? throw Error("The required property is missing.", start, prefix + ".input"),
                    output ?? throw Error("The required property is missing.", start, prefix + ".output")));
            }

            return examples;
        }

        private EvaluationOptions ReadOptions(ref Utf8JsonReader reader)
        {
            var start = Position(ref reader);
            ExpectObject(ref reader, "defaultOptions");
            try
            {
                // Check types and names on a copy of the reader, so errors carry lines relative to the object.
                var check = reader;
                _ = JsonSerializer.Deserialize(ref check, StrictContext.EvaluationOptions);
            }
            catch (JsonException e)
            {
                var path = e.Path is { Length: > 1 } p ? "defaultOptions" + p.TrimStart('$') : "defaultOptions";
                throw new DatasetFormatException($"Invalid default options: {e.Message}", _source, Line(start) + (e.LineNumber ?? 0), path, null, e);
            }

            // The source-generated metadata sets every init-only property, so options absent from the file would become
            // zero rather than keep their defaults: overlay the given options on the serialized defaults.
            var given = JsonElement.ParseValue(ref reader);
            var merged = JsonSerializer.SerializeToNode(new EvaluationOptions(), StrictContext.EvaluationOptions)!.AsObject();
            foreach (var property in given.EnumerateObject())
            {
                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }

            var options = merged.Deserialize(StrictContext.EvaluationOptions) ?? new EvaluationOptions();
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                // The message lists the problems as "Name must ...": name the first option at fault.
                var first = e.Message.Split(": ", 2)[^1].Split(' ', 2)[0];
                var field = first.Length > 0 && char.IsAsciiLetterUpper(first[0]) ? $"defaultOptions.{char.ToLowerInvariant(first[0])}{first[1..]}" : "defaultOptions";
                throw Error(e.Message, start, field);
            }

            return options;
        }

        private string? ReadName(ref Utf8JsonReader reader, string field, bool allowNumber = false)
        {
            var at = Position(ref reader);
            var value = ReadString(ref reader, field, allowNumber);
            if (value is not null && value.Length > _limits.MaxNameLength)
            {
                throw Error(
                    $"The value is {InputLimits.Number(value.Length)} characters long; the limit is {InputLimits.Number(_limits.MaxNameLength)} ({nameof(InputLimits)}.{nameof(InputLimits.MaxNameLength)}).",
                    at, field);
            }

            return value;
        }

        private string? ReadTemplate(ref Utf8JsonReader reader, string field)
        {
            var at = Position(ref reader);
            var template = ReadString(ref reader, field);
            if (template is not null && TemplateProblem(template) is { } problem)
            {
                throw Error($"The prompt template is invalid: {problem}", at, field);
            }

            return template;
        }

        /// <summary>Finds what <see cref="PromptTemplate.Render"/> would reject in any case: an unclosed placeholder or an unknown one.</summary>
        private static string? TemplateProblem(string template)
        {
            var position = 0;
            while (template.IndexOf("{{", position, StringComparison.Ordinal) is var open and >= 0)
            {
                var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return $"'{{{{' at character {open + 1} has no closing '}}}}'.";
                }

                var name = template.AsSpan(open + 2, close - open - 2).Trim();
                if (!name.SequenceEqual("input") && !(name.StartsWith("metadata.", StringComparison.Ordinal) && name.Length > "metadata.".Length))
                {
                    return $"unknown placeholder '{{{{{name}}}}}' at character {open + 1}; use {{{{input}}}} or {{{{metadata.key}}}}.";
                }

                position = close + 2;
            }

            return null;
        }

        private List<string> ReadScorers(ref Utf8JsonReader reader, string field)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Error($"Expected an array of strings, found {reader.TokenType}.", Position(ref reader), field);
            }

            var values = new List<string>();
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                var at = Position(ref reader);
                var entry = $"{field}[{values.Count}]";
                var name = reader.TokenType == JsonTokenType.String
                    ? reader.GetString()!
                    : throw Error($"Expected a string, found {reader.TokenType}.", at, entry);
                if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
                {
                    throw Error("A scorer name must not be blank or hold control characters.", at, entry);
                }

                if (name.Length > _limits.MaxNameLength)
                {
                    throw Error(
                        $"The scorer name is {InputLimits.Number(name.Length)} characters long; the limit is {InputLimits.Number(_limits.MaxNameLength)} ({nameof(InputLimits)}.{nameof(InputLimits.MaxNameLength)}).",
                        at, entry);
                }

                if (values.Contains(name, StringComparer.Ordinal))
                {
                    throw Error($"The scorer '{name}' is listed twice.", at, entry);
                }

                if (_knownScorers is not null && !_knownScorers.Contains(name))
                {
                    throw Error($"Unknown scorer '{name}'. Known scorers: {string.Join(", ", _knownScorers.Order(StringComparer.Ordinal))}.", at, entry);
                }

                values.Add(name);
            }

            return values;
        }

        private List<string> ReadStrings(ref Utf8JsonReader reader, string field)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Error($"Expected an array of strings, found {reader.TokenType}.", Position(ref reader), field);
            }

            var values = new List<string>();
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                values.Add(reader.TokenType == JsonTokenType.String
                    ? reader.GetString()!
                    : throw Error($"Expected a string, found {reader.TokenType}.", Position(ref reader), $"{field}[{values.Count}]"));
            }

            return values;
        }

        private string? ReadString(ref Utf8JsonReader reader, string field, bool allowNumber = false) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            JsonTokenType.Number when allowNumber => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw Error($"Expected a string, found {reader.TokenType}.", Position(ref reader), field),
        };

        private char ReadChar(ref Utf8JsonReader reader, string field, int at) =>
            ReadString(ref reader, field) is { Length: 1 } text ? text[0] : throw Error("Expected a string of one character.", at, field);

        private string Required(string? value, int at, string field) =>
            string.IsNullOrWhiteSpace(value) ? throw Error("The field name must not be empty.", at, field) : value;

        private void ExpectObject(ref Utf8JsonReader reader, string? field)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error($"Expected an object, found {reader.TokenType}.", Position(ref reader), field);
            }
        }

        /// <summary>Moves to the next property's value and returns the property name, or <see langword="null"/> at the end of the object.</summary>
        private string? NextProperty(ref Utf8JsonReader reader, string? parent, HashSet<string> seen)
        {
            if (Next(ref reader) == JsonTokenType.EndObject)
            {
                return null;
            }

            var name = reader.GetString()!;
            if (!seen.Add(name))
            {
                throw Error($"The property '{name}' is given twice.", Position(ref reader), parent is null ? name : parent + "." + name);
            }

            Next(ref reader);
            return name;
        }

        private JsonTokenType Next(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                throw Error("The suite file ends early.", _bytes.Length, null);
            }

            return reader.TokenType;
        }

        private int Position(ref Utf8JsonReader reader) => _offset + (int)reader.TokenStartIndex;

        private long Line(int position)
        {
            var index = _lineStarts.BinarySearch(position);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        private DatasetFormatException Error(string problem, int position, string? field) =>
            new(problem, _source, Line(position), field, position - _lineStarts[(int)Line(position) - 1] + 1);
    }
}
