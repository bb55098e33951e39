using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;

namespace EvalKit.Reporting;

/// <summary>
/// Renders an <see cref="EvaluationReport"/> as one self-contained HTML file: no network access, no script (a content
/// security policy forbids both), charts as inline SVG, and a per-case drill-down filtered by group, tag and outcome with
/// CSS alone. Every string that comes from data (case texts, answers, labels, metric names) is HTML-encoded.
/// </summary>
public static class HtmlReport
{
    private const string Css = """
        :root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#ffffff;--soft:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--err:#9a6700;--accent:#0072B2}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
        header,main,footer,nav.toc{max-width:1100px;margin:0 auto;padding:0 20px}
        header{padding-top:24px}
        h1{font-size:26px;margin:0 0 6px}
        h2{font-size:20px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
        h3{font-size:16px;margin:18px 0 8px}
        h4{font-size:13px;margin:10px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .meta,.note,footer{color:var(--muted)}
        footer{padding:24px 20px 40px}
        nav.toc{display:flex;flex-wrap:wrap;gap:14px;padding-top:8px;padding-bottom:8px;border-bottom:1px solid var(--line)}
        a{color:var(--accent)}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
        pre{white-space:pre-wrap;word-break:break-word;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0}
        table{border-collapse:collapse;width:100%;margin:8px 0 12px;font-variant-numeric:tabular-nums}
        th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
        th{background:var(--soft);font-weight:600}
        td.num,th.num{text-align:right;white-space:nowrap}
        small{color:var(--muted);font-size:11.5px}
        table.answers td:nth-child(3){width:42%}
        .scroll{overflow-x:auto}
        .verdict{border-left:5px solid var(--accent);background:var(--soft);padding:10px 14px;margin:10px 0;border-radius:0 6px 6px 0}
        .verdict.pass{border-color:var(--pass)}
        .verdict.fail{border-color:var(--fail)}
        .tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;margin:0 4px 2px 0;font-size:12px;color:var(--muted)}
        .yes{color:var(--pass);font-weight:600}
        .no{color:var(--muted)}
        figure{margin:10px 0 18px}
        figcaption{font-weight:600;margin-bottom:4px}
        svg.chart{max-width:100%;height:auto;font:12px system-ui,sans-serif}
        svg .row-label,svg .value,svg .tick,svg .axis-title,svg .point-label{fill:var(--fg)}
        svg .tick,svg .axis-title{fill:var(--muted)}
        svg .grid{stroke:#eaeef2;stroke-width:1}
        svg .axis{stroke:var(--muted);stroke-width:1}
        svg .zero{stroke:var(--fg);stroke-width:1.2;stroke-dasharray:4 3}
        svg .error-bar line,svg line.error-bar{stroke:var(--fg);stroke-width:1.6}
        svg .whisker{stroke:var(--muted);stroke-width:1.4}
        svg .median{stroke-width:2.5}
        svg .pareto{fill:none;stroke:var(--fail);stroke-width:1.6;stroke-dasharray:6 4}
        svg .diff line{stroke:var(--muted);stroke-width:2}
        svg .diff rect{fill:#ffffff;stroke:var(--muted);stroke-width:2}
        svg .diff.significant line{stroke:var(--accent)}
        svg .diff.significant rect{fill:var(--accent);stroke:var(--accent)}
        .filter-radio{position:absolute;opacity:0;width:1px;height:1px;overflow:hidden}
        .filters{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 12px}
        .filters label{border:1px solid var(--line);border-radius:14px;padding:2px 10px;cursor:pointer;background:var(--bg)}
        .filter-radio:focus-visible~.filters{outline:2px solid var(--accent);outline-offset:4px}
        details.case{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:var(--bg)}
        details.case>summary{cursor:pointer;padding:6px 10px;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
        details.case[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
        .case-body{padding:6px 12px 10px}
        .cid{font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace}
        .badge{display:inline-block;min-width:22px;text-align:center;border-radius:4px;padding:0 5px;font-weight:700;color:#ffffff;font-size:12px}
        .badge.pass{background:var(--pass)}
        .badge.fail{background:var(--fail)}
        .badge.error{background:var(--err)}
        .badge.none{background:var(--muted)}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
        @media print{details.case{break-inside:avoid}}
        """;

