namespace EvalKit.Datasets;

/// <summary>
/// Remembers the ids read so far and where each was, so a repeated id is reported with both lines. It keeps a 64-bit
/// hash of each id, not the id itself, so a million cases cost about 30 MB rather than the strings; a hash collision
/// between two different ids (odds about 3 in 100 million for a million ids) would be reported as a duplicate.
/// </summary>
internal sealed class CaseIdTracker(string? source, string field)
{
    private readonly Dictionary<ulong, long> _seen = [];

    /// <summary>Records an id.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="line">The line the case starts on.</param>
    /// <param name="where">How to name the case's place, when a line alone does not (a JSON array element).</param>
    /// <exception cref="DatasetFormatException">The id was seen before.</exception>
    public void Add(string id, long line, string? where = null)
    {
        var hash = Hash(id);
        if (!_seen.TryAdd(hash, line))
        {
            var at = where is null ? string.Empty : $" ({where})";
            throw new DatasetFormatException($"Duplicate case id '{id}'{at} (first at line {_seen[hash]}).", source, line, field);
        }
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
        return hash ^ (hash >> 33);
    }
}
