namespace EvalKit.Scoring;

/// <summary>Options of <see cref="NumericScorer"/>.</summary>
public sealed record NumericScorerOptions
{
    /// <summary>Gets the default options: last number, relative tolerance 1e-9, percents kept as written.</summary>
    public static NumericScorerOptions Default { get; } = new();

    /// <summary>Gets which number of the answer is read; references always use their first number.</summary>
    public NumberPosition Position { get; init; } = NumberPosition.Last;

    /// <summary>Gets the absolute tolerance: numbers within it are equal. Default 0.</summary>
    public double AbsoluteTolerance { get; init; }

    /// <summary>Gets the relative tolerance, as a fraction of the larger magnitude. Default 1e-9 (Python's <c>math.isclose</c>).</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>
    /// Gets whether a number followed by <c>%</c> is divided by 100 (<c>50%</c> reads 0.5). Default
    /// <see langword="false"/>: the percent sign is ignored (<c>50%</c> reads 50), so "50%" matches a reference "50".
    /// </summary>
    public bool PercentAsFraction { get; init; }
}
