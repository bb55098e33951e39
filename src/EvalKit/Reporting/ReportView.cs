using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;

namespace EvalKit.Reporting;

/// <summary>What every renderer derives from a report: runs grouped by dataset and ranked, and per-case outcomes.</summary>
internal sealed class ReportView
{
    public ReportView(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
        Outcomes = report.Runs.Select(r => CaseOutcomes.Build(r.Results, report.PrimaryMetric)).ToList();
        Datasets = [.. report.Runs.Select(r => r.Run.DatasetId).Distinct(StringComparer.Ordinal)];
        Index = report.Runs.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
    }

    public EvaluationReport Report { get; }

    /// <summary>Gets the dataset ids, in the order their first run appears.</summary>
    public IReadOnlyList<string> Datasets { get; }

    /// <summary>Gets each run's per-case outcomes on the primary metric, in run order.</summary>
    public IReadOnlyList<SortedDictionary<long, CaseOutcomes.Outcome>> Outcomes { get; }

    private Dictionary<ReportRun, int> Index { get; }

    public int IndexOf(ReportRun run) => Index[run];

    /// <summary>The runs of a dataset, best primary mean first (runs without one last, then by label).</summary>
    public List<ReportRun> Ranked(string datasetId) =>
        [.. Report.Runs.Where(r => r.Run.DatasetId == datasetId)
            .OrderByDescending(r => Mean(r) is { } m && !double.IsNaN(m) ? m : double.NegativeInfinity)
            .ThenBy(r => r.Label, StringComparer.Ordinal)];

    /// <summary>The metrics of a dataset's runs: the primary metric first, then the others by name.</summary>
    public List<string> Metrics(string datasetId)
    {
        var names = Report.Runs.Where(r => r.Run.DatasetId == datasetId).SelectMany(r => r.Summary.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        var ordered = names.Where(n => n != Report.PrimaryMetric).Order(StringComparer.Ordinal).ToList();
        if (names.Contains(Report.PrimaryMetric))
        {
            ordered.Insert(0, Report.PrimaryMetric);
        }

        return ordered;
    }

    public IReadOnlyList<EvalCase> Cases(string datasetId) => Report.Cases.TryGetValue(datasetId, out var cases) ? cases : [];

    public double? Mean(ReportRun run) => run.Summary.Metrics.TryGetValue(Report.PrimaryMetric, out var m) && m.N > 0 ? m.Mean : null;

    /// <summary>The cases of a run that pass, and the cases with an outcome.</summary>
    public (int Passed, int Cases) PassCount(ReportRun run)
    {
        var outcomes = Outcomes[IndexOf(run)];
        return (outcomes.Values.Count(o => CaseOutcomes.Passes(o.Value, Report.PassThreshold)), outcomes.Count);
    }

    public static List<double> Latencies(ReportRun run) =>
        [.. run.Results.Where(r => r.Latency is not null && !r.Cached).Select(r => r.Latency!.Value.TotalMilliseconds).Order()];

    public static string Currency(ReportRun run) => run.Model?.Pricing?.Currency ?? "USD";

    public static string F4(double x) => double.IsNaN(x) ? "n/a" : double.IsInfinity(x) ? (x > 0 ? "inf" : "-inf") : x.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Signed(double x) => double.IsFinite(x) ? x.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture) : F4(x);

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static string Ms(TimeSpan? t) => t is { } v ? Ms(v.TotalMilliseconds) : "n/a";

    public static string Cost(decimal? cost, string currency) => cost is { } c ? c.ToString("0.######", CultureInfo.InvariantCulture) + " " + currency : "unknown";

    public static string Percent(double x) => double.IsNaN(x) ? "n/a" : (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string P(double p) => Comparisons.ComparisonAnalyzer.Format.P(p);

    public static string Interval(Statistics.Interval i) => double.IsFinite(i.Lower) && double.IsFinite(i.Upper) ? $"[{F4(i.Lower)}, {F4(i.Upper)}]" : "n/a";

    public static string SignedInterval(Statistics.Interval i) => double.IsFinite(i.Lower) && double.IsFinite(i.Upper) ? $"[{Signed(i.Lower)}, {Signed(i.Upper)}]" : "n/a";

    public static string Level(double alpha) => ((1 - alpha) * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A case's input as text: the plain text, or every chat turn as "role: text".</summary>
    public static string InputText(EvalCase c) =>
        c.Input.Text ?? string.Join("\n", (c.Input.Messages ?? []).Select(m => $"{m.Role}: {m.Text}"));
}
