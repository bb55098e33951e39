namespace EvalKit.Statistics;

/// <summary>A closed interval [<paramref name="Lower"/>, <paramref name="Upper"/>], such as a confidence interval.</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
public readonly record struct Interval(double Lower, double Upper)
{
    /// <summary>Gets the width of the interval.</summary>
    public double Width => Upper - Lower;

    /// <summary>Tells whether <paramref name="value"/> lies inside the interval (bounds included).</summary>
    /// <param name="value">The value to test.</param>
    /// <returns><see langword="true"/> when <c>Lower &lt;= value &lt;= Upper</c>.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
