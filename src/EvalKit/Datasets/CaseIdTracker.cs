using System.Runtime.InteropServices;

namespace EvalKit.Datasets;

/// <summary>
/// Remembers the ids read so far and where each was, so a repeated id is reported with both lines. It keeps a 64-bit
/// hash of each id and the line it was on, not the id itself, in one open-addressing table (12 bytes a slot, at most
/// three quarters full): a million ids cost 24 MB. The table lives in native memory and is freed when the reader is
/// disposed: a managed table that size would sit in the large-object heap as garbage until the next full collection,
/// which a fast evaluation after a large import may not trigger for a long time (it did not in the memory check, whose
/// peak it raised by 30 MB). A hash collision between two different ids (odds about 3 in 100 million for a million ids)
/// would be reported as a duplicate.
/// </summary>
internal sealed unsafe class CaseIdTracker : IDisposable
{
    private const int InitialCapacity = 1024;

    private readonly string? _source;
    private readonly string _field;
    private readonly InputLimits _limits;

    // Slot i is empty when _hashes[i] == 0; a hash of 0 is stored as 1 (one more tiny chance of a collision).
    private ulong* _hashes;
    private int* _lines;
    private int _capacity;
    private int _count;

    public CaseIdTracker(string? source, string field, InputLimits? limits = null)
    {
        _source = source;
        _field = field;
        _limits = limits ?? InputLimits.Default;
        _hashes = AllocateHashes(InitialCapacity);
        _lines = AllocateLines(InitialCapacity);
        _capacity = InitialCapacity;
    }

    ~CaseIdTracker() => Free();

    /// <summary>Records an id.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="line">The line (or record) it was read at.</param>
    /// <param name="where">Where in the line, when that helps (e.g. "element 3").</param>
    /// <exception cref="DatasetFormatException">The id was seen before, or there are more ids than <see cref="InputLimits.MaxCases"/>.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public void Add(string id, long line, string? where = null)
    {
        ObjectDisposedException.ThrowIf(_hashes is null, this);
        if (_count >= _limits.MaxCases)
        {
            throw _limits.CasesExceeded(_source, line);
        }

        var hash = Hash(id);
        if (_count >= (_capacity >> 2) * 3)
        {
            Grow();
        }

        var mask = _capacity - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            if (_hashes[slot] == 0)
            {
                _hashes[slot] = hash;
                _lines[slot] = line > int.MaxValue ? 0 : (int)line;
                _count++;
                return;
            }

            if (_hashes[slot] == hash)
            {
                var at = where is null ? string.Empty : $" ({where})";
                var first = _lines[slot] > 0 ? $"first at line {_lines[slot]}" : "seen on an earlier line";
                throw new DatasetFormatException($"Duplicate case id '{id}'{at} ({first}).", _source, line, _field);
            }
        }
    }

    /// <summary>Frees the table.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Grow()
    {
        var capacity = checked(_capacity * 2);
        var hashes = AllocateHashes(capacity);
        var lines = AllocateLines(capacity);
        var mask = capacity - 1;
        for (var i = 0; i < _capacity; i++)
        {
            if (_hashes[i] is var hash and not 0)
            {
                var slot = (int)hash & mask;
                while (hashes[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                hashes[slot] = hash;
                lines[slot] = _lines[i];
            }
        }

        Free();
        _hashes = hashes;
        _lines = lines;
        _capacity = capacity;
    }

    private static ulong* AllocateHashes(int capacity) => (ulong*)NativeMemory.AllocZeroed((nuint)capacity, sizeof(ulong));

    private static int* AllocateLines(int capacity) => (int*)NativeMemory.AllocZeroed((nuint)capacity, sizeof(int));

    private void Free()
    {
        NativeMemory.Free(_hashes);
        NativeMemory.Free(_lines);
        _hashes = null;
        _lines = null;
    }

    // FNV-1a over the UTF-16 code units, then a final avalanche (fmix64) so that similar ids spread over the table.
    private static ulong Hash(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb93e1a85ec53UL;
        hash ^= hash >> 33;
        return hash == 0 ? 1 : hash;
    }
}