    /// <summary>Renders a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The HTML document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(EvaluationReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    /// <summary>Writes a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Receives the HTML document (not closed).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(EvaluationReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var view = new ReportView(report);
        var filterCss = new StringBuilder();
        for (var i = 0; i < report.Runs.Count; i++)
        {
            filterCss.Append(I($".swatch.c{i}{{background:{SvgCharts.Color(i)}}}"));
        }

        filterCss.Append('\n');
        var body = new StringBuilder();
        Header(body, view);
        Overview(body, view);
        MetricCharts(body, view);
        LatencyCharts(body, view);
        CostQuality(body, view);
        ComparisonsSection(body, view);
        AbTests(body, view);
        Gate(body, view);
        Cases(body, view, filterCss);
        body.Append("<footer>EvalKit report. Self-contained: no network access and no script; filters work with CSS alone. Intervals: ")
            .Append(Html.Encode(ReportView.Level(report.Alpha))).Append(" for differences; each run's intervals are those of its summary.</footer>\n");

        var css = Css + "\n" + filterCss;
        var styleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
        writer.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        writer.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-");
        writer.Write(styleHash);
        writer.Write("'; img-src data:; base-uri 'none'; form-action 'none'\">\n<meta name=\"generator\" content=\"EvalKit\">\n<title>");
        writer.Write(Html.Encode(report.Title));
        writer.Write("</title>\n<style>");
        writer.Write(css);
        writer.Write("</style>\n</head>\n<body>\n");
        writer.Write(body.ToString());
        writer.Write("</body>\n</html>\n");
    }

    private static string E(string? text) => Html.Encode(text);

    private static string I(FormattableString text) => FormattableString.Invariant(text);

    private static void Header(StringBuilder html, ReportView view)
    {
        var r = view.Report;
        html.Append("<header>\n<h1>").Append(E(r.Title)).Append("</h1>\n");
        html.Append("<p class=\"meta\">Generated ").Append(E(r.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append(I($" · {r.Runs.Count} run{(r.Runs.Count == 1 ? string.Empty : "s")} · {view.Datasets.Count} dataset{(view.Datasets.Count == 1 ? string.Empty : "s")} · primary metric <code>"))
            .Append(E(r.PrimaryMetric)).Append("</code> · a case passes when its value is at least ").Append(E(r.PassThreshold.ToString(CultureInfo.InvariantCulture))).Append("</p>\n");
        if (r.Description is not null)
        {
            html.Append("<p>").Append(E(r.Description)).Append("</p>\n");
        }

        if (r.Hypothesis is not null)
        {
            html.Append("<p><strong>Hypothesis:</strong> ").Append(E(r.Hypothesis)).Append("</p>\n");
        }

        html.Append("</header>\n<nav class=\"toc\"><a href=\"#overview\">Overview</a><a href=\"#metrics\">Metrics</a><a href=\"#latency\">Latency</a><a href=\"#cost\">Cost and quality</a>");
        if (r.Comparisons.Count > 0)
        {
            html.Append("<a href=\"#comparisons\">Comparisons</a>");
        }

        if (r.AbTests.Count > 0)
        {
            html.Append("<a href=\"#ab-tests\">A/B tests</a>");
        }

        if (r.Gate is not null)
        {
            html.Append("<a href=\"#gate\">Regression gate</a>");
        }

        html.Append("<a href=\"#cases\">Cases</a></nav>\n<main>\n");
    }

    private static void Overview(StringBuilder html, ReportView view)
    {
        var r = view.Report;
        html.Append("<section id=\"overview\">\n<h2>Overview</h2>\n");
        if (r.Gate is { } gate)
        {
            html.Append("<div class=\"verdict ").Append(gate.Passed ? "pass" : "fail").Append("\"><strong>Regression gate ").Append(gate.Passed ? "passed" : "failed").Append(":</strong> ")
                .Append(E(GateSentence(gate))).Append("</div>\n");
        }

        foreach (var comparison in r.Comparisons)
        {
            html.Append("<div class=\"verdict\"><strong>").Append(E(comparison.DatasetId)).Append(":</strong> ").Append(E(comparison.Verdict)).Append("</div>\n");
        }

        foreach (var dataset in view.Datasets)
        {
            var ranked = view.Ranked(dataset);
            var metrics = view.Metrics(dataset);
            html.Append("<h3>Leaderboard: ").Append(E(dataset)).Append("</h3>\n<div class=\"scroll\"><table class=\"leaderboard\">\n<thead><tr><th class=\"num\">#</th><th>Run</th>");
            foreach (var metric in metrics)
            {
                html.Append("<th class=\"num\">").Append(E(metric)).Append("<br><small>mean [interval]</small></th>");
            }

            html.Append("<th class=\"num\">n</th><th class=\"num\">pass</th><th class=\"num\">latency ms<br><small>p50 / p95</small></th><th class=\"num\">cost<br><small>total / per case</small></th><th class=\"num\">success<br><small>retries</small></th></tr></thead>\n<tbody>\n");
            for (var i = 0; i < ranked.Count; i++)
            {
                var run = ranked[i];
                var s = run.Summary;
                var (passed, cases) = view.PassCount(run);
                html.Append(I($"<tr><td class=\"num\">{i + 1}</td><td><span class=\"swatch c{view.IndexOf(run)}\"></span><strong>")).Append(E(run.Label))
                    .Append("</strong><br><small>").Append(E(run.Model?.DisplayName is { } display && display != run.Label ? display + " · " : string.Empty)).Append("run <code>").Append(E(run.Run.Id)).Append("</code>")
                    .Append(run.Run.Status == RunStatus.Completed ? string.Empty : " · " + E(run.Run.Status.ToString())).Append("</small></td>");
                foreach (var metric in metrics)
                {
                    if (s.Metrics.TryGetValue(metric, out var m) && m.N > 0)
                    {
                        html.Append("<td class=\"num\"><strong>").Append(E(ReportView.F4(m.Mean))).Append("</strong><br><small>").Append(E(ReportView.Interval(m.ConfidenceInterval))).Append("</small></td>");
                    }
                    else
                    {
                        html.Append("<td class=\"num\">n/a</td>");
                    }
                }

                var n = s.Metrics.TryGetValue(r.PrimaryMetric, out var primary) ? primary.N : 0;
                html.Append(I($"<td class=\"num\">{n}</td><td class=\"num\">{passed}/{cases}</td><td class=\"num\">"))
                    .Append(E(ReportView.Ms(s.Latency?.P50))).Append(" / ").Append(E(ReportView.Ms(s.Latency?.P95))).Append("</td><td class=\"num\">")
                    .Append(E(ReportView.Cost(s.TotalCost, ReportView.Currency(run)))).Append(s.UnknownCostCount > 0 && s.TotalCost is not null ? " + unknown" : string.Empty).Append("<br><small>")
                    .Append(E(ReportView.Cost(s.CostPerRequest, ReportView.Currency(run)))).Append("</small></td><td class=\"num\">").Append(E(ReportView.Percent(s.SuccessRate)))
                    .Append(I($"<br><small>{s.Retries} retries</small></td></tr>\n"));
            }

            html.Append("</tbody></table></div>\n");
        }

        html.Append("<p class=\"note\">Means are over cases (repetitions averaged first); intervals are each run's confidence intervals (clustered by case group when cases have groups). Pass: cases whose ")
            .Append(E(r.PrimaryMetric)).Append(" reaches the threshold. Latency covers measured calls, not cached answers. Unknown costs are shown as unknown, never 0.</p>\n</section>\n");
    }

    private static void MetricCharts(StringBuilder html, ReportView view)
    {
        html.Append("<section id=\"metrics\">\n<h2>Metrics</h2>\n");
        var chart = 0;
        foreach (var dataset in view.Datasets)
        {
            foreach (var metric in view.Metrics(dataset))
            {
                var rows = view.Ranked(dataset)
                    .Select(run => run.Summary.Metrics.TryGetValue(metric, out var m) && m.N > 0
                        ? new SvgCharts.BarRow(run.Label, m.Mean, m.ConfidenceInterval.Lower, m.ConfidenceInterval.Upper, m.N, view.IndexOf(run))
                        : new SvgCharts.BarRow(run.Label, double.NaN, double.NaN, double.NaN, 0, view.IndexOf(run)))
                    .ToList();
                var title = $"{metric} on {dataset}: mean per run with its confidence interval";
                html.Append("<figure><figcaption>").Append(E(metric)).Append(" <span class=\"meta\">(").Append(E(dataset)).Append(")</span></figcaption>\n")
                    .Append(SvgCharts.Bars(I($"metric-chart-{chart++}"), title, rows)).Append("\n</figure>\n");
            }
        }

        html.Append("</section>\n");
    }

    private static void LatencyCharts(StringBuilder html, ReportView view)
    {
        html.Append("<section id=\"latency\">\n<h2>Latency</h2>\n");
        var chart = 0;
        foreach (var dataset in view.Datasets)
        {
            var rows = view.Ranked(dataset).Select(run => new SvgCharts.LatencyRow(run.Label, ReportView.Latencies(run), view.IndexOf(run))).ToList();
            html.Append("<figure><figcaption>Latency distribution <span class=\"meta\">(").Append(E(dataset)).Append(")</span></figcaption>\n")
                .Append(SvgCharts.Latency(I($"latency-chart-{chart++}"), $"Latency of the model calls on {dataset}: box from p25 to p75, median line, whiskers p5 to p95, dot at p99", rows))
                .Append("\n</figure>\n");
        }

        html.Append("<p class=\"note\">Last attempt of each call, in milliseconds; cached answers are left out.</p>\n</section>\n");
    }

    private static void CostQuality(StringBuilder html, ReportView view)
    {
        var r = view.Report;
        html.Append("<section id=\"cost\">\n<h2>Cost and quality</h2>\n");
        var chart = 0;
        foreach (var dataset in view.Datasets)
        {
            var runs = view.Ranked(dataset);
            var points = new List<SvgCharts.ScatterPoint>();
            foreach (var run in runs)
            {
                if (run.Summary.CostPerRequest is { } cost && run.Summary.Metrics.TryGetValue(r.PrimaryMetric, out var m) && m.N > 0)
                {
                    points.Add(new SvgCharts.ScatterPoint(run.Label, (double)cost, m.Mean, m.ConfidenceInterval.Lower, m.ConfidenceInterval.Upper, view.IndexOf(run)));
                }
            }

            var currencies = runs.Select(ReportView.Currency).Distinct(StringComparer.Ordinal).ToList();
            html.Append("<h3>").Append(E(dataset)).Append("</h3>\n");
            if (points.Count == 0)
            {
                html.Append("<p class=\"note\">No run of this dataset has a known cost (no pricing in the registry, or no token usage reported).</p>\n");
                continue;
            }

            if (currencies.Count > 1)
            {
                html.Append("<p class=\"note\">The runs are priced in different currencies (").Append(E(string.Join(", ", currencies))).Append("); costs are plotted as they are.</p>\n");
            }

            var front = SvgCharts.ParetoFront(points);
            html.Append("<figure><figcaption>").Append(E(r.PrimaryMetric)).Append(" against cost per case</figcaption>\n")
                .Append(SvgCharts.CostQuality(I($"cost-quality-chart-{chart++}"), $"{r.PrimaryMetric} against the mean cost per case on {dataset}, with the Pareto front", r.PrimaryMetric, currencies[0], points))
                .Append("\n</figure>\n<p>Pareto front (no other run is both cheaper and better): ")
                .Append(E(string.Join(", ", front.Select(i => points[i].Label)))).Append(".</p>\n");
        }

        html.Append("</section>\n");
    }

    private static void ComparisonsSection(StringBuilder html, ReportView view)
    {
        var r = view.Report;
        if (r.Comparisons.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"comparisons\">\n<h2>Comparisons</h2>\n");
        var chart = 0;
        foreach (var comparison in r.Comparisons)
        {
            html.Append("<h3>").Append(E(comparison.DatasetId)).Append("</h3>\n<div class=\"verdict\">").Append(E(comparison.Verdict)).Append("</div>\n");
            foreach (var metric in comparison.Metrics)
            {
                var rows = metric.Pairs.Select(p => new SvgCharts.ForestRow($"{p.ModelA} − {p.ModelB}", p.MeanDifference, p.ConfidenceInterval.Lower, p.ConfidenceInterval.Upper, p.AdjustedPValue, p.Significant)).ToList();
                html.Append("<figure><figcaption>").Append(E(metric.Metric)).Append(": differences between runs</figcaption>\n")
                    .Append(SvgCharts.Forest(I($"comparison-chart-{chart++}"), $"Differences A − B on {metric.Metric} with {ReportView.Level(metric.Alpha)} intervals; filled squares are significant after {ComparisonAnalyzer.Describe(metric.Correction)} correction", rows))
                    .Append("\n</figure>\n");
                PairTable(html, metric);
            }

            html.Append("<h4>Cases that flipped on ").Append(E(comparison.PrimaryMetric)).Append("</h4>\n<table><thead><tr><th>A → B</th><th class=\"num\">pass → fail</th><th class=\"num\">fail → pass</th><th>cases</th></tr></thead><tbody>\n");
            foreach (var flips in comparison.Flips)
            {
                html.Append("<tr><td>").Append(E(flips.LabelA)).Append(" → ").Append(E(flips.LabelB)).Append(I($"</td><td class=\"num\">{flips.PassToFail.Count}</td><td class=\"num\">{flips.FailToPass.Count}</td><td>"))
                    .Append(E(FlipList(flips))).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("</section>\n");
    }

    private static string FlipList(RunPairFlips flips)
    {
        const int Shown = 12;
        var parts = new List<string>();
        if (flips.PassToFail.Count > 0)
        {
            parts.Add("↓ " + string.Join(", ", flips.PassToFail.Take(Shown).Select(c => c.CaseId)) + (flips.PassToFail.Count > Shown ? " …" : string.Empty));
        }

        if (flips.FailToPass.Count > 0)
        {
            parts.Add("↑ " + string.Join(", ", flips.FailToPass.Take(Shown).Select(c => c.CaseId)) + (flips.FailToPass.Count > Shown ? " …" : string.Empty));
        }

        return string.Join("; ", parts);
    }

    private static void PairTable(StringBuilder html, ComparisonResults results)
    {
        html.Append("<div class=\"scroll\"><table class=\"pairs\"><thead><tr><th>A vs B</th><th class=\"num\">A − B</th><th class=\"num\">")
            .Append(E(ReportView.Level(results.Alpha))).Append(" CI</th><th>test</th><th class=\"num\">p</th><th class=\"num\">p adj. (")
            .Append(E(ComparisonAnalyzer.Describe(results.Correction))).Append(")</th><th class=\"num\">effect</th><th class=\"num\">n</th><th>significant</th><th class=\"num\">latency A − B (ms)</th><th class=\"num\">cost A − B</th></tr></thead><tbody>\n");
        foreach (var p in results.Pairs)
        {
            html.Append("<tr><td>").Append(E(p.ModelA)).Append(" vs ").Append(E(p.ModelB)).Append("</td><td class=\"num\">").Append(E(ReportView.Signed(p.MeanDifference)))
                .Append("</td><td class=\"num\">").Append(E(ReportView.SignedInterval(p.ConfidenceInterval))).Append("</td><td>").Append(E(p.TestName))
                .Append("</td><td class=\"num\">").Append(E(ReportView.P(p.PValue))).Append("</td><td class=\"num\">").Append(E(ReportView.P(p.AdjustedPValue)))
                .Append("</td><td class=\"num\">").Append(E(ReportView.F4(p.EffectSize))).Append(" <span class=\"meta\">").Append(E(p.EffectSizeName)).Append("</span>")
                .Append(I($"</td><td class=\"num\">{p.CountA}</td><td>")).Append(p.Significant ? "<span class=\"yes\">yes</span>" : "<span class=\"no\">no</span>")
                .Append("</td><td class=\"num\">").Append(E(Secondary(p.Latency))).Append("</td><td class=\"num\">").Append(E(Secondary(p.Cost))).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n");
    }

    private static string Secondary(MetricDifference? d) =>
        d is null ? "n/a" : I($"{(d.Name == "cost" ? d.MeanDifference.ToString("+0.######;-0.######;0", CultureInfo.InvariantCulture) : d.MeanDifference.ToString("+0.0;-0.0;0", CultureInfo.InvariantCulture))} (p = {ReportView.P(d.PValue)})");

    private static void AbTests(StringBuilder html, ReportView view)
    {
        var r = view.Report;
        if (r.AbTests.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"ab-tests\">\n<h2>A/B tests</h2>\n");
        foreach (var test in r.AbTests)
        {
            var name = test is AbTestResults ab ? $"{ab.TestName} ({ab.TestId})" : $"Comparison on {test.DatasetId}";
            html.Append("<h3>").Append(E(name)).Append("</h3>\n<div class=\"verdict").Append(test.Winner is null ? string.Empty : " pass").Append("\"><strong>Verdict:</strong> ")
                .Append(E(test.Verdict)).Append("</div>\n<p class=\"meta\">Metric <code>").Append(E(test.Metric)).Append("</code>, ")
                .Append(test.Design == AbTestDesign.Paired ? "paired" : "unpaired").Append(" design, alpha ").Append(E(test.Alpha.ToString(CultureInfo.InvariantCulture))).Append(".</p>\n");
            html.Append("<table><thead><tr><th>Model</th><th class=\"num\">mean</th><th class=\"num\">interval</th><th class=\"num\">n</th><th class=\"num\">missing</th></tr></thead><tbody>\n");
            foreach (var m in test.Models)
            {
                html.Append("<tr><td>").Append(E(m.ModelId)).Append("</td><td class=\"num\">").Append(E(ReportView.F4(m.Mean))).Append("</td><td class=\"num\">")
                    .Append(E(ReportView.Interval(m.ConfidenceInterval))).Append(I($"</td><td class=\"num\">{m.N}</td><td class=\"num\">{m.MissingCases}</td></tr>\n"));
            }

            html.Append("</tbody></table>\n");
            PairTable(html, test);
        }

        html.Append("</section>\n");
    }

    private static void Gate(StringBuilder html, ReportView view)
    {
        if (view.Report.Gate is not { } gate)
        {
            return;
        }

        html.Append("<section id=\"gate\">\n<h2>Regression gate</h2>\n<div class=\"verdict ").Append(gate.Passed ? "pass" : "fail").Append("\"><strong>")
            .Append(gate.Passed ? "Passed" : "Failed").Append(".</strong> ").Append(E(GateSentence(gate))).Append("</div>\n<table><thead><tr><th>check</th><th>outcome</th><th>detail</th></tr></thead><tbody>\n");
        foreach (var check in gate.Checks)
        {
            html.Append("<tr><td>").Append(E(check.Name)).Append("</td><td>").Append(check.Passed ? "<span class=\"yes\">pass</span>" : "<strong class=\"no\">FAIL</strong>")
                .Append("</td><td>").Append(E(check.Detail)).Append("</td></tr>\n");
        }

        html.Append("</tbody></table>\n<pre>").Append(E(gate.Report)).Append("</pre>\n</section>\n");
    }

    private static string GateSentence(RegressionGateResult gate) =>
        I($"candidate {gate.CandidateModelId} ({gate.CandidateRunId}) against baseline {gate.BaselineModelId} ({gate.BaselineRunId}) on '{gate.Metric}': ")
        + I($"mean {ReportView.F4(gate.CandidateMean)} vs {ReportView.F4(gate.BaselineMean)}, difference {ReportView.Signed(gate.MeanDifference)}, one-sided p = {ReportView.P(gate.PValue)}")
        + (gate.Passed ? "." : "; failed: " + string.Join(", ", gate.Checks.Where(c => !c.Passed).Select(c => c.Name)) + ".");

    private static void Cases(StringBuilder html, ReportView view, StringBuilder css)
    {
        var r = view.Report;
        html.Append("<section id=\"cases\">\n<h2>Cases</h2>\n<p class=\"note\">Each case shows every run's answers and scores. Badges: <span class=\"badge pass\">✓</span> passes, <span class=\"badge fail\">✗</span> fails, <span class=\"badge error\">!</span> every call failed, <span class=\"badge none\">–</span> not evaluated.</p>\n");
        for (var d = 0; d < view.Datasets.Count; d++)
        {
            var dataset = view.Datasets[d];
            var runs = r.Runs.Where(x => x.Run.DatasetId == dataset).ToList();
            var cases = view.Cases(dataset);
            var shown = Math.Min(cases.Count, Math.Max(0, r.MaxCases));
            var byRun = runs.Select(run => (Run: run, Outcomes: view.Outcomes[view.IndexOf(run)], Results: run.Results.ToLookup(x => x.CaseOrdinal))).ToList();
            html.Append("<h3>").Append(E(dataset)).Append("</h3>\n");
            if (cases.Count == 0)
            {
                html.Append("<p class=\"note\">The dataset's cases are not in the store.</p>\n");
                continue;
            }

            if (shown < cases.Count)
            {
                html.Append(I($"<p class=\"note\">Showing the first {shown} of {cases.Count} cases; the CSV export has every result.</p>\n"));
            }

            // Filters: one radio per group, tag and outcome, before the filter bar and the cases, so that CSS can select on :checked.
            var keys = new List<(string Kind, string Value, int Count)>();
            var keyIndex = new Dictionary<(string, string), int>();
            var caseKeys = new List<List<int>>();
            for (var i = 0; i < shown; i++)
            {
                var c = cases[i];
                var mine = new List<int>();
                foreach (var (kind, value) in CaseKeys(c, byRun.Select(x => x.Outcomes.GetValueOrDefault(i)).ToList(), byRun.Select(x => x.Outcomes.ContainsKey(i)).ToList(), r.PassThreshold))
                {
                    if (!keyIndex.TryGetValue((kind, value), out var k))
                    {
                        if (keyIndex.Count >= 200)
                        {
                            continue;
                        }

                        k = keyIndex[(kind, value)] = keys.Count;
                        keys.Add((kind, value, 0));
                    }

                    keys[k] = keys[k] with { Count = keys[k].Count + 1 };
                    mine.Add(k);
                }

                caseKeys.Add(mine);
            }

            // Filters in a stable order: groups, tags, outcomes, each by value; the classes of the cases follow the new numbering.
            var order = Enumerable.Range(0, keys.Count)
                .OrderBy(k => keys[k].Kind switch { "group" => 0, "tag" => 1, _ => 2 }).ThenBy(k => keys[k].Value, StringComparer.Ordinal).ToArray();
            var renumber = new int[keys.Count];
            for (var k = 0; k < order.Length; k++)
            {
                renumber[order[k]] = k;
            }

            keys = [.. order.Select(k => keys[k])];
            caseKeys = [.. caseKeys.Select(list => list.Select(k => renumber[k]).ToList())];
            html.Append("<div class=\"case-list\">\n");
            html.Append(I($"<input type=\"radio\" class=\"filter-radio\" name=\"filter-{d}\" id=\"filter-{d}-all\" checked>"));
            for (var k = 0; k < keys.Count; k++)
            {
                html.Append(I($"<input type=\"radio\" class=\"filter-radio\" name=\"filter-{d}\" id=\"filter-{d}-{k}\">"));
                css.Append(I($"#filter-{d}-{k}:checked~.cases>.case:not(.k{k}){{display:none}}#filter-{d}-{k}:checked~.filters label[for=\"filter-{d}-{k}\"]{{background:var(--accent);color:#fff}}\n"));
            }

            css.Append(I($"#filter-{d}-all:checked~.filters label[for=\"filter-{d}-all\"]{{background:var(--accent);color:#fff}}\n"));
            html.Append("\n<div class=\"filters\" role=\"group\" aria-label=\"Filter cases\">").Append(I($"<label for=\"filter-{d}-all\">all ({shown})</label>"));
            for (var k = 0; k < keys.Count; k++)
            {
                html.Append(I($"<label for=\"filter-{d}-{k}\">")).Append(E(keys[k].Kind)).Append(": ").Append(E(keys[k].Value)).Append(I($" ({keys[k].Count})</label>"));
            }

            html.Append("</div>\n<div class=\"cases\">\n");
            for (var i = 0; i < shown; i++)
            {
                CaseDetails(html, view, d, i, cases[i], caseKeys[i], byRun.Select(x => (x.Run, x.Outcomes, x.Results)).ToList());
            }

            html.Append("</div>\n</div>\n");
        }

        html.Append("</section>\n</main>\n");
    }

    private static IEnumerable<(string Kind, string Value)> CaseKeys(EvalCase c, List<CaseOutcomes.Outcome> outcomes, List<bool> present, double threshold)
    {
        if (c.Group is not null)
        {
            yield return ("group", c.Group);
        }

        foreach (var (key, value) in c.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            yield return ("tag", $"{key}={value}");
        }

        var evaluated = outcomes.Where((_, i) => present[i]).ToList();
        var passes = evaluated.Select(o => CaseOutcomes.Passes(o.Value, threshold)).ToList();
        if (passes.Contains(false))
        {
            yield return ("outcome", "fails in a run");
        }

        if (passes.Contains(true) && passes.Contains(false))
        {
            yield return ("outcome", "runs disagree");
        }

        if (evaluated.Any(o => o.Errored))
        {
            yield return ("outcome", "call failed");
        }
    }

    private static void CaseDetails(StringBuilder html, ReportView view, int d, long ordinal, EvalCase c, List<int> keys, List<(ReportRun Run, SortedDictionary<long, CaseOutcomes.Outcome> Outcomes, ILookup<long, CaseResult> Results)> runs)
    {
        var r = view.Report;
        html.Append("<details class=\"case").Append(string.Concat(keys.Select(k => I($" k{k}")))).Append(I($"\" id=\"case-{d}-{ordinal}\"><summary><span class=\"cid\">"))
            .Append(E(c.Id)).Append("</span>");
        if (c.Group is not null)
        {
            html.Append("<span class=\"tag\">group: ").Append(E(c.Group)).Append("</span>");
        }

        foreach (var (run, outcomes, _) in runs)
        {
            var (cls, symbol, word) = !outcomes.TryGetValue(ordinal, out var o) ? ("none", "–", "not evaluated")
                : o.Errored ? ("error", "!", "every call failed")
                : CaseOutcomes.Passes(o.Value, r.PassThreshold) ? ("pass", "✓", "passes") : ("fail", "✗", "fails");
            var value = o.Value is { } v ? " " + ReportView.F4(v) : string.Empty;
            html.Append("<span class=\"badge ").Append(cls).Append("\" title=\"").Append(E($"{run.Label}: {word}{value}")).Append("\" aria-label=\"").Append(E($"{run.Label}: {word}")).Append("\">")
                .Append(symbol).Append("</span>");
        }

        html.Append("</summary>\n<div class=\"case-body\">\n<h4>Input</h4><pre>").Append(E(ReportView.InputText(c))).Append("</pre>\n");
        if (c.References.Count > 0)
        {
            html.Append("<h4>Reference").Append(c.References.Count > 1 ? "s" : string.Empty).Append("</h4>");
            foreach (var reference in c.References)
            {
                html.Append("<pre>").Append(E(reference)).Append("</pre>");
            }

            html.Append('\n');
        }

        if (c.Metadata.Count > 0)
        {
            html.Append("<h4>Tags</h4><p>");
            foreach (var (key, value) in c.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                html.Append("<span class=\"tag\">").Append(E(key)).Append('=').Append(E(value)).Append("</span>");
            }

            html.Append("</p>\n");
        }

        html.Append("<div class=\"scroll\"><table class=\"answers\"><thead><tr><th>Run</th><th class=\"num\">rep.</th><th>Answer</th><th>Scores</th><th class=\"num\">latency ms</th><th class=\"num\">tokens in/out</th><th class=\"num\">cost</th></tr></thead><tbody>\n");
        foreach (var (run, _, results) in runs)
        {
            foreach (var result in results[ordinal])
            {
                html.Append("<tr><td>").Append(E(run.Label)).Append(I($"</td><td class=\"num\">{result.Repetition}</td><td>"));
                if (result.Error is { } error)
                {
                    html.Append("<strong>").Append(E(error.Category.ToString())).Append(":</strong> ").Append(E(error.Message));
                }
                else
                {
                    html.Append("<pre>").Append(E(result.Output)).Append("</pre>");
                }

                html.Append("</td><td>");
                foreach (var score in result.Scores)
                {
                    html.Append("<div><code>").Append(E(score.Name)).Append("</code> ").Append(E(score.Value is { } sv ? ReportView.F4(sv) : "error"));
                    if (score.Error is not null || score.Explanation is not null || score.Label is not null)
                    {
                        html.Append(" <span class=\"meta\">").Append(E(string.Join(" · ", new[] { score.Label, score.Explanation, score.Error }.Where(x => x is not null)))).Append("</span>");
                    }

                    html.Append("</div>");
                }

                html.Append("</td><td class=\"num\">").Append(result.Cached ? "cached" : E(ReportView.Ms(result.Latency))).Append("</td><td class=\"num\">")
                    .Append(E(I($"{(result.InputTokens is { } it ? it.ToString(CultureInfo.InvariantCulture) : "?")}/{(result.OutputTokens is { } ot ? ot.ToString(CultureInfo.InvariantCulture) : "?")}")))
                    .Append("</td><td class=\"num\">").Append(E(result.Cost is { } cost ? cost.ToString("0.########", CultureInfo.InvariantCulture) : "unknown")).Append("</td></tr>\n");
            }
        }

        html.Append("</tbody></table></div>\n</div>\n</details>\n");
    }
}
