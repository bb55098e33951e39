using System.Buffers;
using System.Text;

namespace EvalKit.Datasets;

/// <summary>
/// Reads lines of strict UTF-8 from a stream, decoding each line on its own so that an invalid byte is reported on
/// the line where it is (a <see cref="StreamReader"/> decodes whole buffers ahead of the line being read).
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _stream;
    private readonly string? _source;
    private readonly InputLimits _limits;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start;
    private int _end;
    private bool _eof;
    private long _total;

    public Utf8LineReader(Stream stream, string? source, InputLimits? limits = null)
    {
        _stream = stream;
        _source = source;
        _limits = limits ?? InputLimits.Default;
    }

    /// <summary>Gets the 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public string? ReadLine()
    {
        // With sync: true the method never awaits, so the ValueTask has always completed here.
        var pending = ReadLineAsync(sync: true, CancellationToken.None);
        return pending.IsCompleted ? pending.Result : throw new InvalidOperationException("A synchronous read did not complete synchronously.");
    }

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ReadLineAsync(sync: false, cancellationToken);

    private async ValueTask<string?> ReadLineAsync(bool sync, CancellationToken cancellationToken)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
            {
                if (newline - _start > _limits.MaxLineBytes)
                {
                    throw _limits.LineTooLong("line", _source, LineNumber + 1);
                }

                var line = Decode(_start, newline - _start);
                _start = newline + 1;
                return line;
            }

            if (_end - _start > _limits.MaxLineBytes)
            {
                throw _limits.LineTooLong("line", _source, LineNumber + 1);
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return null;
                }

                var last = Decode(_start, _end - _start);
                _start = _end;
                return last;
            }

            // Everything up to the end has been scanned; after the move the end is where the next scan starts.
            StreamBuffer.MakeRoom(ref _buffer, ref _start, ref _end);
            scanFrom = _end;
            var read = await StreamBuffer.ReadAsync(_stream, _buffer, _end, sync, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
            _total += read;
            if (_total > _limits.MaxDatasetBytes)
            {
                throw _limits.DatasetTooLarge(_source, LineNumber + 1);
            }
        }
    }

    private string Decode(int offset, int count)
    {
        LineNumber++;
        if (count > 0 && _buffer[offset + count - 1] == (byte)'\r')
        {
            count--;
        }

        // A byte-order mark at the very start is not content.
        if (LineNumber == 1 && count >= 3 && _buffer[offset] == 0xEF && _buffer[offset + 1] == 0xBB && _buffer[offset + 2] == 0xBF)
        {
            offset += 3;
            count -= 3;
        }

        try
        {
            return Strict.GetString(_buffer, offset, count);
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException("The text is not valid UTF-8.", _source, LineNumber, null, e.Index >= 0 ? e.Index + 1 : null, e);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
