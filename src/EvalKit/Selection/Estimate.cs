using EvalKit.Statistics;

namespace EvalKit.Selection;

/// <summary>A number behind a selection decision, with the evidence it rests on: sample size, interval and origin.</summary>
public sealed record Estimate
{
    /// <summary>Gets the point estimate, in the unit of its criterion (metric units, milliseconds, a rate, or currency per 1,000 requests).</summary>
    public required double Value { get; init; }

    /// <summary>Gets the 95% interval of the estimate, or <see langword="null"/> when the evidence gives none.</summary>
    public Interval? Interval { get; init; }

    /// <summary>Gets the number of observations behind the estimate (cases, calls or metric points; 0 for a pricing estimate).</summary>
    public long N { get; init; }

    /// <summary>Gets where the estimate comes from.</summary>
    public required EvidenceOrigin Origin { get; init; }

    /// <summary>Gets what the estimate was read from, such as <c>"run r-42"</c> or <c>"runtime metrics since 2025-01-01T00:00:00Z"</c>.</summary>
    public string? Source { get; init; }
}
