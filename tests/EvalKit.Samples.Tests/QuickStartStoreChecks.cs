using System.Globalization;
using System.Text.RegularExpressions;
using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Statistics;
using EvalKit.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EvalKit.Samples.Tests;

/// <summary>
/// Checks what the quick-start printed against what it stored: the A/B verdict against the A/B test recomputed from the
/// stored case results, and the recommendation against the stored runs and the registry.
/// </summary>
internal static partial class QuickStartStoreChecks
{
    private const string Metric = "exact_match";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static EvalKitHost Open(string databasePath) =>
        EvalKitHost.Create(storage: new SqliteEvalKitStorage(new SqliteConnectionStringBuilder { DataSource = databasePath }.ConnectionString));

    /// <summary>
    /// Finds the one A/B test in the database, recomputes McNemar's exact test from the stored per-case exact-match values
    /// of its two runs, and checks every number of the printed verdict sentence against that (and the interval against the
    /// library's results recomputed from the store).
    /// </summary>
    /// <returns>The recomputed test: its two models (in definition order) and the discordant counts.</returns>
    public static async Task<(string ModelA, string ModelB, int OnlyA, int OnlyB, double PValue)> AssertAbVerdictMatchesStoreAsync(string text, string databasePath)
    {
        var line = Lines(text).Single(l => l.StartsWith("A/B verdict: ", StringComparison.Ordinal));

        await using var kit = Open(databasePath);
        var tests = await kit.AbTests.ListAsync(Ct).ToListAsync(Ct);
        var test = tests.Should().ContainSingle("one quick-start on a fresh database runs one A/B test").Subject;
        test.Status.Should().Be(AbTestStatus.Completed);
        test.Definition.Design.Should().Be(AbTestDesign.Paired);
        test.Definition.Correction.Should().Be(PValueCorrection.Holm);
        var (modelA, modelB) = (test.Definition.ModelIds[0], test.Definition.ModelIds[1]);

        // Recompute from the stored results: per case, the exact-match value of the successful call; pairs by ordinal.
        var valuesA = await PerCaseAsync(kit, test.RunIds[modelA]);
        var valuesB = await PerCaseAsync(kit, test.RunIds[modelB]);
        var common = valuesA.Keys.Intersect(valuesB.Keys).ToList();
        var onlyA = common.Count(o => valuesA[o] == 1 && valuesB[o] == 0);
        var onlyB = common.Count(o => valuesA[o] == 0 && valuesB[o] == 1);
        var n = common.Count;
        n.Should().BePositive();
        var p = HypothesisTests.McNemar(onlyA, onlyB).PValue; // Holm over a single pair leaves it unchanged
        var difference = (double)(onlyA - onlyB) / n;
        var significant = p < test.Definition.Alpha && difference != 0;

        // The library's results, recomputed from the same store, agree with the independent computation.
        var results = await kit.AbTests.GetResultsAsync(test.Id, Ct);
        var pair = results.GetPair(modelA, modelB);
        pair.PValue.Should().BeApproximately(p, 1e-12);
        pair.MeanDifference.Should().BeApproximately(difference, 1e-12);
        results.Winner.Should().Be(significant ? (difference > 0 ? modelA : modelB) : null);

        if (significant)
        {
            var (winner, loser) = difference > 0 ? (modelA, modelB) : (modelB, modelA);
            var oriented = results.GetPair(winner, loser);
            var match = BeatsSentence().Match(line);
            match.Success.Should().BeTrue($"the verdict should name a winner: {line}");
            match.Groups["winner"].Value.Should().Be(winner);
            match.Groups["loser"].Value.Should().Be(loser);
            match.Groups["metric"].Value.Should().Be(Metric);
            Number(match, "points").Should().BeApproximately(Math.Abs(difference) * 100, 0.05 + 1e-9);
            Number(match, "lower").Should().BeApproximately(oriented.ConfidenceInterval.Lower * 100, 0.05 + 1e-9);
            Number(match, "upper").Should().BeApproximately(oriented.ConfidenceInterval.Upper * 100, 0.05 + 1e-9);
            AssertP(Number(match, "p"), p);
            Count(match, "onlyWinner").Should().Be(difference > 0 ? onlyA : onlyB);
            Count(match, "onlyLoser").Should().Be(difference > 0 ? onlyB : onlyA);
            Count(match, "n").Should().Be(n);
        }
        else if (difference == 0)
        {
            line.Should().StartWith($"A/B verdict: no significant difference: {modelA} and {modelB} score the same on {Metric}");
            line.Should().EndWith("the observed difference is zero, so no number of cases would detect it.");
        }
        else
        {
            var (higher, lower) = difference > 0 ? (modelA, modelB) : (modelB, modelA);
            var oriented = results.GetPair(higher, lower);
            var match = NoDifferenceSentence().Match(line);
            match.Success.Should().BeTrue($"the verdict should say the difference is not significant: {line}");
            match.Groups["a"].Value.Should().Be(higher);
            match.Groups["b"].Value.Should().Be(lower);
            Number(match, "points").Should().BeApproximately(Math.Abs(difference) * 100, 0.05 + 1e-9);
            Number(match, "lower").Should().BeApproximately(oriented.ConfidenceInterval.Lower * 100, 0.05 + 1e-9);
            Number(match, "upper").Should().BeApproximately(oriented.ConfidenceInterval.Upper * 100, 0.05 + 1e-9);
            AssertP(Number(match, "p"), p);
            Count(match, "onlyHigher").Should().Be(difference > 0 ? onlyA : onlyB);
            Count(match, "onlyLower").Should().Be(difference > 0 ? onlyB : onlyA);
            Count(match, "n").Should().Be(n);

            // The power analysis, recomputed from the discordant shares: McNemar (Connor) at 80% power.
            var required = Power.RequiredSampleSizePairedProportions((double)onlyA / n, (double)onlyB / n, test.Definition.Alpha);
            int.Parse(match.Groups["required"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture).Should().Be(required);
            results.RequiredSampleSize.Should().Be(required);
        }

        return (modelA, modelB, onlyA, onlyB, p);
    }

    /// <summary>
    /// Checks the printed recommendation: a registered model among the candidates whose latest completed run on the
    /// quick-start benchmark clears the bar at the lower end of its exact-match interval, the cheapest of those when costs
    /// are known; and every candidate below the bar is listed as rejected.
    /// </summary>
    /// <returns>The recommended model id.</returns>
    public static async Task<string> AssertRecommendationMeetsConstraintAsync(string text, string databasePath, IReadOnlyList<string> candidates)
    {
        var line = Lines(text).Single(l => l.StartsWith("Recommendation: ", StringComparison.Ordinal));
        var chosen = line["Recommendation: ".Length..].Split(',')[0];
        candidates.Should().Contain(chosen, line);

        await using var kit = Open(databasePath);
        (await kit.Registry.GetAsync(chosen, Ct)).Should().NotBeNull($"the recommendation names a registered model: {line}");
        var latest = new Dictionary<string, EvaluationRun>(StringComparer.Ordinal);
        foreach (var model in candidates)
        {
            var runs = await kit.Storage.Runs.ListAsync(model, cancellationToken: Ct).ToListAsync(Ct);
            latest[model] = runs
                .Where(r => r.BenchmarkId == QuickStart.QuickStart.BenchmarkId && r.Status == RunStatus.Completed && r.Summary is not null)
                .OrderBy(r => r.CompletedAt).ThenBy(r => r.CreatedAt).Last();
        }

        double Lower(string model) => latest[model].Summary!.Metrics[Metric].ConfidenceInterval.Lower;
        var bar = QuickStart.QuickStart.RecommendationMinimumExactMatch;
        Lower(chosen).Should().BeGreaterThanOrEqualTo(bar, "the recommended model satisfies the constraint");
        var eligible = candidates.Where(m => Lower(m) >= bar).ToList();
        if (eligible.All(m => latest[m].Summary!.CostPerRequest is not null))
        {
            var cheapest = eligible.Min(m => latest[m].Summary!.CostPerRequest!.Value);
            latest[chosen].Summary!.CostPerRequest.Should().Be(cheapest, "the recommendation is the cheapest model that meets the bar");
            line.Should().Contain("the cheapest model with exact match at least");
        }
        else
        {
            // Without prices, exact match decides among the models that meet the bar.
            double Mean(string model) => latest[model].Summary!.Metrics[Metric].Mean;
            Mean(chosen).Should().Be(eligible.Max(Mean), "without prices the recommendation is the most accurate model that meets the bar");
            line.Should().Contain("the most accurate model with exact match at least");
        }

        foreach (var model in candidates.Except(eligible))
        {
            text.Should().Contain($"rejected {model} (Constraint)", "a model below the bar is excluded, with the reason");
        }

        return chosen;
    }

    public static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    private static async Task<Dictionary<long, double>> PerCaseAsync(EvalKitHost kit, string runId)
    {
        var values = new Dictionary<long, double>();
        await foreach (var result in kit.Storage.Results.ReadAsync(runId, Ct))
        {
            if (result.Succeeded && result.GetScore(Metric)?.Value is { } value)
            {
                values[result.CaseOrdinal] = value;
            }
        }

        return values;
    }

    private static void AssertP(double printed, double p)
    {
        if (p < 0.0001)
        {
            printed.Should().BeApproximately(p, p * 0.051, "two significant digits in scientific notation");
        }
        else
        {
            printed.Should().BeApproximately(p, 0.00005 + 1e-12, "four decimals");
        }
    }

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static int Count(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^A/B verdict: (?<winner>\S+) beats (?<loser>\S+) on (?<metric>\S+) by (?<points>-?\d+\.\d) points \[95% CI (?<lower>-?\d+\.\d), (?<upper>-?\d+\.\d)\], McNemar exact p = (?<p>[0-9.e+-]+) \(Holm-adjusted; \S+ right and \S+ wrong on (?<onlyWinner>\d+) cases, the reverse on (?<onlyLoser>\d+), of (?<n>\d+) paired cases\): a real difference\.$")]
    private static partial Regex BeatsSentence();

    [GeneratedRegex(@"^A/B verdict: no significant difference: (?<a>\S+) leads (?<b>\S+) on exact_match by (?<points>-?\d+\.\d) points \[95% CI (?<lower>-?\d+\.\d), (?<upper>-?\d+\.\d)\], but McNemar exact p = (?<p>[0-9.e+-]+) \(Holm-adjusted; \S+ right and \S+ wrong on (?<onlyHigher>\d+) cases, the reverse on (?<onlyLower>\d+), of (?<n>\d+) paired cases\) is not below alpha 0\.05; you would need about (?<required>[0-9,]+) cases to detect \k<points> points with 80% power \(this test had \k<n>\)\.$")]
    private static partial Regex NoDifferenceSentence();
}
