namespace EvalKit.Datasets;

/// <summary>
/// Remembers the ids read so far and where each was, so a repeated id is reported with both lines. It keeps a 64-bit
/// hash of each id and the line it was on, not the id itself, in one open-addressing table (12 bytes a slot, at most
/// three quarters full): a million ids cost 24 MB, and growing the table leaves half that behind as garbage, where a
/// <see cref="Dictionary{TKey, TValue}"/> of the same pairs costs about 33 MB plus its own resize garbage. A hash
/// collision between two different ids (odds about 3 in 100 million for a million ids) would be reported as a duplicate.
/// </summary>
internal sealed class CaseIdTracker(string? source, string field)
{
    private const int InitialCapacity = 1024;

    // Slot i is empty when _hashes[i] == 0; a hash of 0 is stored as 1 (one more tiny chance of a collision).
    private ulong[] _hashes = new ulong[InitialCapacity];
    private int[] _lines = new int[InitialCapacity];
    private int _count;

    /// <summary>Records an id.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="line">The line (or record) it was read at.</param>
    /// <param name="where">Where in the line, when that helps (e.g. "element 3").</param>
    /// <exception cref="DatasetFormatException">The id was seen before.</exception>
    public void Add(string id, long line, string? where = null)
    {
        var hash = Hash(id);
        if (_count >= (_hashes.Length >> 2) * 3)
        {
            Grow();
        }

        var mask = _hashes.Length - 1;
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
                throw new DatasetFormatException($"Duplicate case id '{id}'{at} ({first}).", source, line, field);
            }
        }
    }

    private void Grow()
    {
        var hashes = new ulong[_hashes.Length * 2];
        var lines = new int[hashes.Length];
        var mask = hashes.Length - 1;
        for (var i = 0; i < _hashes.Length; i++)
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

        _hashes = hashes;
        _lines = lines;
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
