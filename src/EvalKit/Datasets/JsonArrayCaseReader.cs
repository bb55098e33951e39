using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace EvalKit.Datasets;

/// <summary>
/// Reads a JSON array of case objects element by element from a stream with <see cref="Utf8JsonReader"/>: only the
/// element being parsed is buffered. Tracks the line each element starts on, for the default-free error messages.
/// </summary>
internal sealed class JsonArrayCaseReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string? _source;
    private readonly DatasetFieldMapping _mapping;
    private readonly InputLimits _limits;
    private readonly CaseIdTracker _ids;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private JsonReaderState _state;
    private long _total;
    private Phase _phase;
    private long _line = 1;
    private int _countedTo;
    private long _index;

    public JsonArrayCaseReader(Stream stream, string? source, DatasetFieldMapping mapping, InputLimits limits)
    {
        _stream = stream;
        _source = source;
        _mapping = mapping;
        _limits = limits;
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = limits.MaxDepth });
        _ids = new CaseIdTracker(source, mapping.Id, limits);
    }

    private enum Phase
    {
        BeforeArray,
        InArray,
        AfterArray,
        Done,
    }

    private enum Step
    {
        Continue,
        NeedMore,
        Element,
    }

    public EvalCase? Read()
    {
        // With sync: true the method never awaits, so the ValueTask has always completed here.
        var pending = ReadAsync(sync: true, CancellationToken.None);
        return pending.IsCompleted ? pending.Result : throw new InvalidOperationException("A synchronous read did not complete synchronously.");
    }

    public ValueTask<EvalCase?> ReadAsync(CancellationToken cancellationToken) => ReadAsync(sync: false, cancellationToken);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _ids.Dispose();
    }

    private async ValueTask<EvalCase?> ReadAsync(bool sync, CancellationToken cancellationToken)
    {
        while (_phase != Phase.Done)
        {
            if (!_started)
            {
                await FillAsync(sync, cancellationToken).ConfigureAwait(false);
                continue;
            }

            switch (Advance(out var document, out var line))
            {
                case Step.Element:
                    using (document)
                    {
                        return ToCase(document!.RootElement, line);
                    }

                case Step.NeedMore:
                    if (_end - _start > _limits.MaxLineBytes)
                    {
                        throw _limits.LineTooLong($"array element {_index + 1}", _source, LineAt(SkipSeparators(_start)));
                    }

                    if (_eof)
                    {
                        throw new DatasetFormatException("The JSON ends before the array is closed.", _source, _line, null);
                    }

                    await FillAsync(sync, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return null;
    }

    private EvalCase ToCase(JsonElement element, long line)
    {
        _index++;
        var position = _index.ToString(CultureInfo.InvariantCulture);
        EvalCase item;
        try
        {
            item = Datasets.ParseCase(element, position, _source, line, _mapping);
        }
        catch (DatasetFormatException e)
        {
            throw new DatasetFormatException($"Array element {position}: {e.Problem}", e.Source, e.Line, e.Field, e.Column, e.InnerException);
        }
        catch (InvalidOperationException e)
        {
            // A string escape such as \ud800 that decodes to a lone surrogate: not Unicode text.
            throw new DatasetFormatException($"Array element {position}: the text is not valid Unicode: {e.Message}", _source, line, null, null, e);
        }

        try
        {
            _limits.CheckCase(item, _source, line, _mapping);
        }
        catch (DatasetFormatException e)
        {
            throw new DatasetFormatException($"Array element {position}: {e.Problem}", e.Source, e.Line, e.Field, e.Column, e.InnerException);
        }

        _ids.Add(item.Id, line, $"array element {position}");
        return item;
    }

    private Step Advance(out JsonDocument? document, out long line)
    {
        document = null;
        line = 0;
        if (_phase == Phase.BeforeArray && _eof && _buffer.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new DatasetFormatException("The file is empty; expected a JSON array of case objects.", _source, LineAt(_end), null);
        }

        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            if (!reader.Read())
            {
                if (_phase == Phase.AfterArray && _eof)
                {
                    _phase = Phase.Done;
                    return Step.Continue;
                }

                if (_eof)
                {
                    throw new DatasetFormatException(
                        _phase == Phase.BeforeArray ? "The file is empty; expected a JSON array of case objects." : "The JSON ends before the array is closed.",
                        _source, LineAt(_end), null);
                }

                return Step.NeedMore;
            }

            var tokenStart = _start + (int)reader.TokenStartIndex;
            switch (_phase)
            {
                case Phase.BeforeArray:
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new DatasetFormatException($"Expected a JSON array of case objects, found {reader.TokenType}.", _source, LineAt(tokenStart), null);
                    }

                    _phase = Phase.InArray;
                    Commit(ref reader);
                    return Step.Continue;

                case Phase.InArray:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.AfterArray;
                        Commit(ref reader);
                        return Step.Continue;
                    }

                    line = LineAt(tokenStart);
                    if (!JsonDocument.TryParseValue(ref reader, out document))
                    {
                        return Step.NeedMore;
                    }

                    var consumed = _start + (int)reader.BytesConsumed;
                    CheckUtf8(tokenStart, consumed, line, document);
                    if (consumed - tokenStart > _limits.MaxLineBytes)
                    {
                        document.Dispose();
                        throw _limits.LineTooLong($"array element {_index + 1}", _source, line);
                    }

                    Commit(ref reader);
                    return Step.Element;

                default:
                    throw new DatasetFormatException($"Unexpected {reader.TokenType} after the end of the array.", _source, LineAt(tokenStart), null);
            }
        }
        catch (JsonException e)
        {
            document?.Dispose();
            throw new DatasetFormatException($"The text is not valid JSON: {_limits.Describe(e)}", _source, e.LineNumber + 1, null, e.BytePositionInLine + 1, e);
        }
    }

    private void CheckUtf8(int from, int to, long line, JsonDocument? document)
    {
        var bytes = _buffer.AsSpan(from, to - from);
        if (Utf8.IsValid(bytes))
        {
            return;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var length) != OperationStatus.Done)
            {
                break;
            }

            offset += length;
        }

        document?.Dispose();
        var before = bytes[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        throw new DatasetFormatException(
            $"Array element {_index + 1}: the text is not valid UTF-8.", _source, line + before.Count((byte)'\n'), null, offset - lineStart + 1);
    }

    /// <summary>Skips the white space and comma between elements, to find where the next one starts.</summary>
    private int SkipSeparators(int position)
    {
        while (position < _end && _buffer[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',')
        {
            position++;
        }

        return position;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Gets the 1-based line of a position in the buffer, counting newlines forward from the last position asked about.</summary>
    private long LineAt(int position)
    {
        if (position > _countedTo)
        {
            _line += _buffer.AsSpan(_countedTo, position - _countedTo).Count((byte)'\n');
            _countedTo = position;
        }

        return _line;
    }

    private async ValueTask FillAsync(bool sync, CancellationToken cancellationToken)
    {
        // Count the lines of the bytes about to move out of reach before the buffer shifts.
        _ = LineAt(_start);
        _countedTo -= StreamBuffer.MakeRoom(ref _buffer, ref _start, ref _end);
        var read = await StreamBuffer.ReadAsync(_stream, _buffer, _end, sync, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        _total += read;
        if (_total > _limits.MaxDatasetBytes)
        {
            throw _limits.DatasetTooLarge(_source, LineAt(_start));
        }

        if (!_started && (_end >= 3 || _eof))
        {
            _started = true;
            if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3;
                _countedTo = 3;
            }
        }
    }
}
