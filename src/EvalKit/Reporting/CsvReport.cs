using System.Globalization;
using System.Text;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using nietras.SeparatedValues;

namespace EvalKit.Reporting;

/// <summary>
/// Writes the case results of an <see cref="EvaluationReport"/> as CSV, one row per (run, case, repetition), following
/// RFC 4180: comma separator, CRLF line ends, a header row, and fields with a comma, a quote or a line break quoted (quotes
/// doubled). Columns: see <see cref="Columns"/>; one <c>score.&lt;metric&gt;</c> column per metric of the runs.
/// </summary>
public static class CsvReport
{
    /// <summary>Gets the fixed columns, in order; the <c>score.&lt;metric&gt;</c> columns follow <c>passed</c>.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "run_id", "run_label", "model_id", "dataset_id", "benchmark_id", "case_ordinal", "case_id", "repetition", "group", "tags",
        "input", "references", "output", "passed",
        "latency_ms", "time_to_first_token_ms", "input_tokens", "output_tokens", "cost", "cached", "retry_count",
        "error_category", "error_message", "completed_at",
    ];

    /// <summary>Renders a report's results.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The CSV text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(EvaluationReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    /// <summary>Writes a report's results.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Receives the CSV text (not closed); its <see cref="TextWriter.NewLine"/> is set to CRLF.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(EvaluationReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        using var csv = new CsvResultWriter(writer, MetricsOf(report.Runs.Select(r => r.Run)), report.PrimaryMetric, report.PassThreshold);
        foreach (var run in report.Runs)
        {
            var cases = report.Cases.GetValueOrDefault(run.Run.DatasetId);
            foreach (var result in run.Results)
            {
                var c = cases is not null && result.CaseOrdinal < cases.Count ? cases[(int)result.CaseOrdinal] : null;
                csv.Write(run.Label, run.Run, c, result);
            }
        }
    }

    /// <summary>The metric columns of a set of runs: every scorer name and summary metric, the order of first appearance.</summary>
    internal static List<string> MetricsOf(IEnumerable<EvaluationRun> runs)
    {
        var metrics = new List<string>();
        foreach (var run in runs)
        {
            foreach (var name in run.Scorers.Concat(run.Summary?.Metrics.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()))
            {
                if (!metrics.Contains(name, StringComparer.Ordinal))
                {
                    metrics.Add(name);
                }
            }
        }

        return metrics;
    }
}

/// <summary>Writes result rows with Sep; shared by <see cref="CsvReport"/> and the streaming export.</summary>
internal sealed class CsvResultWriter : IDisposable
{
    private readonly SepWriter _writer;
    private readonly IReadOnlyList<string> _metrics;
    private readonly string _primary;
    private readonly double _threshold;

    public CsvResultWriter(TextWriter destination, IReadOnlyList<string> metrics, string primaryMetric, double passThreshold)
    {
        destination.NewLine = "\r\n";
        _metrics = metrics;
        _primary = primaryMetric;
        _threshold = passThreshold;
        _writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = true, CultureInfo = CultureInfo.InvariantCulture }).To(destination, leaveOpen: true);
        var header = new List<string>(CsvReport.Columns);
        header.InsertRange(header.IndexOf("passed") + 1, metrics.Select(m => "score." + m));
        _writer.Header.Add(header);

        // Written now, so that an export without results still has its header row.
        _writer.Header.Write();
    }

    public void Write(string label, EvaluationRun run, EvalCase? c, CaseResult r)
    {
        using var row = _writer.NewRow();
        row["run_id"].Set(run.Id);
        row["run_label"].Set(label);
        row["model_id"].Set(run.ModelId);
        row["dataset_id"].Set(run.DatasetId);
        row["benchmark_id"].Set(run.BenchmarkId ?? string.Empty);
        row["case_ordinal"].Set(Num(r.CaseOrdinal));
        row["case_id"].Set(r.CaseId);
        row["repetition"].Set(Num(r.Repetition));
        row["group"].Set(r.Group ?? c?.Group ?? string.Empty);
        row["tags"].Set(c is null ? string.Empty : string.Join("; ", c.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}")));
        row["input"].Set(c is null ? string.Empty : ReportView.InputText(c));
        row["references"].Set(c is null ? string.Empty : System.Text.Json.JsonSerializer.Serialize(c.References, ArchiveJsonContext.Default.IReadOnlyListString));
        row["output"].Set(r.Output ?? string.Empty);
        var primary = r.Succeeded ? r.GetScore(_primary)?.Value : null;
        row["passed"].Set(primary is { } p && double.IsFinite(p) ? (p >= _threshold ? "true" : "false") : string.Empty);
        foreach (var metric in _metrics)
        {
            row["score." + metric].Set(r.GetScore(metric)?.Value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty);
        }

        row["latency_ms"].Set(r.Latency is { } latency ? latency.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture) : string.Empty);
        row["time_to_first_token_ms"].Set(r.TimeToFirstToken is { } ttft ? ttft.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture) : string.Empty);
        row["input_tokens"].Set(r.InputTokens is { } input ? Num(input) : string.Empty);
        row["output_tokens"].Set(r.OutputTokens is { } output ? Num(output) : string.Empty);
        row["cost"].Set(r.Cost is { } cost ? cost.ToString(CultureInfo.InvariantCulture) : string.Empty);
        row["cached"].Set(r.Cached ? "true" : "false");
        row["retry_count"].Set(Num(r.RetryCount));
        row["error_category"].Set(r.Error?.Category.ToString() ?? string.Empty);
        row["error_message"].Set(r.Error?.Message ?? string.Empty);
        row["completed_at"].Set(r.CompletedAt.ToString("O", CultureInfo.InvariantCulture));
    }

    public void Dispose() => _writer.Dispose();

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
