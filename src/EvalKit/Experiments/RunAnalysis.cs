using System.Globalization;
using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Statistics;

namespace EvalKit.Experiments;

/// <summary>The pure computations behind run comparisons and the regression gate, on runs whose results are loaded.</summary>
internal static class RunAnalysis
{
    public const string McNemarOneSided = "McNemar exact (one-sided)";
    public const string PairedTOneSided = "paired t (one-sided)";
    public const string WilcoxonOneSided = "Wilcoxon signed-rank (one-sided)";

    public static void Validate(double alpha, PValueCorrection correction, double passThreshold, string parameterName)
    {
        var problems = Problems(alpha, correction, passThreshold);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), parameterName);
        }
    }

    public static List<string> Problems(double alpha, PValueCorrection correction, double passThreshold)
    {
        var problems = new List<string>();
        if (!(alpha > 0 && alpha < 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Alpha must be in (0, 1); got {alpha}."));
        }

        if (!Enum.IsDefined(correction))
        {
            problems.Add($"Unknown correction '{correction}'.");
        }

        if (!double.IsFinite(passThreshold))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The pass threshold must be a finite number; got {passThreshold}."));
        }

        return problems;
    }

    /// <summary>Metric names that have at least one finite value in every run, in the order of the first run's scorers, then by name.</summary>
    public static List<string> CommonMetrics(IReadOnlyList<LoadedRun> runs)
    {
        HashSet<string>? common = null;
        foreach (var run in runs)
        {
            var names = run.Results.SelectMany(r => r.Scores).Where(s => s.Value is { } v && double.IsFinite(v)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            if (common is null)
            {
                common = names;
            }
            else
            {
                common.IntersectWith(names);
            }
        }

        var order = runs[0].Run.Scorers.ToList();
        return [.. (common ?? []).OrderBy(m => order.IndexOf(m) is var i && i >= 0 ? i : int.MaxValue).ThenBy(m => m, StringComparer.Ordinal)];
    }

    public static RunComparison Compare(IReadOnlyList<LoadedRun> runs, RunComparisonOptions options)
    {
        var first = runs[0].Run;
        var different = runs.Where(r => r.Run.DatasetId != first.DatasetId || r.Run.DatasetHash != first.DatasetHash).ToList();
        if (different.Count > 0)
        {
            throw new ArgumentException(
                $"Runs can only be compared on the same dataset version: run '{first.Id}' evaluated '{first.DatasetId}' (hash {first.DatasetHash ?? "unknown"}), but " +
                string.Join(", ", different.Select(r => $"run '{r.Run.Id}' evaluated '{r.Run.DatasetId}' (hash {r.Run.DatasetHash ?? "unknown"})")) + ".",
                nameof(runs));
        }

        var common = CommonMetrics(runs);
        var primary = options.PrimaryMetric ?? first.PrimaryMetric ?? common.FirstOrDefault();
        if (primary is null || !common.Contains(primary))
        {
            throw new ArgumentException(
                $"The primary metric '{primary}' is not scored in every run; metrics all runs share: {(common.Count == 0 ? "none" : string.Join(", ", common))}.",
                nameof(options));
        }

        List<string> metrics;
        if (options.Metrics is { } asked)
        {
            var missing = asked.Where(m => !common.Contains(m)).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException(
                    $"Metric(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} are not scored in every run; metrics all runs share: {(common.Count == 0 ? "none" : string.Join(", ", common))}.",
                    nameof(options));
            }

            metrics = [primary, .. asked.Where(m => m != primary).Distinct(StringComparer.Ordinal)];
        }
        else
        {
            metrics = [primary, .. common.Where(m => m != primary)];
        }

        var arms = runs.Select(r => new ComparisonAnalyzer.Arm(r.Label, r.Run.Id, r.Results)).ToList();
        var results = new List<ComparisonResults>();
        foreach (var metric in metrics)
        {
            var analysis = ComparisonAnalyzer.Analyze(arms, metric, AbTestDesign.Paired, options.Correction, options.Alpha);
            results.Add(new ComparisonResults
            {
                DatasetId = first.DatasetId,
                Metric = metric,
                Design = AbTestDesign.Paired,
                Correction = options.Correction,
                Alpha = options.Alpha,
                Models = analysis.Models,
                Pairs = analysis.Pairs,
                Winner = analysis.Winner,
                Verdict = analysis.Verdict,
                RequiredSampleSize = analysis.RequiredSampleSize,
            });
        }

        var outcomes = runs.Select(r => CaseOutcomes.Build(r.Results, primary)).ToList();
        var flips = new List<RunPairFlips>();
        for (var i = 0; i < runs.Count; i++)
        {
            for (var j = i + 1; j < runs.Count; j++)
            {
                flips.Add(CaseOutcomes.Flips(runs[i].Label, outcomes[i], runs[j].Label, outcomes[j], options.PassThreshold));
            }
        }

        return new RunComparison
        {
            DatasetId = first.DatasetId,
            Runs = [.. runs.Select(r => new ComparedRun { Label = r.Label, RunId = r.Run.Id, ModelId = r.Run.ModelId, BenchmarkId = r.Run.BenchmarkId, Summary = r.Run.Summary })],
            PrimaryMetric = primary,
            Alpha = options.Alpha,
            Correction = options.Correction,
            PassThreshold = options.PassThreshold,
            Metrics = results,
            Flips = flips,
        };
    }

    public static RegressionGateResult Gate(RegressionGate gate, LoadedRun baseline, LoadedRun candidate)
    {
        if (baseline.Run.DatasetId != candidate.Run.DatasetId || baseline.Run.DatasetHash != candidate.Run.DatasetHash)
        {
            throw new ArgumentException(
                $"The baseline run '{baseline.Run.Id}' evaluated dataset '{baseline.Run.DatasetId}' (hash {baseline.Run.DatasetHash ?? "unknown"}) but the candidate run " +
                $"'{candidate.Run.Id}' evaluated '{candidate.Run.DatasetId}' (hash {candidate.Run.DatasetHash ?? "unknown"}); a gate compares runs of the same dataset version.",
                nameof(gate));
        }

        var metric = gate.Metric ?? baseline.Run.PrimaryMetric ?? candidate.Run.PrimaryMetric ?? Scoring.ExactMatchScorer.DefaultName;
        var a = CaseOutcomes.Build(baseline.Results, metric);
        var b = CaseOutcomes.Build(candidate.Results, metric);
        if (a.Values.All(o => o.Value is null))
        {
            var names = baseline.Results.SelectMany(r => r.Scores).Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            throw new ArgumentException($"No result of the baseline run '{baseline.Run.Id}' has a value for metric '{metric}'. Metrics present: {string.Join(", ", names)}.", nameof(gate));
        }

        var baseValues = a.Values.Where(o => o.Value is not null).Select(o => o.Value!.Value).ToArray();
        var candValues = b.Values.Where(o => o.Value is not null).Select(o => o.Value!.Value).ToArray();
        var paired = a.Where(p => p.Value.Value is not null && b.TryGetValue(p.Key, out var o) && o.Value is not null).Select(p => p.Key).ToList();
        var x = paired.Select(o => b[o].Value!.Value).ToArray();   // candidate
        var y = paired.Select(o => a[o].Value!.Value).ToArray();   // baseline
        var n = x.Length;
        var binary = x.All(IsBinary) && y.All(IsBinary);
        double meanDiff = 0, pValue = 1;
        var interval = new Interval(double.NaN, double.NaN);
        var testName = binary ? McNemarOneSided : n >= ComparisonAnalyzer.PairedTMinimum ? PairedTOneSided : WilcoxonOneSided;
        if (n > 0)
        {
            var d = new double[n];
            for (var i = 0; i < n; i++)
            {
                d[i] = x[i] - y[i];
            }

            meanDiff = d.Average();
            var se = n >= 2 ? StandardErrors.Paired(x, y) : double.NaN;
            if (binary)
            {
                int worse = 0, better = 0;
                for (var i = 0; i < n; i++)
                {
                    worse += y[i] == 1 && x[i] == 0 ? 1 : 0;
                    better += y[i] == 0 && x[i] == 1 ? 1 : 0;
                }

                // Under H0 each discordant case is a fair coin: p = P(X >= worse) = P(X <= better), X ~ Binomial(worse + better, 1/2).
                pValue = worse + better == 0 ? 1 : SpecialDistributions.Clamp01(SpecialDistributions.BinomialCdf(better, worse + better, 0.5));
                interval = double.IsFinite(se) ? ConfidenceIntervals.Normal(meanDiff, se, 1 - gate.Alpha) : interval;
            }
            else
            {
                pValue = OneSided(x, y, d, n >= ComparisonAnalyzer.PairedTMinimum);
                interval = double.IsFinite(se) && n >= 2 ? ConfidenceIntervals.StudentT(meanDiff, se, n - 1, 1 - gate.Alpha) : interval;
            }
        }

        var baselineMean = baseValues.Average();
        var candidateMean = candValues.Length > 0 ? candValues.Average() : double.NaN;
        var worseSignificantly = pValue < gate.Alpha;
        var checks = new List<RegressionCheck>();
        if (candValues.Length == 0)
        {
            checks.Add(new RegressionCheck("candidate scored", false, $"no case of the candidate has a value for '{metric}' (every call failed or the scorer did not run)."));
        }

        checks.Add(new RegressionCheck(
            "not significantly worse",
            !worseSignificantly,
            Invariant($"{testName} over {n} paired cases: p = {FormatP(pValue)} {(worseSignificantly ? "<" : ">=")} alpha {gate.Alpha} (mean difference {Signed(meanDiff)}).")));
        if (gate.MinimumScore is { } minimum)
        {
            var ok = candValues.Length > 0 && candidateMean >= minimum;
            checks.Add(new RegressionCheck("minimum score", ok, Invariant($"candidate mean {F(candidateMean)} {(ok ? ">=" : "<")} minimum {minimum}.")));
        }

        if (gate.MaximumDecrease is { } maxDrop)
        {
            var drop = baselineMean - candidateMean;
            var ok = candValues.Length > 0 && drop <= maxDrop;
            checks.Add(new RegressionCheck("maximum decrease", ok, Invariant($"decrease of the mean {F(drop)} (baseline {F(baselineMean)} - candidate {F(candidateMean)}) {(ok ? "<=" : ">")} maximum {maxDrop}.")));
        }

        if (gate.MaximumErrorRate is { } maxErrors)
        {
            var total = candidate.Results.Count;
            var failed = candidate.Results.Count(r => !r.Succeeded);
            var rate = total == 0 ? 0 : (double)failed / total;
            var ok = rate <= maxErrors;
            checks.Add(new RegressionCheck("maximum error rate", ok, Invariant($"{failed} of {total} calls failed ({rate:P1}) {(ok ? "<=" : ">")} maximum {maxErrors:P1}.")));
        }

        var flips = CaseOutcomes.Flips("baseline", a, "candidate", b, gate.PassThreshold);
        var result = new RegressionGateResult
        {
            Passed = checks.All(c => c.Passed),
            Metric = metric,
            BaselineRunId = baseline.Run.Id,
            CandidateRunId = candidate.Run.Id,
            BaselineModelId = baseline.Run.ModelId,
            CandidateModelId = candidate.Run.ModelId,
            Alpha = gate.Alpha,
            BaselineMean = baselineMean,
            CandidateMean = candidateMean,
            PairedCases = n,
            MeanDifference = meanDiff,
            ConfidenceInterval = interval,
            TestName = testName,
            PValue = pValue,
            SignificantlyWorse = worseSignificantly,
            Checks = checks,
            PassToFail = flips.PassToFail,
            FailToPass = flips.FailToPass,
            Report = string.Empty,
        };
        return result with { Report = Report(result, baseValues.Length, candValues.Length, gate.PassThreshold) };
    }

    private static double OneSided(double[] candidate, double[] baseline, double[] d, bool tTest)
    {
        try
        {
            return tTest
                ? HypothesisTests.PairedTTest(candidate, baseline, Alternative.Less).PValue
                : HypothesisTests.Wilcoxon(candidate, baseline, Alternative.Less).PValue;
        }
        catch (ArgumentException)
        {
            // Degenerate differences (all equal): certain evidence of a drop when they are all negative, none otherwise.
            return d.Average() < 0 ? 0 : 1;
        }
    }

    private static string Report(RegressionGateResult r, int baselineN, int candidateN, double passThreshold)
    {
        const int Shown = 20;
        var text = new System.Text.StringBuilder();
        text.AppendLine(Invariant($"Regression gate {(r.Passed ? "PASSED" : "FAILED")} on '{r.Metric}' (alpha {r.Alpha}, {r.TestName})."));
        text.AppendLine(Invariant($"  baseline  run {r.BaselineRunId} ({r.BaselineModelId}): mean {F(r.BaselineMean)} over {baselineN} cases"));
        text.AppendLine(Invariant($"  candidate run {r.CandidateRunId} ({r.CandidateModelId}): mean {F(r.CandidateMean)} over {candidateN} cases"));
        text.AppendLine(Invariant(
            $"  candidate - baseline over {r.PairedCases} paired cases: {Signed(r.MeanDifference)}, {(1 - r.Alpha) * 100:0.##}% CI [{Signed(r.ConfidenceInterval.Lower)}, {Signed(r.ConfidenceInterval.Upper)}], one-sided p (candidate worse) = {FormatP(r.PValue)}"));
        foreach (var check in r.Checks)
        {
            text.AppendLine(Invariant($"  [{(check.Passed ? "pass" : "FAIL")}] {check.Name}: {check.Detail}"));
        }

        foreach (var (title, cases) in new[] { ("pass -> fail", r.PassToFail), ("fail -> pass", r.FailToPass) })
        {
            text.Append(Invariant($"  cases {title} (pass: value >= {passThreshold}): {cases.Count}"));
            if (cases.Count > 0)
            {
                text.Append(": ").Append(string.Join(", ", cases.Take(Shown).Select(c => c.CaseId)));
                text.Append(cases.Count > Shown ? Invariant($" (and {cases.Count - Shown} more)") : string.Empty);
            }

            text.AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    private static bool IsBinary(double x) => x is 0 or 1;

    internal static string F(double x) => double.IsNaN(x) ? "n/a" : x.ToString("0.0000", CultureInfo.InvariantCulture);

    internal static string Signed(double x) => double.IsFinite(x) ? x.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture) : F(x);

    internal static string FormatP(double p) => ComparisonAnalyzer.Format.P(p);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A run with its label and results, loaded for analysis.</summary>
    internal sealed record LoadedRun(string Label, EvaluationRun Run, IReadOnlyList<CaseResult> Results);
}
