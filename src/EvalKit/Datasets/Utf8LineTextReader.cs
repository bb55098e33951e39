namespace EvalKit.Datasets;

/// <summary>
/// A <see cref="TextReader"/> over <see cref="Utf8LineReader"/>: text is decoded strictly one line at a time, so invalid
/// UTF-8 is reported on its own line even when the consumer (the CSV parser) reads far ahead. Lines end in <c>\n</c>.
/// </summary>
internal sealed class Utf8LineTextReader : TextReader
{
    // The CSV parser reads ahead of the row it returns by at most its buffer; this slack keeps that read-ahead from being
    // taken for a long row (the reader checks each row's exact length once it has it).
    private const int ReadAheadSlack = 1 << 16;

    private readonly Utf8LineReader _lines;
    private readonly string? _source;
    private readonly InputLimits _limits;
    private string? _current;
    private int _position;
    private bool _eof;
    private long _rowStartLine = 1;
    private long _sinceRowStart;

    public Utf8LineTextReader(Stream stream, string? source, InputLimits? limits = null)
    {
        _source = source;
        _limits = limits ?? InputLimits.Default;
        _lines = new Utf8LineReader(stream, source, _limits);
    }

    /// <summary>Tells the reader that a row was returned and the next one starts on a line: a row that never ends (an unbalanced quote) is stopped at the row limit.</summary>
    /// <param name="line">The 1-based line the next row starts on.</param>
    public void StartRow(long line)
    {
        _rowStartLine = line;
        _sinceRowStart = 0;
    }

    public override int Peek()
    {
        if (!EnsureLine())
        {
            return -1;
        }

        return _position < _current!.Length ? _current[_position] : '\n';
    }

    public override int Read()
    {
        var result = Peek();
        if (result >= 0)
        {
            _position++;
        }

        return result;
    }

    public override int Read(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return Read(buffer.AsSpan(index, count));
    }

    public override int Read(Span<char> buffer)
    {
        var written = 0;
        while (written < buffer.Length && (written == 0 ? EnsureLine() : HasBufferedLine()))
        {
            written += Copy(buffer[written..]);
        }

        return written;
    }

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_current is null || _position > _current.Length)
        {
            if (_eof)
            {
                return 0;
            }

            _current = await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            _position = 0;
            if (_current is null)
            {
                _eof = true;
                return 0;
            }
        }

        var written = 0;
        while (written < buffer.Length && HasBufferedLine())
        {
            written += Copy(buffer.Span[written..]);
        }

        return written;
    }

    public override Task<int> ReadAsync(char[] buffer, int index, int count) =>
        ReadAsync(buffer.AsMemory(index, count)).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lines.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool HasBufferedLine() => _current is not null && _position <= _current.Length;

    private bool EnsureLine()
    {
        if (HasBufferedLine())
        {
            return true;
        }

        if (_eof)
        {
            return false;
        }

        _current = _lines.ReadLine();
        _position = 0;
        _eof = _current is null;
        return !_eof;
    }

    /// <summary>Copies the rest of the current line and its newline (position == length stands for the newline).</summary>
    private int Copy(Span<char> target)
    {
        var copied = CopyCore(target);
        _sinceRowStart += copied;
        if (_sinceRowStart > (long)_limits.MaxLineBytes + ReadAheadSlack)
        {
            throw _limits.LineTooLong("row (an unbalanced quote?)", _source, _rowStartLine);
        }

        return copied;
    }

    private int CopyCore(Span<char> target)
    {
        var current = _current!;
        var rest = current.AsSpan(Math.Min(_position, current.Length));
        var count = Math.Min(rest.Length, target.Length);
        rest[..count].CopyTo(target);
        _position += count;
        if (count < target.Length && _position == current.Length)
        {
            target[count] = '\n';
            _position++;
            count++;
        }

        return count;
    }
}
