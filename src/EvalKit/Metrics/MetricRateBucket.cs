namespace EvalKit.Metrics;

/// <summary>A <see cref="MetricRate"/> over one bucket [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record MetricRateBucket
{
    /// <summary>Gets the bucket's start (UTC, aligned to the period).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the bucket's exclusive end.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Gets the sum of the numerator metric over the bucket (0 when it has no point there).</summary>
    public required double Numerator { get; init; }

    /// <summary>Gets the sum of the denominator metric over the bucket, or, for a rate per second, the bucket's seconds inside the queried range.</summary>
    public required double Denominator { get; init; }

    /// <summary>Gets <see cref="Numerator"/> / <see cref="Denominator"/>, or <see langword="null"/> when the denominator is zero.</summary>
    public double? Rate => Denominator == 0 ? null : Numerator / Denominator;
}
