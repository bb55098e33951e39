namespace EvalKit.Scoring;

/// <summary>
/// Interns character spans to dense ids 0..Count-1 without allocating a string per token; the
/// characters of each distinct token are copied once into an internal arena.
/// </summary>
internal sealed class TokenInterner
{
    private char[] _arena = new char[1024];
    private int _arenaLength;
    private int[] _starts = new int[256];
    private int[] _lengths = new int[256];
    private int[] _hashes = new int[256];
    private int[] _slots;
    private int[] _slotGenerations;
    private int _generation = 1;
    private int _mask;

    public TokenInterner()
    {
        _slots = new int[512];
        _slotGenerations = new int[512];
        _mask = _slots.Length - 1;
    }

    /// <summary>Number of distinct tokens since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every token.</summary>
    public void Reset()
    {
        Count = 0;
        _arenaLength = 0;
        if (_generation == int.MaxValue)
        {
            Array.Clear(_slotGenerations);
            _generation = 0;
        }

        _generation++;
    }

    /// <summary>The characters of the token with id <paramref name="id"/>.</summary>
    public ReadOnlySpan<char> this[int id] => _arena.AsSpan(_starts[id], _lengths[id]);

    /// <summary>Returns the id of <paramref name="token"/>, adding it when new.</summary>
    public int GetOrAdd(ReadOnlySpan<char> token)
    {
        var hash = Hash(token);
        var slot = hash & _mask;
        while (_slotGenerations[slot] == _generation)
        {
            var id = _slots[slot];
            if (_hashes[id] == hash && token.SequenceEqual(_arena.AsSpan(_starts[id], _lengths[id])))
            {
                return id;
            }

            slot = (slot + 1) & _mask;
        }

        if ((Count + 1) * 2 > _slots.Length)
        {
            Grow();
            return GetOrAdd(token);
        }

        var newId = Count++;
        if (newId == _starts.Length)
        {
            Array.Resize(ref _starts, newId * 2);
            Array.Resize(ref _lengths, newId * 2);
            Array.Resize(ref _hashes, newId * 2);
        }

        if (_arenaLength + token.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + token.Length));
        }

        token.CopyTo(_arena.AsSpan(_arenaLength));
        _starts[newId] = _arenaLength;
        _lengths[newId] = token.Length;
        _hashes[newId] = hash;
        _arenaLength += token.Length;
        _slotGenerations[slot] = _generation;
        _slots[slot] = newId;
        return newId;
    }

    private static int Hash(ReadOnlySpan<char> token)
    {
        // FNV-1a over UTF-16 units, then a multiplicative finaliser so the low bits spread well.
        var h = 2166136261u;
        foreach (var c in token)
        {
            h = (h ^ c) * 16777619u;
        }

        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        return (int)(h & 0x7FFFFFFF);
    }

    private void Grow()
    {
        var size = _slots.Length * 2;
        _slots = new int[size];
        _slotGenerations = new int[size];
        _mask = size - 1;
        _generation = 1;
        for (var id = 0; id < Count; id++)
        {
            var slot = _hashes[id] & _mask;
            while (_slotGenerations[slot] == _generation)
            {
                slot = (slot + 1) & _mask;
            }

            _slotGenerations[slot] = _generation;
            _slots[slot] = id;
        }
    }
}
