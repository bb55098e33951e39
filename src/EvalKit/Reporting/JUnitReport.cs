using System.Globalization;
using System.Text;
using System.Xml;
using EvalKit.Evaluation;
using EvalKit.Experiments;

namespace EvalKit.Reporting;

/// <summary>
/// Renders an <see cref="EvaluationReport"/> as JUnit XML, the format CI systems read test results from: one
/// <c>testsuite</c> per run and one <c>testcase</c> per eval case (repetitions together). A case whose primary metric is
/// below the pass threshold is a <c>failure</c> (type <c>incorrect</c>); a case whose every call failed, or whose score
/// could not be computed, is an <c>error</c>. Characters XML cannot hold become U+FFFD.
/// </summary>
public static class JUnitReport
{
    /// <summary>Renders a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The XML document (its declaration says UTF-8, the encoding to save it in).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(EvaluationReport report)
    {
        using var buffer = new MemoryStream();
        Write(report, buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Receives the XML document (not closed).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(EvaluationReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(report));
    }

    /// <summary>Writes a report as UTF-8 (without a byte-order mark).</summary>
    /// <param name="report">The report.</param>
    /// <param name="destination">Receives the XML document (not closed).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(EvaluationReport report, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(destination);
        var view = new ReportView(report);
        var suites = report.Runs.Select((run, i) => Suite(view, run, i)).ToList();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false, NewLineChars = "\n" };
        using var xml = XmlWriter.Create(destination, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", Clean(report.Title));
        xml.WriteAttributeString("tests", Int(suites.Sum(s => s.Cases.Count)));
        xml.WriteAttributeString("failures", Int(suites.Sum(s => s.Cases.Count(c => c.Kind == Kind.Failure))));
        xml.WriteAttributeString("errors", Int(suites.Sum(s => s.Cases.Count(c => c.Kind == Kind.Error))));
        xml.WriteAttributeString("skipped", "0");
        xml.WriteAttributeString("time", Seconds(suites.Sum(s => s.Seconds)));
        foreach (var suite in suites)
        {
            var run = suite.Run;
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Clean(run.Label));
            xml.WriteAttributeString("tests", Int(suite.Cases.Count));
            xml.WriteAttributeString("failures", Int(suite.Cases.Count(c => c.Kind == Kind.Failure)));
            xml.WriteAttributeString("errors", Int(suite.Cases.Count(c => c.Kind == Kind.Error)));
            xml.WriteAttributeString("skipped", "0");
            xml.WriteAttributeString("time", Seconds(suite.Seconds));
            xml.WriteAttributeString("timestamp", (run.Run.StartedAt ?? run.Run.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", "evalkit");
            xml.WriteAttributeString("id", Int(suite.Index));
            xml.WriteAttributeString("package", Clean(run.Run.BenchmarkId ?? run.Run.DatasetId));
            xml.WriteStartElement("properties");
            Property(xml, "evalkit.run_id", run.Run.Id);
            Property(xml, "evalkit.model_id", run.Run.ModelId);
            Property(xml, "evalkit.dataset_id", run.Run.DatasetId);
            if (run.Run.BenchmarkId is not null)
            {
                Property(xml, "evalkit.benchmark_id", run.Run.BenchmarkId);
            }

            Property(xml, "evalkit.status", run.Run.Status.ToString());
            Property(xml, "evalkit.primary_metric", report.PrimaryMetric);
            Property(xml, "evalkit.pass_threshold", report.PassThreshold.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, metric) in run.Summary.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                Property(xml, $"evalkit.metric.{name}.mean", ReportView.F4(metric.Mean));
                Property(xml, $"evalkit.metric.{name}.ci", ReportView.Interval(metric.ConfidenceInterval));
            }

            xml.WriteEndElement();
            foreach (var c in suite.Cases)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", Clean(c.CaseId));
                xml.WriteAttributeString("classname", Clean(run.Label));
                xml.WriteAttributeString("time", Seconds(c.Seconds));
                if (c.Kind != Kind.Pass)
                {
                    xml.WriteStartElement(c.Kind == Kind.Failure ? "failure" : "error");
                    xml.WriteAttributeString("message", Clean(c.Message));
                    xml.WriteAttributeString("type", Clean(c.Type));
                    xml.WriteString(Clean(c.Detail));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteElementString("system-out", Clean(SuiteSummary(report, run)));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    /// <summary>Keeps the characters XML 1.0 allows (tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and surrogate pairs); others become U+FFFD.</summary>
    internal static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is '\t' or '\n' or '\r' || (c >= ' ' && c < '\uD800') || (c >= '\uE000' && c <= '\uFFFD');
            if (!ok && char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (ok)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(text.Length).Append(text, 0, i);
            builder.Append('\uFFFD');
        }

        return builder?.ToString() ?? text;
    }

    private static SuiteData Suite(ReportView view, ReportRun run, int index)
    {
        var report = view.Report;
        var references = view.Cases(run.Run.DatasetId);
        var outcomes = view.Outcomes[view.IndexOf(run)];
        var cases = new List<CaseData>();
        foreach (var group in run.Results.GroupBy(r => r.CaseOrdinal).OrderBy(g => g.Key))
        {
            var results = group.ToList();
            var outcome = outcomes[group.Key];
            var seconds = results.Sum(r => r.Latency?.TotalSeconds ?? 0);
            var expected = group.Key < references.Count ? references[(int)group.Key].References : [];
            var detail = new StringBuilder();
            if (expected.Count > 0)
            {
                detail.Append("expected: ").AppendJoin(" | ", expected).Append('\n');
            }

            foreach (var r in results)
            {
                detail.Append(I($"repetition {r.Repetition}: "));
                if (r.Error is { } e)
                {
                    detail.Append(I($"{e.Category}: {e.Message}"));
                }
                else
                {
                    detail.Append("answer: ").Append(r.Output).Append("; scores: ")
                        .AppendJoin(", ", r.Scores.Select(s => $"{s.Name}={(s.Value is { } v ? ReportView.F4(v) : "error: " + s.Error)}"));
                }

                detail.Append('\n');
            }

            CaseData data;
            if (outcome.Errored)
            {
                var error = results.First(r => r.Error is not null).Error!;
                data = new CaseData(outcome.CaseId, Kind.Error, error.Category.ToString(), $"every call failed: {error.Category}: {error.Message}", detail.ToString(), seconds);
            }
            else if (outcome.Value is null)
            {
                var scoreError = results.SelectMany(r => r.Scores).FirstOrDefault(s => s.Name == report.PrimaryMetric)?.Error ?? "no score";
                data = new CaseData(outcome.CaseId, Kind.Error, "scorer", $"{report.PrimaryMetric} could not be computed: {scoreError}", detail.ToString(), seconds);
            }
            else if (!CaseOutcomes.Passes(outcome.Value, report.PassThreshold))
            {
                data = new CaseData(outcome.CaseId, Kind.Failure, "incorrect", I($"{report.PrimaryMetric} = {ReportView.F4(outcome.Value.Value)} < {report.PassThreshold}"), detail.ToString(), seconds);
            }
            else
            {
                data = new CaseData(outcome.CaseId, Kind.Pass, string.Empty, string.Empty, string.Empty, seconds);
            }

            cases.Add(data);
        }

        return new SuiteData(run, index, cases, run.Summary.Duration?.TotalSeconds ?? cases.Sum(c => c.Seconds));
    }

    private static string SuiteSummary(EvaluationReport report, ReportRun run)
    {
        var s = run.Summary;
        var text = new StringBuilder();
        text.AppendLine(I($"run {run.Run.Id}: model {run.Run.ModelId}, dataset {run.Run.DatasetId}, {s.Total} results, {s.Failed} failed calls, {s.Retries} retries"));
        foreach (var (name, metric) in s.Metrics.OrderBy(m => m.Key == report.PrimaryMetric ? 0 : 1).ThenBy(m => m.Key, StringComparer.Ordinal))
        {
            text.AppendLine(I($"{name}: mean {ReportView.F4(metric.Mean)}, interval {ReportView.Interval(metric.ConfidenceInterval)}, n = {metric.N}"));
        }

        if (s.Latency is { } latency)
        {
            text.AppendLine(I($"latency ms: p50 {ReportView.Ms(latency.P50)}, p95 {ReportView.Ms(latency.P95)}, p99 {ReportView.Ms(latency.P99)}"));
        }

        text.AppendLine("cost: " + ReportView.Cost(s.TotalCost, ReportView.Currency(run)));
        return text.ToString();
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", Clean(name));
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string I(FormattableString text) => FormattableString.Invariant(text);

    private enum Kind
    {
        Pass,
        Failure,
        Error,
    }

    private sealed record CaseData(string CaseId, Kind Kind, string Type, string Message, string Detail, double Seconds);

    private sealed record SuiteData(ReportRun Run, int Index, List<CaseData> Cases, double Seconds);
}
