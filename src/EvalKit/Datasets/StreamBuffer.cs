using System.Buffers;

namespace EvalKit.Datasets;

/// <summary>The refill step shared by the streaming readers: make room at the end of a pooled byte buffer, then read into it.</summary>
internal static class StreamBuffer
{
    /// <summary>Moves the unread bytes [start, end) to the front, and doubles the buffer when it is still full.</summary>
    /// <returns>How far the bytes moved towards the front.</returns>
    public static int MakeRoom(ref byte[] buffer, ref int start, ref int end)
    {
        var shift = start;
        if (shift > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= shift;
            start = 0;
        }

        if (end == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            Buffer.BlockCopy(buffer, 0, larger, 0, end);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        return shift;
    }

    /// <summary>Reads into the free tail of the buffer; with <paramref name="sync"/> it never awaits.</summary>
    /// <returns>The number of bytes read; 0 at the end of the stream.</returns>
    public static async ValueTask<int> ReadAsync(Stream stream, byte[] buffer, int end, bool sync, CancellationToken cancellationToken) =>
        sync
            ? stream.Read(buffer, end, buffer.Length - end)
            : await stream.ReadAsync(buffer.AsMemory(end, buffer.Length - end), cancellationToken).ConfigureAwait(false);
}
