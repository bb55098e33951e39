using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EvalKit.Comparisons;
using EvalKit.Reporting;
using EvalKit.Tests.Experiments;

namespace EvalKit.Tests.Reporting;

public sealed partial class HtmlReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_HasTheLeaderboardEveryChartAndEverySection()
    {
        await using var scenario = await ReportScenario.CreateAsync();
        var report = await scenario.ReportAsync();

        var html = HtmlReport.Render(report);

        html.Should().StartWith("<!DOCTYPE html>");
        foreach (var section in new[] { "overview", "metrics", "latency", "cost", "comparisons", "gate", "cases" })
        {
            html.Should().Contain($"<section id=\"{section}\">");
        }

        // Two metrics, one latency chart, one cost-quality scatter, one forest plot per compared metric.
        Regex.Count(html, "<svg ").Should().Be(2 + 1 + 1 + 2);
        html.Should().Contain("id=\"metric-chart-0\"").And.Contain("id=\"metric-chart-1\"").And.Contain("id=\"latency-chart-0\"")
            .And.Contain("id=\"cost-quality-chart-0\"").And.Contain("id=\"comparison-chart-0\"").And.Contain("<polyline class=\"pareto\"");
        Regex.Count(html, "<rect class=\"bar\"").Should().Be(2 * 3, "one bar per run and metric");
        Regex.Count(html, "<g class=\"error-bar\">").Should().Be(2 * 3);
        html.Should().Contain("<table class=\"leaderboard\">").And.Contain("Regression gate failed").And.Contain(report.Comparisons[0].Verdict.Replace("'", "&#39;", StringComparison.Ordinal));
        var leaderboard = html[html.IndexOf("<table class=\"leaderboard\">", StringComparison.Ordinal)..html.IndexOf("</table>", StringComparison.Ordinal)];
        var (a, c, b) = (leaderboard.IndexOf(ExperimentKit.A, StringComparison.Ordinal), leaderboard.IndexOf("&lt;/title&gt;", StringComparison.Ordinal), leaderboard.IndexOf(ExperimentKit.B, StringComparison.Ordinal));
        new[] { a, c, b }.Should().BeInAscendingOrder("A (20/24) ranks before C, labelled with the hostile label (18/23), and C before B (16/24)").And.NotContain(-1);
    }

    [Fact]
    public async Task Render_EncodesEveryHostileString()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var html = HtmlReport.Render(await scenario.ReportAsync());

        html.Should().NotContain("<script").And.NotContain("<img").And.NotContain("<svg onload").And.NotContain("</title><script>");
        html.Should().NotContain(ReportScenario.ScriptInjection).And.NotContain(ReportScenario.HostileId).And.NotContain(ReportScenario.HostileGroup);
        html.Should().Contain("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")
            .And.Contain("&lt;img src=x onerror=alert(2)&gt;")
            .And.Contain("&lt;svg onload=alert(3)&gt;")
            .And.Contain("&lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;")
            .And.Contain("<title>Report &lt;script&gt;alert(5)&lt;/script&gt; &amp; &quot;quotes&quot;")
            .And.Contain("&lt;/details&gt;&lt;script&gt;alert(&#39;answer&#39;)&lt;/script&gt;\uFFFD\uFFFD[31m")
            .And.Contain("odd &amp; &lt;odd&gt;")
            .And.Contain("Description with &lt;b&gt;markup&lt;/b&gt;");
        html.Should().NotContain("\u0001").And.NotContain("\u001b");
    }

    [Fact]
    public async Task Render_IsSelfContained_AndItsPolicyAllowsOnlyItsOwnStyle()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var html = HtmlReport.Render(await scenario.ReportAsync());

        html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal).Should().NotContainAny("http://", "https://", "<link", "url(", "@import");
        SourcePattern().IsMatch(html).Should().BeFalse("no element loads anything; links stay in the page");
        var policy = PolicyPattern().Match(html);
        policy.Success.Should().BeTrue();
        policy.Groups["policy"].Value.Should().StartWith("default-src 'none'; style-src 'sha256-").And.NotContain("script-src").And.NotContain("unsafe");
        var style = html[(html.IndexOf("<style>", StringComparison.Ordinal) + "<style>".Length)..html.IndexOf("</style>", StringComparison.Ordinal)];
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        policy.Groups["policy"].Value.Should().Contain($"'sha256-{hash}'", "the policy admits exactly the report's style sheet");
        html.Should().NotContain(" style=\"", "inline style attributes would be refused by the policy");
    }

    [Fact]
    public async Task Render_CaseDrillDown_ShowsEveryCaseWithAnswersScoresAndCssFilters()
    {
        await using var scenario = await ReportScenario.CreateAsync();
        var report = await scenario.ReportAsync();

        var html = HtmlReport.Render(report);

        Regex.Count(html, "<details class=\"case").Should().Be(ReportScenario.Cases);
        var case5 = html[html.IndexOf("id=\"case-0-5\"", StringComparison.Ordinal)..];
        case5 = case5[..case5.IndexOf("</details>", StringComparison.Ordinal)];
        case5.Should().Contain("What is 5 + 5?").And.Contain("<pre>10</pre>").And.Contain("ContentFilter:</strong> refused: &lt;/script&gt;")
            .And.Contain("<code>exact_match</code> 1.0000").And.Contain("badge error").And.Contain("badge pass");
        html.Should().Contain("group: g1 (8)").And.Contain("tag: topic=even (12)").And.Contain("outcome: call failed (1)").And.Contain("outcome: runs disagree");
        var filter = FilterPattern().Match(html);
        filter.Success.Should().BeTrue("each filter hides the cases without its class");
        html.Should().Contain($"<details class=\"case k{filter.Groups["k"].Value}").And.Contain("name=\"filter-0\" id=\"filter-0-all\" checked");

        var limited = HtmlReport.Render(report with { MaxCases = 5 });
        Regex.Count(limited, "<details class=\"case").Should().Be(5);
        limited.Should().Contain($"Showing the first 5 of {ReportScenario.Cases} cases");
    }

    [Fact]
    public async Task Render_AbTestResults_ShowTheVerdictInWords()
    {
        await using var scenario = await ReportScenario.CreateAsync();
        var test = await scenario.Kit.Host.AbTests.CreateAsync(new AbTestDefinition { Name = "A vs C", ModelIds = [ExperimentKit.A, ExperimentKit.C], BenchmarkId = "arith" }, Ct);
        var results = await scenario.Kit.Host.AbTests.ExecuteAsync(test.Id, cancellationToken: Ct);

        var report = await scenario.Experiments.BuildReportAsync(new ReportRequest { AbTestIds = [test.Id], Title = "A/B" }, Ct);
        var html = HtmlReport.Render(report);

        report.AbTests.Should().ContainSingle().Which.Verdict.Should().Be(results.Verdict);
        report.Runs.Should().HaveCount(2);
        html.Should().Contain("<section id=\"ab-tests\">").And.Contain("A vs C").And.Contain("<strong>Verdict:</strong> " + results.Verdict.Replace("'", "&#39;", StringComparison.Ordinal));
    }

    [Fact]
    public void ParetoFront_KeepsTheRunsNoOtherIsBothCheaperAndBetter()
    {
        SvgCharts.ScatterPoint P(string label, double cost, double mean) => new(label, cost, mean, mean - 0.1, mean + 0.1, 0);
        var points = new[] { P("dominated", 3, 0.5), P("cheap", 1, 0.6), P("best", 5, 0.9), P("middle", 2, 0.8), P("tie-worse", 2, 0.7), P("nan", 4, double.NaN) };

        SvgCharts.ParetoFront(points).Select(i => points[i].Label).Should().Equal("cheap", "middle", "best");
    }

    [GeneratedRegex(@"<[a-zA-Z][^>]*\s((src|srcset|data|action)=|href=""(?!#))", RegexOptions.IgnoreCase)]
    private static partial Regex SourcePattern();

    [GeneratedRegex("<meta http-equiv=\"Content-Security-Policy\" content=\"(?<policy>[^\"]*)\">")]
    private static partial Regex PolicyPattern();

    [GeneratedRegex(@"#filter-0-(?<k>\d+):checked~\.cases>\.case:not\(\.k\k<k>\)\{display:none\}")]
    private static partial Regex FilterPattern();
}
