using EvalKit.Comparisons;

namespace EvalKit.Experiments;

/// <summary>
/// The comparison of two or more stored runs on the same dataset: for each metric, every pair's mean difference with its
/// interval, the paired test chosen for the data, raw and adjusted p-values, effect size, and the latency and cost
/// differences (the analysis of <see cref="IAbTestService"/>, with run labels in place of model ids); and, on the primary
/// metric, the cases that flipped from pass to fail and back.
/// </summary>
public sealed record RunComparison
{
    private readonly IReadOnlyList<ComparedRun> _runs = [];
    private readonly IReadOnlyList<ComparisonResults> _metrics = [];
    private readonly IReadOnlyList<RunPairFlips> _flips = [];

    /// <summary>Gets the dataset the runs evaluated.</summary>
    public required string DatasetId { get; init; }

    /// <summary>Gets the runs, in the order they were given.</summary>
    public required IReadOnlyList<ComparedRun> Runs
    {
        get => _runs;
        init => _runs = value is null ? [] : [.. value];
    }

    /// <summary>Gets the primary metric.</summary>
    public required string PrimaryMetric { get; init; }

    /// <summary>Gets the significance level.</summary>
    public double Alpha { get; init; }

    /// <summary>Gets the multiplicity correction (over the pairs of each metric).</summary>
    public PValueCorrection Correction { get; init; }

    /// <summary>Gets the pass threshold used for the flipped cases.</summary>
    public double PassThreshold { get; init; }

    /// <summary>Gets the comparison of each metric, the primary metric first; each uses the run labels as model ids.</summary>
    public required IReadOnlyList<ComparisonResults> Metrics
    {
        get => _metrics;
        init => _metrics = value is null ? [] : [.. value];
    }

    /// <summary>Gets the flipped cases of every pair (i &lt; j in run order) on the primary metric.</summary>
    public required IReadOnlyList<RunPairFlips> Flips
    {
        get => _flips;
        init => _flips = value is null ? [] : [.. value];
    }

    /// <summary>Gets the comparison of the primary metric.</summary>
    public ComparisonResults Primary => Metrics.First(m => m.Metric == PrimaryMetric);

    /// <summary>Gets the verdict on the primary metric, in words.</summary>
    public string Verdict => Primary.Verdict;

    /// <summary>Renders the comparison as text: each metric's tables and verdict, then the flipped cases.</summary>
    /// <returns>The report.</returns>
    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Comparison of {Runs.Count} runs on dataset '{DatasetId}': ");
        text.AppendLine(string.Join(", ", Runs.Select(r => $"{r.Label} ({r.RunId})")));
        text.AppendLine();
        foreach (var metric in Metrics)
        {
            text.AppendLine(metric.ToText());
        }

        foreach (var pair in Flips)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{pair.LabelA} -> {pair.LabelB} on '{PrimaryMetric}': ");
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{pair.PassToFail.Count} pass -> fail, {pair.FailToPass.Count} fail -> pass");
            AppendCases(text, "pass -> fail", pair.PassToFail);
            AppendCases(text, "fail -> pass", pair.FailToPass);
        }

        return text.ToString();
    }

    private static void AppendCases(System.Text.StringBuilder text, string title, IReadOnlyList<FlippedCase> cases)
    {
        const int Shown = 20;
        if (cases.Count == 0)
        {
            return;
        }

        text.Append("  ").Append(title).Append(": ").Append(string.Join(", ", cases.Take(Shown).Select(c => c.CaseId)));
        text.AppendLine(cases.Count > Shown ? System.FormattableString.Invariant($" (and {cases.Count - Shown} more)") : string.Empty);
    }
}
