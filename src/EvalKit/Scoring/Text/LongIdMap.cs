using System.Numerics;
using System.Runtime.CompilerServices;

namespace EvalKit.Scoring;

/// <summary>
/// An open-addressing map from 64-bit keys to dense ids 0..Count-1, reusable without clearing:
/// <see cref="Reset"/> starts a new generation in O(1).
/// </summary>
/// <remarks>
/// The text metrics give every n-gram an id by interning the pair (id of its (n-1)-gram prefix, id of its
/// last token) as one 64-bit key, so n-grams of any order are counted with one probe per order and no
/// allocation.
/// </remarks>
internal sealed class LongIdMap
{
    private long[] _keys;
    private int[] _ids;
    private int[] _generations;
    private int _generation = 1;
    private int _mask;

    public LongIdMap(int capacity = 256)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _keys = new long[size];
        _ids = new int[size];
        _generations = new int[size];
        _mask = size - 1;
    }

    /// <summary>Number of distinct keys since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every key.</summary>
    public void Reset()
    {
        Count = 0;
        if (_generation == int.MaxValue)
        {
            Array.Clear(_generations);
            _generation = 0;
        }

        _generation++;
    }

    /// <summary>Builds the key of an n-gram from its prefix id (-1 for none) and its last token id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Key(int prefixId, int tokenId) => ((long)(prefixId + 1) << 32) | (uint)tokenId;

    /// <summary>Returns the id of <paramref name="key"/>, adding it with the next free id when absent.</summary>
    public int GetOrAdd(long key, out bool added)
    {
        var slot = Slot(key);
        while (true)
        {
            if (_generations[slot] != _generation)
            {
                if ((Count + 1) * 2 > _keys.Length)
                {
                    Grow();
                    return GetOrAdd(key, out added);
                }

                _generations[slot] = _generation;
                _keys[slot] = key;
                var id = Count++;
                _ids[slot] = id;
                added = true;
                return id;
            }

            if (_keys[slot] == key)
            {
                added = false;
                return _ids[slot];
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key)
    {
        var h = (ulong)key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 32) & _mask;
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldIds = _ids;
        var oldGenerations = _generations;
        var oldGeneration = _generation;
        var size = oldKeys.Length * 2;
        _keys = new long[size];
        _ids = new int[size];
        _generations = new int[size];
        _mask = size - 1;
        _generation = 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            if (oldGenerations[i] != oldGeneration)
            {
                continue;
            }

            var slot = Slot(oldKeys[i]);
            while (_generations[slot] == _generation)
            {
                slot = (slot + 1) & _mask;
            }

            _generations[slot] = _generation;
            _keys[slot] = oldKeys[i];
            _ids[slot] = oldIds[i];
        }
    }
}
