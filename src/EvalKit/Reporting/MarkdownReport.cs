using System.Globalization;
using System.Text;
using EvalKit.Comparisons;

namespace EvalKit.Reporting;

/// <summary>
/// Renders an <see cref="EvaluationReport"/> as a Markdown summary sized for a CI step summary (such as
/// <c>$GITHUB_STEP_SUMMARY</c>): the verdict, a leaderboard per dataset with intervals, the comparisons on the primary
/// metric with the flipped cases, A/B verdicts and the regression gate. Text from data is escaped so it cannot add
/// Markdown or HTML.
/// </summary>
public static class MarkdownReport
{
    /// <summary>Renders a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The Markdown text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var view = new ReportView(report);
        var md = new StringBuilder();
        md.Append("## ").AppendLine(Escape(report.Title)).AppendLine();
        md.AppendLine(I($"{report.Runs.Count} run(s), primary metric `{Code(report.PrimaryMetric)}`, a case passes at {report.PassThreshold} or more; generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC."));
        if (report.Description is not null)
        {
            md.AppendLine().AppendLine(Escape(report.Description));
        }

        if (report.Hypothesis is not null)
        {
            md.AppendLine().Append("**Hypothesis:** ").AppendLine(Escape(report.Hypothesis));
        }

        md.AppendLine().AppendLine("### Verdict").AppendLine();
        if (report.Gate is { } gate)
        {
            md.Append(gate.Passed ? "✅ **Regression gate passed**: " : "❌ **Regression gate failed**: ")
                .AppendLine(Escape(I($"{gate.CandidateModelId} vs baseline {gate.BaselineModelId} on {gate.Metric}: {ReportView.F4(gate.CandidateMean)} vs {ReportView.F4(gate.BaselineMean)} (difference {ReportView.Signed(gate.MeanDifference)}, one-sided p = {ReportView.P(gate.PValue)})")))
                .AppendLine();
            foreach (var check in gate.Checks)
            {
                md.Append("- ").Append(check.Passed ? "✅ " : "❌ ").Append(Escape(check.Name)).Append(": ").AppendLine(Escape(check.Detail));
            }

            md.AppendLine();
        }

        foreach (var comparison in report.Comparisons)
        {
            md.Append("- **").Append(Escape(comparison.DatasetId)).Append("**: ").AppendLine(Escape(comparison.Verdict));
        }

        foreach (var test in report.AbTests)
        {
            md.Append("- **A/B ").Append(Escape(test is AbTestResults ab ? ab.TestName : test.DatasetId)).Append("**: ").AppendLine(Escape(test.Verdict));
        }

        if (report.Gate is null && report.Comparisons.Count == 0 && report.AbTests.Count == 0)
        {
            md.AppendLine("- No comparison: fewer than two completed runs per dataset.");
        }

        foreach (var dataset in view.Datasets)
        {
            md.AppendLine().Append("### Leaderboard: ").AppendLine(Escape(dataset)).AppendLine();
            md.Append("| # | Run | ").Append(Escape(report.PrimaryMetric)).AppendLine(I($" | {ReportView.Level(report.Alpha)} CI | n | pass | p50 ms | p95 ms | cost | success |"));
            md.AppendLine("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|");
            var ranked = view.Ranked(dataset);
            for (var i = 0; i < ranked.Count; i++)
            {
                var run = ranked[i];
                var s = run.Summary;
                var metric = s.Metrics.GetValueOrDefault(report.PrimaryMetric);
                var (passed, cases) = view.PassCount(run);
                md.Append(I($"| {i + 1} | ")).Append(Escape(run.Label)).Append(" | ")
                    .Append(metric is { N: > 0 } ? ReportView.F4(metric.Mean) : "n/a").Append(" | ")
                    .Append(metric is { N: > 0 } ? ReportView.Interval(metric.ConfidenceInterval) : "n/a")
                    .Append(I($" | {metric?.N ?? 0} | {passed}/{cases} | {ReportView.Ms(s.Latency?.P50)} | {ReportView.Ms(s.Latency?.P95)} | "))
                    .Append(Escape(ReportView.Cost(s.TotalCost, ReportView.Currency(run)))).Append(" | ").Append(ReportView.Percent(s.SuccessRate)).AppendLine(" |");
            }
        }

        foreach (var comparison in report.Comparisons)
        {
            var primary = comparison.Primary;
            md.AppendLine().Append("### Comparisons on ").Append(Escape(primary.Metric)).Append(" (").Append(Escape(comparison.DatasetId)).AppendLine(")").AppendLine();
            md.AppendLine(I($"| A vs B | A − B | {ReportView.Level(primary.Alpha)} CI | test | p | p adj. ({ComparisonAnalyzer.Describe(primary.Correction)}) | significant | pass → fail | fail → pass |"));
            md.AppendLine("|---|---:|---|---|---:|---:|---|---:|---:|");
            for (var k = 0; k < primary.Pairs.Count; k++)
            {
                var p = primary.Pairs[k];
                var flips = comparison.Flips[k];
                md.Append("| ").Append(Escape(p.ModelA)).Append(" vs ").Append(Escape(p.ModelB))
                    .Append(I($" | {ReportView.Signed(p.MeanDifference)} | {ReportView.SignedInterval(p.ConfidenceInterval)} | {p.TestName} | {ReportView.P(p.PValue)} | {ReportView.P(p.AdjustedPValue)} | {(p.Significant ? "**yes**" : "no")} | {flips.PassToFail.Count} | {flips.FailToPass.Count} |"))
                    .AppendLine();
            }
        }

        if (report.Gate is { } g)
        {
            var fence = Fence(g.Report);
            md.AppendLine().AppendLine("### Regression gate").AppendLine().AppendLine("<details><summary>Gate report</summary>").AppendLine()
                .Append(fence).AppendLine("text").AppendLine(g.Report).AppendLine(fence).AppendLine().AppendLine("</details>");
        }

        return md.ToString();
    }

    /// <summary>Writes a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Receives the Markdown text (not closed).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(EvaluationReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(report));
    }

    /// <summary>
    /// Escapes text for a Markdown table cell or paragraph: Markdown punctuation gets a backslash, HTML's &lt;, &gt; and
    /// &amp; become entities, line breaks become spaces.
    /// </summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '#' or '!':
                    builder.Append('\\').Append(c);
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '\r' or '\n' or '\t':
                    builder.Append(' ');
                    break;
                case < ' ':
                    builder.Append('\uFFFD');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Text inside a code span: backticks and line breaks cannot close or break it.</summary>
    private static string Code(string text) => text.Replace('`', '\'').Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>A backtick fence longer than any run of backticks in the text.</summary>
    private static string Fence(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new string('`', Math.Max(3, longest + 1));
    }

    private static string I(FormattableString text) => FormattableString.Invariant(text);
}
