using EvalKit.Comparisons;
using EvalKit.Experiments;

namespace EvalKit.Reporting;

/// <summary>What a report or an export covers: an experiment's runs, runs named by id, A/B tests and a regression gate.</summary>
public sealed record ReportRequest
{
    /// <summary>Gets the experiment whose runs (and record, template and experiment runs) are covered, or <see langword="null"/>.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>Gets more runs to cover, by id, or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? RunIds { get; init; }

    /// <summary>Gets A/B tests whose results (and runs) are covered, by id, or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? AbTestIds { get; init; }

    /// <summary>Gets a regression gate to evaluate and show, or <see langword="null"/>.</summary>
    public RegressionGate? Gate { get; init; }

    /// <summary>Gets the report's title; the experiment's name (or "EvalKit report") when <see langword="null"/>.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the metric the leaderboard ranks by; the experiment's (or the first run's) primary metric when <see langword="null"/>.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the significance level of the run comparisons; the experiment's (or 0.05) when <see langword="null"/>.</summary>
    public double? Alpha { get; init; }

    /// <summary>Gets the multiplicity correction of the run comparisons; the experiment's (or Holm) when <see langword="null"/>.</summary>
    public PValueCorrection? Correction { get; init; }

    /// <summary>Gets the value of the primary metric at or above which a case passes; the experiment's (or 0.5) when <see langword="null"/>.</summary>
    public double? PassThreshold { get; init; }

    /// <summary>Gets the label of each run (keyed by run id); experiment variants' labels, then model ids, when missing.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Gets the most cases the HTML report shows in its per-case drill-down (the other formats cover every case).</summary>
    /// <value>The default value is 2,000.</value>
    public int MaxCases { get; init; } = 2_000;
}
