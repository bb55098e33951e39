namespace EvalKit.Storage;

/// <summary>The key of a result within its run; ordered by case ordinal, then repetition.</summary>
/// <param name="CaseOrdinal">The case ordinal.</param>
/// <param name="Repetition">The repetition.</param>
public readonly record struct ResultKey(long CaseOrdinal, int Repetition) : IComparable<ResultKey>
{
    /// <inheritdoc/>
    public int CompareTo(ResultKey other)
    {
        var c = CaseOrdinal.CompareTo(other.CaseOrdinal);
        return c != 0 ? c : Repetition.CompareTo(other.Repetition);
    }

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</returns>
    public static bool operator <(ResultKey left, ResultKey right) => left.CompareTo(right) < 0;

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</returns>
    public static bool operator >(ResultKey left, ResultKey right) => left.CompareTo(right) > 0;

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>Whether <paramref name="left"/> sorts before or equal to <paramref name="right"/>.</returns>
    public static bool operator <=(ResultKey left, ResultKey right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>Whether <paramref name="left"/> sorts after or equal to <paramref name="right"/>.</returns>
    public static bool operator >=(ResultKey left, ResultKey right) => left.CompareTo(right) >= 0;
}
