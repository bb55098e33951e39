using System.Diagnostics;
using System.Text.RegularExpressions;
using EvalKit.Reporting;

namespace EvalKit.Tests.Reporting;

/// <summary>
/// Renders a report in headless Chromium (Debian's <c>chromium</c> package; <c>.ci/run</c> installs it). Outside CI a
/// missing browser skips the test; under CI (<c>CI=true</c>) it fails it.
/// </summary>
public sealed partial class HtmlReportBrowserTests : IDisposable
{
    private static readonly string[] BrowserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("evalkit-report-browser-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A browser process still holding its profile; the OS cleans the temporary folder.
        }
    }

    [Fact]
    public async Task Report_LoadsInHeadlessChromium_WithoutErrors_AndShowsItsCharts()
    {
        var browser = FindBrowser();
        await using var scenario = await ReportScenario.CreateAsync();
        var path = Path.Combine(_folder.FullName, "report.html");
        await File.WriteAllBytesAsync(path, await scenario.ExportAsync(ReportFormat.Html), Ct);
        var url = new Uri(path).AbsoluteUri;

        var (exit, dom, log) = await RunAsync(browser, ["--dump-dom", url]);

        exit.Should().Be(0, log);
        ConsoleLines(log).Should().BeEmpty("the page logs nothing: no script error, no refused resource, no policy violation");
        log.Should().NotContain("Uncaught");
        dom.Should().Contain("<h1>Report &lt;script&gt;alert(5)&lt;/script&gt;");
        Regex.Count(dom, "<svg ").Should().Be(6, "every chart is in the rendered page");
        foreach (var chart in new[] { "metric-chart-0", "metric-chart-1", "latency-chart-0", "cost-quality-chart-0", "comparison-chart-0", "comparison-chart-1" })
        {
            dom.Should().Contain($"id=\"{chart}\"");
        }

        Regex.Count(dom, "<rect class=\"bar\"").Should().Be(6);
        dom.Should().Contain("<polyline class=\"pareto\"");
        Regex.Count(dom, "<details class=\"case").Should().Be(ReportScenario.Cases);
        dom.Should().NotContain("<script", "no script element, injected or not, exists in the page").And.NotContain("<img").And.NotContain("onerror=alert(1)>");
        dom.Should().Contain("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", "the hostile case text is shown as text");
    }

    [Fact]
    public async Task Report_Screenshot_IsAPicture()
    {
        var browser = FindBrowser();
        await using var scenario = await ReportScenario.CreateAsync();
        var path = Path.Combine(_folder.FullName, "report.html");
        var screenshot = Path.Combine(_folder.FullName, "report.png");
        await File.WriteAllBytesAsync(path, await scenario.ExportAsync(ReportFormat.Html), Ct);

        var (exit, _, log) = await RunAsync(browser, ["--hide-scrollbars", "--window-size=1280,2400", $"--screenshot={screenshot}", new Uri(path).AbsoluteUri]);

        exit.Should().Be(0, log);
        ConsoleLines(log).Should().BeEmpty();
        var png = await File.ReadAllBytesAsync(screenshot, Ct);
        png.Length.Should().BeGreaterThan(20_000, "a full page with charts, not a blank one");
        png[..8].Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
    }

    private static string FindBrowser()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in BrowserNames)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true but none of {string.Join(", ", BrowserNames)} is on the PATH; .ci/run installs Debian's chromium package (apt-get install -y chromium).");
        }

        Assert.Skip($"No headless browser ({string.Join(", ", BrowserNames)}) on the PATH; install Debian's chromium package (apt-get install -y chromium) to run this test.");
        return string.Empty;
    }

    private static List<string> ConsoleLines(string log) => [.. log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal))];

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string browser, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--enable-logging=stderr", "--v=0", $"--user-data-dir={Path.Combine(_folder.FullName, "profile")}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
