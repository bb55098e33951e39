using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace EvalKit.Samples.Tests;

/// <summary>The quick-start's A/B verdict, recommendation and progress display, on the three local models.</summary>
public sealed partial class QuickStartAbTestAndSelectionTests : IDisposable
{
    private static readonly string[] LocalModels = ["local/oracle-large", "local/flaky-medium", "local/quick-small"];

    private readonly string _directory = Directory.CreateTempSubdirectory("evalkit-quickstart-ab-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_PrintsAnAbVerdictThatMatchesTheAbTestStoredInTheDatabase()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, databasePath, Ct);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        var (modelA, modelB, _, _, _) = await QuickStartStoreChecks.AssertAbVerdictMatchesStoreAsync(text, databasePath);

        // The A/B test compares the two best models of the table, best first.
        var tableOrder = QuickStartStoreChecks.Lines(text).Where(l => l.StartsWith("local/", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        new[] { modelA, modelB }.Should().Equal(tableOrder.Take(2), text);
        text.Should().Contain($"A/B test   ").And.Contain($"{modelA} vs {modelB} on benchmark quickstart");
    }

    [Fact]
    public async Task RunAsync_RecommendsTheCheapestRegisteredModelThatClearsTheQualityBar_WithTheEnginesExplanation()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, databasePath, Ct);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        var chosen = await QuickStartStoreChecks.AssertRecommendationMeetsConstraintAsync(text, databasePath, LocalModels);
        var lines = QuickStartStoreChecks.Lines(text);
        var recommendation = lines.Single(l => l.StartsWith("Recommendation: ", StringComparison.Ordinal));
        recommendation.Should().Contain("the cheapest model with exact match at least 0.70 (the lower end of its 95% interval)");

        // The explanation is the selection engine's own: the winner with its criteria and evidence, then the rejections.
        var explanation = lines.SkipWhile(l => !l.StartsWith("The selection engine's explanation:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        explanation.Should().Contain(l => l.Contains($"{chosen} wins", StringComparison.Ordinal));
        explanation.Should().Contain(l => l.StartsWith($"  #1 {chosen}: score", StringComparison.Ordinal));
        explanation.Should().Contain(l => l.TrimStart().StartsWith("Cost: ", StringComparison.Ordinal) && l.Contains("from EvaluationRun", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OnRedirectedOutput_ShowsProgressAsPlainLinesBeforeTheTable()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, databasePath, Ct);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        text.Should().NotContain("\u001b", "output that is not a terminal gets no ANSI escape sequences");
        var lines = QuickStartStoreChecks.Lines(text).ToList();
        var progress = lines.Select((line, index) => (Match: ProgressLine().Match(line), Index: index)).Where(p => p.Match.Success).ToList();
        progress.Should().NotBeEmpty(text);

        // Every model reaches 100% in the evaluation, and both A/B models in the A/B test; counts never go backwards.
        foreach (var label in LocalModels.Concat(LocalModels.Take(2).Select(m => "A/B " + m)))
        {
            var mine = progress.Where(p => p.Match.Groups["label"].Value == label).Select(p => (Done: Parse(p.Match, "done"), Total: Parse(p.Match, "total"))).ToList();
            mine.Should().NotBeEmpty($"a progress line for {label}: {text}");
            mine[^1].Should().Be((60, 60), $"{label} ends complete");
            mine.Select(m => m.Done).Should().BeInAscendingOrder();
        }

        // The evaluation's progress lines all come before the table, and none lands inside it.
        var header = lines.FindIndex(l => l.StartsWith("Model ", StringComparison.Ordinal) && l.Contains("Exact match", StringComparison.Ordinal));
        var abStart = lines.FindIndex(l => l.StartsWith("A/B test ", StringComparison.Ordinal));
        progress.Where(p => !p.Match.Groups["label"].Value.StartsWith("A/B ", StringComparison.Ordinal)).Should().OnlyContain(p => p.Index < header);
        progress.Where(p => p.Match.Groups["label"].Value.StartsWith("A/B ", StringComparison.Ordinal)).Should().OnlyContain(p => p.Index > abStart);
        lines.Skip(header + 2).Take(3).Should().OnlyContain(l => l.StartsWith("local/", StringComparison.Ordinal), text);
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

    private static long Parse(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Progress   (?<label>.+): (?<done>\d+)/(?<total>\d+) results \((?<percent>\d+)%")]
    private static partial Regex ProgressLine();
}
