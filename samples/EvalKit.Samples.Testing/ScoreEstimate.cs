using System.Globalization;
using EvalKit.Statistics;

namespace EvalKit.Samples.Testing;

/// <summary>A metric's mean over a run's cases with its confidence interval: what <see cref="EvalAssert"/> checks.</summary>
public sealed record ScoreEstimate
{
    private readonly IReadOnlyList<string> _missedCaseIds = [];

    /// <summary>Gets the metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the run.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the model the run evaluated.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the mean over the cases (a case's repetitions averaged first; a failed call counts as 0).</summary>
    public required double Mean { get; init; }

    /// <summary>Gets the confidence interval of <see cref="Mean"/>.</summary>
    public required Interval Interval { get; init; }

    /// <summary>Gets the confidence level of <see cref="Interval"/>, such as 0.95.</summary>
    public required double Confidence { get; init; }

    /// <summary>Gets how <see cref="Interval"/> was computed: <c>Wilson</c> for pass/fail values, else <c>Student t</c>.</summary>
    public required string Method { get; init; }

    /// <summary>Gets the number of cases.</summary>
    public required int N { get; init; }

    /// <summary>Gets the ids of the cases whose value is below 1 (for pass/fail metrics: the cases that failed), in case order.</summary>
    public IReadOnlyList<string> MissedCaseIds
    {
        get => _missedCaseIds;
        init => _missedCaseIds = value is null ? [] : [.. value];
    }

    /// <summary>Writes the estimate as <c>exact_match 0.96 [0.90, 0.98] (n=100)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Metric} {Mean:0.00} [{Interval.Lower:0.00}, {Interval.Upper:0.00}] (n={N})");
}
