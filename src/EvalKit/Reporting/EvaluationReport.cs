using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Experiments;

namespace EvalKit.Reporting;

/// <summary>
/// Everything a report shows, gathered from the store by <see cref="IExperimentService.BuildReportAsync"/>: the runs with
/// their results, the dataset cases, the run comparisons, A/B results and a regression gate. Render it with
/// <see cref="HtmlReport"/>, <see cref="MarkdownReport"/>, <see cref="JUnitReport"/> or <see cref="CsvReport"/>.
/// </summary>
public sealed record EvaluationReport
{
    private readonly IReadOnlyList<ReportRun> _runs = [];
    private readonly IReadOnlyList<RunComparison> _comparisons = [];
    private readonly IReadOnlyList<ComparisonResults> _abTests = [];
    private readonly IReadOnlyDictionary<string, IReadOnlyList<EvalCase>> _cases = new Dictionary<string, IReadOnlyList<EvalCase>>(StringComparer.Ordinal);

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets a description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the hypothesis under test, if any.</summary>
    public string? Hypothesis { get; init; }

    /// <summary>Gets when the report was built.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets the metric the leaderboard ranks by and that decides pass or fail.</summary>
    public required string PrimaryMetric { get; init; }

    /// <summary>Gets the significance level of the comparisons.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Gets the value of the primary metric at or above which a case passes.</summary>
    /// <value>The default value is 0.5.</value>
    public double PassThreshold { get; init; } = 0.5;

    /// <summary>Gets the most cases the HTML drill-down shows.</summary>
    /// <value>The default value is 2,000.</value>
    public int MaxCases { get; init; } = 2_000;

    /// <summary>Gets the runs.</summary>
    public required IReadOnlyList<ReportRun> Runs
    {
        get => _runs;
        init => _runs = value is null ? [] : [.. value];
    }

    /// <summary>Gets the run comparisons, one per dataset with two or more completed runs.</summary>
    public IReadOnlyList<RunComparison> Comparisons
    {
        get => _comparisons;
        init => _comparisons = value is null ? [] : [.. value];
    }

    /// <summary>Gets A/B test results to show with their verdicts.</summary>
    public IReadOnlyList<ComparisonResults> AbTests
    {
        get => _abTests;
        init => _abTests = value is null ? [] : [.. value];
    }

    /// <summary>Gets the regression gate's result, if one was evaluated.</summary>
    public RegressionGateResult? Gate { get; init; }

    /// <summary>Gets the experiment the report covers, if any.</summary>
    public Experiment? Experiment { get; init; }

    /// <summary>Gets the cases of each dataset the runs evaluated, keyed by dataset id, in ordinal order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EvalCase>> Cases
    {
        get => _cases;
        init => _cases = value is null
            ? new Dictionary<string, IReadOnlyList<EvalCase>>(StringComparer.Ordinal)
            : new Dictionary<string, IReadOnlyList<EvalCase>>(value, StringComparer.Ordinal);
    }
}
