using System.Globalization;
using System.Text.Json;
using nietras.SeparatedValues;

namespace EvalKit.Datasets;

/// <summary>Turns the rows of a CSV file (parsed by Sep) into cases, by the columns a mapping names.</summary>
internal sealed class CsvCaseReader : IDisposable
{
    private readonly SepReader _reader;
    private readonly string? _source;
    private readonly DatasetFieldMapping _mapping;
    private readonly InputLimits _limits;
    private readonly Utf8LineTextReader _text;
    private readonly CaseIdTracker _ids;
    private readonly int _id;
    private readonly int _input;
    private readonly int _messages;
    private readonly int _group;
    private readonly int _references;
    private readonly (int Index, string Name)[] _reference;
    private readonly (int Index, string Name)[] _metadata;
    private readonly IReadOnlyList<string> _names;
    private int _nextLine;

    private CsvCaseReader(SepReader reader, Utf8LineTextReader text, string? source, DatasetFieldMapping mapping, InputLimits limits)
    {
        _reader = reader;
        _text = text;
        _source = source;
        _mapping = mapping;
        _limits = limits;
        _ids = new CaseIdTracker(source, mapping.Id, limits);
        var header = reader.Header;
        _names = header.ColNames;
        if (header.IsEmpty)
        {
            throw new DatasetFormatException("The file is empty; a CSV dataset needs a header row naming its columns.", source, 1, null);
        }

        _id = IndexOf(mapping.Id);
        _input = IndexOf(mapping.Input);
        _messages = IndexOf(mapping.Messages);
        _group = IndexOf(mapping.Group);
        _references = IndexOf(mapping.References);
        if (_input < 0 && _messages < 0)
        {
            throw new DatasetFormatException(
                $"The header row has no '{mapping.Input}' (or '{mapping.Messages}') column; it has: {string.Join(", ", _names)}.", source, 1, mapping.Input);
        }

        var numbered = new List<(int Number, int Index, string Name)>();
        var prefix = mapping.Reference + "_";
        for (var i = 0; i < _names.Count; i++)
        {
            if (_names[i] == mapping.Reference)
            {
                numbered.Add((1, i, _names[i]));
            }
            else if (_names[i].StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(_names[i].AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbered.Add((number, i, _names[i]));
            }
        }

        _reference = [.. numbered.OrderBy(r => r.Number).Select(r => (r.Index, r.Name))];
        var used = new HashSet<int>([_id, _input, _messages, _group, _references, .. _reference.Select(r => r.Index)]);
        if (mapping.MetadataColumns is { } columns)
        {
            _metadata = [.. columns.Select(name => IndexOf(name) is var i and >= 0
                ? (i, name)
                : throw new DatasetFormatException($"The header row has no '{name}' column, which the mapping lists as metadata.", source, 1, name))];
        }
        else
        {
            _metadata = [.. Enumerable.Range(0, _names.Count).Where(i => !used.Contains(i)).Select(i => (i, _names[i]))];
        }

        _nextLine = 2;
        text.StartRow(_nextLine);
    }

    public static CsvCaseReader Open(Stream stream, string? source, DatasetFieldMapping mapping, InputLimits limits)
    {
        var text = new Utf8LineTextReader(stream, source, limits);
        try
        {
            var reader = Wrap(() => Options(mapping).From(text), source, 1);
            return Create(reader, text, source, mapping, limits);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    public static async ValueTask<CsvCaseReader> OpenAsync(Stream stream, string? source, DatasetFieldMapping mapping, InputLimits limits, CancellationToken cancellationToken)
    {
        var text = new Utf8LineTextReader(stream, source, limits);
        try
        {
            SepReader reader;
            try
            {
                reader = await Options(mapping).FromAsync(text, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
            {
                throw new DatasetFormatException($"The header row is not valid CSV: {e.Message}", source, 1, null, null, e);
            }

            return Create(reader, text, source, mapping, limits);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    public EvalCase? Read()
    {
        var line = _nextLine;
        return Wrap(_reader.MoveNext, _source, line) ? ToCase() : null;
    }

    public async ValueTask<EvalCase?> ReadAsync(CancellationToken cancellationToken)
    {
        var line = _nextLine;
        bool more;
        try
        {
            more = await _reader.MoveNextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new DatasetFormatException($"The row is not valid CSV: {e.Message}", _source, line, null, null, e);
        }

        return more ? ToCase() : null;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _ids.Dispose();
    }

    private static CsvCaseReader Create(SepReader reader, Utf8LineTextReader text, string? source, DatasetFieldMapping mapping, InputLimits limits)
    {
        try
        {
            return new CsvCaseReader(reader, text, source, mapping, limits);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static SepReaderOptions Options(DatasetFieldMapping mapping) => new(Sep.New(mapping.CsvDelimiter))
    {
        HasHeader = true,
        DisableColCountCheck = true,
        Unescape = true,
        CultureInfo = CultureInfo.InvariantCulture,
        ColNameComparer = StringComparer.Ordinal,
    };

    private static T Wrap<T>(Func<T> read, string? source, long line)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new DatasetFormatException($"The {(line == 1 ? "header row" : "row")} is not valid CSV: {e.Message}", source, line, null, null, e);
        }
    }

    private int IndexOf(string name) => _reader.Header.TryIndexOf(name, out var index) ? index : -1;

    private EvalCase ToCase()
    {
        var row = _reader.Current;
        long line = row.LineNumberFrom;
        _nextLine = row.LineNumberToExcl;
        _text.StartRow(_nextLine);
        var span = row.Span;
        if (span.Length > _limits.MaxLineBytes || (span.Length * 3L > _limits.MaxLineBytes && System.Text.Encoding.UTF8.GetByteCount(span) > _limits.MaxLineBytes))
        {
            throw _limits.LineTooLong("row", _source, line);
        }

        // In well-formed CSV quotes come in pairs (around a cell, and doubled inside one): an odd count means a quote
        // that was never closed, which made the parser run on to the end of the file.
        if (span.Count('"') % 2 != 0)
        {
            throw new DatasetFormatException("The row is not valid CSV: it has an unbalanced quote (a quoted cell is never closed).", _source, line, null);
        }

        if (row.ColCount != _names.Count)
        {
            throw new DatasetFormatException($"The row is not valid CSV: it has {row.ColCount} columns; the header row has {_names.Count}.", _source, line, null);
        }

        var id = Cell(row, _id) is { Length: > 0 } givenId ? givenId : line.ToString(CultureInfo.InvariantCulture);
        CaseInput input;
        if (Cell(row, _messages) is { Length: > 0 } json)
        {
            input = CaseInput.FromMessages(ParseMessages(json, line));
        }
        else
        {
            input = Cell(row, _input) is { Length: > 0 } text
                ? text
                : throw new DatasetFormatException(
                    _input >= 0 ? "The input cell is empty." : $"The '{_mapping.Messages}' cell is empty.", _source, line,
                    _input >= 0 ? _mapping.Input : _mapping.Messages, Column(_input >= 0 ? _input : _messages));
        }

        var references = new List<string>();
        foreach (var (index, _) in _reference)
        {
            if (Cell(row, index) is { Length: > 0 } reference)
            {
                references.Add(reference);
            }
        }

        if (Cell(row, _references) is { Length: > 0 } list)
        {
            references.AddRange(list.Split(_mapping.ReferenceSeparator).Where(r => r.Length > 0));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (index, name) in _metadata)
        {
            metadata[name] = row[index].ToString();
        }

        var item = new EvalCase
        {
            Id = id,
            Input = input,
            References = references,
            Group = Cell(row, _group) is { Length: > 0 } group ? group : null,
            Metadata = metadata,
        };
        _limits.CheckCase(item, _source, line, _mapping, csv: true);
        _ids.Add(item.Id, line);
        return item;
    }

    private List<ChatTurn> ParseMessages(string json, long line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = _limits.MaxDepth });
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"The cell is not valid JSON: {_limits.Describe(e)}", _source, line, _mapping.Messages, Column(_messages), e);
        }

        using (document)
        {
            try
            {
                return Datasets.ReadMessages(document.RootElement, _source, line, _mapping.Messages, Column(_messages));
            }
            catch (InvalidOperationException e)
            {
                throw new DatasetFormatException($"The cell holds text that is not valid Unicode: {e.Message}", _source, line, _mapping.Messages, Column(_messages), e);
            }
        }
    }

    private static string? Cell(SepReader.Row row, int index) => index < 0 ? null : row[index].ToString();

    private static long Column(int index) => index + 1;
}
