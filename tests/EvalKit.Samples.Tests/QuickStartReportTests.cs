using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace EvalKit.Samples.Tests;

public sealed class QuickStartReportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evalkit-quickstart-report-" + Guid.NewGuid().ToString("N"));

    public QuickStartReportTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task RunAsync_WritesTheHtmlReportBesideTheDatabase_AndPrintsItsPath()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, databasePath, TestContext.Current.CancellationToken);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        var reportPath = Path.Combine(_directory, "evalkit-report.html");
        QuickStart.QuickStart.ReportPath(databasePath).Should().Be(reportPath);
        text.Should().Contain($"Report: {reportPath}");
        var html = await File.ReadAllTextAsync(reportPath, TestContext.Current.CancellationToken);
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("EvalKit quick-start").And.NotContain("<script");
        foreach (var model in new[] { "local/oracle-large", "local/flaky-medium", "local/quick-small" })
        {
            html.Should().Contain(model);
        }

        Regex.Count(html, "<svg ").Should().BeGreaterThanOrEqualTo(5, "metric, latency, cost-quality and comparison charts");
        Regex.Count(html, "<details class=\"case").Should().Be(60, "every case of the sample's dataset");
        html.Should().Contain("<section id=\"comparisons\">").And.Contain("Pareto front");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory left behind is harmless.
        }
    }
}
