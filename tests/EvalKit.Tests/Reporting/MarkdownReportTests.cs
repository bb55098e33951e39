using System.Text.RegularExpressions;
using EvalKit.Reporting;
using EvalKit.Tests.Experiments;

namespace EvalKit.Tests.Reporting;

public sealed partial class MarkdownReportTests
{
    [Fact]
    public async Task Render_VerdictLeaderboardWithIntervalsAndComparisons()
    {
        await using var scenario = await ReportScenario.CreateAsync();
        var report = await scenario.ReportAsync(hostileLabels: false);

        var md = MarkdownReport.Render(report);

        md.Should().StartWith("## Report &lt;script&gt;alert(5)&lt;/script&gt; &amp; \"quotes\" \\| \\`code\\`");
        md.Should().Contain("### Verdict").And.Contain("❌ **Regression gate failed**").And.Contain("- ✅ not significantly worse").And.Contain("- ❌ minimum score: candidate mean 0.6667 &lt; minimum 0.75")
            .And.Contain("### Leaderboard: arith@1").And.Contain("| # | Run | exact\\_match | 95% CI | n | pass | p50 ms | p95 ms | cost | success |")
            .And.Contain("### Comparisons on exact\\_match (arith@1)").And.Contain("| A vs B | A − B | 95% CI | test | p | p adj. (Holm) |")
            .And.Contain("<details><summary>Gate report</summary>").And.Contain(report.Gate!.Report);
        var rows = md.Split('\n').Where(l => l.StartsWith("| 1 | ", StringComparison.Ordinal) || l.StartsWith("| 2 | ", StringComparison.Ordinal) || l.StartsWith("| 3 | ", StringComparison.Ordinal)).ToList();
        rows.Select(r => r.Split(" | ")[1]).Should().Equal(ExperimentKit.A, ExperimentKit.C, ExperimentKit.B);
        rows[0].Should().Contain("| 0.8333 | [");
        md.Should().Contain("| local/a vs local/b | +0.1667 |");
    }

    [Fact]
    public async Task Render_HostileText_CannotAddMarkupOrBreakTables()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var md = MarkdownReport.Render(await scenario.ReportAsync());

        md.Should().NotContain("<script").And.NotContain("</title>");
        md.Should().Contain("&lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;\\|\\*\\*bold\\*\\*");
        foreach (var block in ContiguousTables(md))
        {
            block.Select(Cells).Distinct().Should().ContainSingle("every row of a table has as many cells as its header: {0}", string.Join("\n", block));
        }
    }

    private static int Cells(string line) => UnescapedPipe().Count(line) - 1;

    private static IEnumerable<List<string>> ContiguousTables(string md)
    {
        var block = new List<string>();
        foreach (var line in md.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                block.Add(line);
            }
            else if (block.Count > 0)
            {
                yield return block;
                block = [];
            }
        }

        if (block.Count > 0)
        {
            yield return block;
        }
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();
}
