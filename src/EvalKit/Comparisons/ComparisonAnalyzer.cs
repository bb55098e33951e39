using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Statistics;

namespace EvalKit.Comparisons;

/// <summary>
/// The pairwise analysis shared by A/B tests and stored-run comparisons. Per-case values are the mean over a case's
/// successful repetitions; the test choice rule is documented on <see cref="IAbTestService"/>.
/// </summary>
internal static class ComparisonAnalyzer
{
    public const string McNemarExact = "McNemar exact";
    public const string PairedT = "paired t";
    public const string WilcoxonSignedRank = "Wilcoxon signed-rank";
    public const string FisherExact = "Fisher exact";
    public const string WelchT = "Welch t";
    public const string MannWhitneyU = "Mann-Whitney U";
    public const string RiskDifference = "risk difference";
    public const string CohensDz = "Cohen's d_z";
    public const string CohensD = "Cohen's d";

    /// <summary>The smallest number of pairs for which the paired t-test replaces the Wilcoxon signed-rank test.</summary>
    public const int PairedTMinimum = 30;

    public static Analysis Analyze(IReadOnlyList<Arm> arms, string metric, AbTestDesign design, PValueCorrection correction, double alpha)
    {
        var data = arms.Select(a => (Arm: a, Cases: PerCase(a.Results, metric))).ToList();
        if (data.All(d => d.Cases.Values.All(v => v.Score is null)))
        {
            var names = arms.SelectMany(a => a.Results).SelectMany(r => r.Scores).Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            throw new ArgumentException($"No result carries a value for metric '{metric}'. Metrics present: {string.Join(", ", names)}.", nameof(metric));
        }

        var confidence = 1 - alpha;
        var models = data.Select(d => Summarize(d.Arm, d.Cases, confidence)).ToList();

        var pairs = new List<PairComparison>();
        for (var i = 0; i < data.Count; i++)
        {
            for (var j = i + 1; j < data.Count; j++)
            {
                pairs.Add(design == AbTestDesign.Paired
                    ? ComparePaired(data[i].Arm.ModelId, data[i].Cases, data[j].Arm.ModelId, data[j].Cases, alpha)
                    : CompareUnpaired(data[i].Arm.ModelId, data[i].Cases, data[j].Arm.ModelId, data[j].Cases, alpha));
            }
        }

        var raw = pairs.Select(p => p.PValue).ToArray();
        var adjusted = correction switch
        {
            PValueCorrection.Holm => MultipleComparisons.Holm(raw),
            PValueCorrection.BenjaminiHochberg => MultipleComparisons.BenjaminiHochberg(raw),
            PValueCorrection.Bonferroni => MultipleComparisons.Bonferroni(raw),
            _ => raw,
        };
        for (var k = 0; k < pairs.Count; k++)
        {
            pairs[k] = pairs[k] with { AdjustedPValue = adjusted[k], Significant = adjusted[k] < alpha && pairs[k].MeanDifference != 0 };
        }

        var winner = FindWinner(models.Select(m => m.ModelId).ToList(), pairs);
        int? required = null;
        if (winner is null)
        {
            var top = models.Where(m => m.N > 0).OrderByDescending(m => m.Mean).Take(2).Select(m => m.ModelId).ToList();
            if (top.Count == 2)
            {
                required = pairs.First(p => top.Contains(p.ModelA) && top.Contains(p.ModelB)).RequiredSampleSize;
            }
        }

        return new Analysis(models, pairs, winner, Verdict(metric, alpha, correction, pairs, winner, required), required);
    }

    public static PairComparison Mirror(PairComparison p) => p with
    {
        ModelA = p.ModelB,
        ModelB = p.ModelA,
        CountA = p.CountB,
        CountB = p.CountA,
        MeanA = p.MeanB,
        MeanB = p.MeanA,
        MeanDifference = -p.MeanDifference,
        ConfidenceInterval = new Interval(-p.ConfidenceInterval.Upper, -p.ConfidenceInterval.Lower),
        Statistic = p.TestName is PairedT or WelchT ? -p.Statistic : p.TestName == FisherExact ? 1 / p.Statistic : p.Statistic,
        EffectSize = -p.EffectSize,
        OnlyAPassed = p.OnlyBPassed,
        OnlyBPassed = p.OnlyAPassed,
        Latency = p.Latency is null ? null : p.Latency with { MeanDifference = -p.Latency.MeanDifference, MedianDifference = -p.Latency.MedianDifference },
        Cost = p.Cost is null ? null : p.Cost with { MeanDifference = -p.Cost.MeanDifference, MedianDifference = -p.Cost.MedianDifference },
    };

    internal static SortedDictionary<long, CaseValues> PerCase(IReadOnlyList<CaseResult> results, string metric)
    {
        var cases = new SortedDictionary<long, CaseValues>();
        foreach (var group in results.GroupBy(r => r.CaseOrdinal))
        {
            var scores = group.Where(r => r.Succeeded).Select(r => r.GetScore(metric)?.Value).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
            var latencies = group.Where(r => r.Succeeded && r.Latency is not null).Select(r => r.Latency!.Value.TotalMilliseconds).ToList();
            var costs = group.Where(r => r.Succeeded && r.Cost is not null).Select(r => (double)r.Cost!.Value).ToList();
            cases[group.Key] = new CaseValues(
                scores.Count > 0 ? scores.Average() : null,
                latencies.Count > 0 ? latencies.Average() : null,
                costs.Count > 0 ? costs.Average() : null);
        }

        return cases;
    }

    private static ArmSummary Summarize(Arm arm, SortedDictionary<long, CaseValues> cases, double confidence)
    {
        var values = cases.Values.Where(v => v.Score is not null).Select(v => v.Score!.Value).ToArray();
        var latencies = cases.Values.Where(v => v.LatencyMs is not null).Select(v => v.LatencyMs!.Value).ToArray();
        var costs = cases.Values.Where(v => v.Cost is not null).Select(v => v.Cost!.Value).ToArray();
        var mean = values.Length > 0 ? values.Average() : double.NaN;
        var se = values.Length >= 2 ? StandardErrors.Mean(values) : double.NaN;
        return new ArmSummary
        {
            ModelId = arm.ModelId,
            RunId = arm.RunId,
            Mean = mean,
            StandardError = se,
            ConfidenceInterval = NormalInterval(mean, se, confidence),
            N = values.Length,
            MissingCases = cases.Count - values.Length,
            MeanLatency = latencies.Length > 0 ? TimeSpan.FromMilliseconds(latencies.Average()) : null,
            MeanCost = costs.Length > 0 ? costs.Average() : null,
        };
    }

    private static PairComparison ComparePaired(string nameA, SortedDictionary<long, CaseValues> armA, string nameB, SortedDictionary<long, CaseValues> armB, double alpha)
    {
        var ordinals = armA.Keys.Union(armB.Keys).ToList();
        var common = ordinals.Where(o => armA.GetValueOrDefault(o).Score is not null && armB.GetValueOrDefault(o).Score is not null).ToList();
        var a = common.Select(o => armA[o].Score!.Value).ToArray();
        var b = common.Select(o => armB[o].Score!.Value).ToArray();
        var n = a.Length;
        var dropped = ordinals.Count - n;
        var latency = PairedDifference("latency_ms", armA, armB, v => v.LatencyMs);
        var cost = PairedDifference("cost", armA, armB, v => v.Cost);
        var binary = a.All(IsBinary) && b.All(IsBinary);
        if (n == 0)
        {
            return new PairComparison
            {
                ModelA = nameA, ModelB = nameB, DroppedCases = dropped, MeanA = double.NaN, MeanB = double.NaN, MeanDifference = 0,
                StandardError = double.NaN, ConfidenceInterval = new Interval(double.NaN, double.NaN), TestName = "none (no paired cases)",
                PValue = 1, EffectSize = double.NaN, EffectSizeName = binary ? RiskDifference : CohensDz, Latency = latency, Cost = cost,
            };
        }

        var d = new double[n];
        for (var i = 0; i < n; i++)
        {
            d[i] = a[i] - b[i];
        }

        var meanDiff = d.Average();
        var se = n >= 2 ? StandardErrors.Paired(a, b) : double.NaN;
        var sd = n >= 2 ? Descriptive.StandardDeviation(d) : double.NaN;
        var correlation = TryOrNull(() => Correlation.Pearson(a, b).Coefficient);
        var result = new PairComparison
        {
            ModelA = nameA,
            ModelB = nameB,
            CountA = n,
            CountB = n,
            DroppedCases = dropped,
            MeanA = a.Average(),
            MeanB = b.Average(),
            MeanDifference = meanDiff,
            StandardError = se,
            TestName = string.Empty,
            EffectSizeName = string.Empty,
            ItemCorrelation = correlation,
            Latency = latency,
            Cost = cost,
        };

        if (binary)
        {
            int onlyA = 0, onlyB = 0;
            for (var i = 0; i < n; i++)
            {
                onlyA += a[i] == 1 && b[i] == 0 ? 1 : 0;
                onlyB += a[i] == 0 && b[i] == 1 ? 1 : 0;
            }

            var test = HypothesisTests.McNemar(onlyA, onlyB);
            return result with
            {
                TestName = McNemarExact,
                Statistic = test.Statistic,
                PValue = test.PValue,
                ConfidenceInterval = NormalInterval(meanDiff, se, 1 - alpha),
                EffectSize = (double)(onlyA - onlyB) / n,
                EffectSizeName = RiskDifference,
                OnlyAPassed = onlyA,
                OnlyBPassed = onlyB,
                RequiredSampleSize = onlyA == onlyB ? null : TryOrNull(() => Power.RequiredSampleSizePairedProportions((double)onlyA / n, (double)onlyB / n, alpha)),
            };
        }

        TestResult continuous;
        string name;
        if (n >= PairedTMinimum)
        {
            name = PairedT;
            continuous = TryTest(() => HypothesisTests.PairedTTest(a, b), d);
        }
        else
        {
            name = WilcoxonSignedRank;
            continuous = TryTest(() => HypothesisTests.Wilcoxon(a, b), d, rank: true);
        }

        return result with
        {
            TestName = name,
            Statistic = continuous.Statistic,
            DegreesOfFreedom = continuous.DegreesOfFreedom,
            PValue = continuous.PValue,
            ConfidenceInterval = n >= 2 ? StudentInterval(meanDiff, se, n - 1, 1 - alpha) : new Interval(double.NaN, double.NaN),
            EffectSize = TryOrNull(() => EffectSizes.PairedCohensDz(a, b)) ?? Degenerate(meanDiff),
            EffectSizeName = CohensDz,
            RequiredSampleSize = meanDiff != 0 && sd > 0 ? TryOrNull(() => Power.RequiredSampleSize(Math.Abs(meanDiff), sd, alpha)) : null,
        };
    }

    private static PairComparison CompareUnpaired(string nameA, SortedDictionary<long, CaseValues> armA, string nameB, SortedDictionary<long, CaseValues> armB, double alpha)
    {
        var a = armA.Values.Where(v => v.Score is not null).Select(v => v.Score!.Value).ToArray();
        var b = armB.Values.Where(v => v.Score is not null).Select(v => v.Score!.Value).ToArray();
        var binary = a.All(IsBinary) && b.All(IsBinary);
        var meanA = a.Length > 0 ? a.Average() : double.NaN;
        var meanB = b.Length > 0 ? b.Average() : double.NaN;
        var meanDiff = a.Length > 0 && b.Length > 0 ? meanA - meanB : 0;
        var se = a.Length >= 2 && b.Length >= 2 ? StandardErrors.Unpaired(a, b) : double.NaN;
        var result = new PairComparison
        {
            ModelA = nameA,
            ModelB = nameB,
            CountA = a.Length,
            CountB = b.Length,
            MeanA = meanA,
            MeanB = meanB,
            MeanDifference = meanDiff,
            StandardError = se,
            TestName = binary ? FisherExact : WelchT,
            EffectSizeName = binary ? RiskDifference : CohensD,
            PValue = 1,
            Latency = UnpairedDifference("latency_ms", armA, armB, v => v.LatencyMs),
            Cost = UnpairedDifference("cost", armA, armB, v => v.Cost),
        };
        if (a.Length == 0 || b.Length == 0)
        {
            return result with { ConfidenceInterval = new Interval(double.NaN, double.NaN), EffectSize = double.NaN };
        }

        if (binary)
        {
            var sA = a.Count(x => x == 1);
            var sB = b.Count(x => x == 1);
            var fisher = HypothesisTests.FisherExact(sA, a.Length - sA, sB, b.Length - sB);
            return result with
            {
                Statistic = fisher.OddsRatio,
                PValue = fisher.PValue,
                ConfidenceInterval = NormalInterval(meanDiff, se, 1 - alpha),
                EffectSize = meanDiff,
                RequiredSampleSize = meanDiff == 0 ? null : TryOrNull(() => Power.RequiredSampleSizeProportions(meanA, meanB, alpha)),
            };
        }

        var welch = a.Length >= 2 && b.Length >= 2 ? TryOrNull(() => HypothesisTests.WelchTTest(a, b)) : null;
        var sd = a.Length >= 2 && b.Length >= 2 ? Math.Sqrt(Descriptive.Variance(a) + Descriptive.Variance(b)) : double.NaN;
        return result with
        {
            Statistic = welch?.Statistic ?? Degenerate(meanDiff),
            DegreesOfFreedom = welch?.DegreesOfFreedom,
            PValue = welch?.PValue ?? (meanDiff == 0 ? 1 : 0),
            ConfidenceInterval = welch?.DegreesOfFreedom is { } df ? StudentInterval(meanDiff, se, df, 1 - alpha) : NormalInterval(meanDiff, se, 1 - alpha),
            EffectSize = TryOrNull(() => EffectSizes.CohensD(a, b)) ?? Degenerate(meanDiff),
            RequiredSampleSize = meanDiff != 0 && sd > 0 ? TryOrNull(() => Power.RequiredSampleSize(Math.Abs(meanDiff), sd, alpha)) : null,
        };
    }

    private static MetricDifference? PairedDifference(string name, SortedDictionary<long, CaseValues> armA, SortedDictionary<long, CaseValues> armB, Func<CaseValues, double?> select)
    {
        var d = armA.Where(p => select(p.Value) is not null && armB.TryGetValue(p.Key, out var other) && select(other) is not null)
            .Select(p => select(p.Value)!.Value - select(armB[p.Key])!.Value).ToArray();
        if (d.Length == 0)
        {
            return null;
        }

        var test = TryTest(() => HypothesisTests.Wilcoxon(d), d, rank: true);
        return new MetricDifference
        {
            Name = name,
            N = d.Length,
            MeanDifference = d.Average(),
            MedianDifference = Descriptive.Percentile(d, 50),
            TestName = WilcoxonSignedRank,
            Statistic = test.Statistic,
            PValue = test.PValue,
        };
    }

    private static MetricDifference? UnpairedDifference(string name, SortedDictionary<long, CaseValues> armA, SortedDictionary<long, CaseValues> armB, Func<CaseValues, double?> select)
    {
        var a = armA.Values.Select(select).Where(v => v is not null).Select(v => v!.Value).ToArray();
        var b = armB.Values.Select(select).Where(v => v is not null).Select(v => v!.Value).ToArray();
        if (a.Length == 0 || b.Length == 0)
        {
            return null;
        }

        var test = TryOrNull(() => HypothesisTests.MannWhitneyU(a, b)) ?? new TestResult(a.Length * b.Length / 2.0, 1);
        return new MetricDifference
        {
            Name = name,
            N = a.Length + b.Length,
            MeanDifference = a.Average() - b.Average(),
            MedianDifference = Descriptive.Percentile(a, 50) - Descriptive.Percentile(b, 50),
            TestName = MannWhitneyU,
            Statistic = test.Statistic,
            PValue = test.PValue,
        };
    }

    private static string? FindWinner(IReadOnlyList<string> models, IReadOnlyList<PairComparison> pairs)
    {
        foreach (var model in models)
        {
            var beatsAll = pairs.Where(p => p.ModelA == model || p.ModelB == model)
                .All(p => p.Significant && (p.ModelA == model ? p.MeanDifference > 0 : p.MeanDifference < 0));
            if (beatsAll)
            {
                return model;
            }
        }

        return null;
    }

    private static string Verdict(string metric, double alpha, PValueCorrection correction, IReadOnlyList<PairComparison> pairs, string? winner, int? required)
    {
        var adjustment = correction == PValueCorrection.None ? "unadjusted" : $"{Describe(correction)}-adjusted";
        if (winner is not null)
        {
            var beaten = pairs.Where(p => p.ModelA == winner || p.ModelB == winner).Select(p => p.ModelA == winner ? p : Mirror(p)).ToList();
            var details = string.Join("; ", beaten.Select(p => Invariant($"vs {p.ModelB}: difference {p.MeanDifference:+0.0000;-0.0000}, {p.TestName}, {adjustment} p = {Format.P(p.AdjustedPValue)}")));
            return Invariant($"{winner} is significantly better on '{metric}' at alpha {alpha} ({details}).");
        }

        var sampleSize = required is { } r
            ? Invariant($" Detecting the observed difference between the two best models with 80% power would need about {r} cases.")
            : " The two best models' observed difference is zero, so no sample size would detect it.";
        var significant = pairs.Where(p => p.Significant).Select(p => p.MeanDifference > 0 ? p : Mirror(p)).ToList();
        if (significant.Count == 0)
        {
            return Invariant($"no significant difference on '{metric}' at alpha {alpha} ({adjustment} p-values).{sampleSize}");
        }

        var list = string.Join(", ", significant.Select(p => Invariant($"{p.ModelA} > {p.ModelB} (p = {Format.P(p.AdjustedPValue)})")));
        return Invariant($"no single model is significantly better than all others on '{metric}' at alpha {alpha}; significant pairs: {list}.{sampleSize}");
    }

    internal static string Describe(PValueCorrection correction) => correction switch
    {
        PValueCorrection.Holm => "Holm",
        PValueCorrection.BenjaminiHochberg => "Benjamini-Hochberg",
        PValueCorrection.Bonferroni => "Bonferroni",
        _ => "none",
    };

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static bool IsBinary(double x) => x is 0 or 1;

    private static double Degenerate(double meanDiff) => meanDiff == 0 ? 0 : meanDiff > 0 ? double.PositiveInfinity : double.NegativeInfinity;

    // The tests reject degenerate samples (all differences equal); then the evidence is total (p = 0) unless they are all zero (p = 1).
    private static TestResult TryTest(Func<TestResult> test, double[] d, bool rank = false)
    {
        try
        {
            return test();
        }
        catch (ArgumentException)
        {
            var mean = d.Length > 0 ? d.Average() : 0;
            return new TestResult(rank ? 0 : Degenerate(mean), mean == 0 ? 1 : 0);
        }
    }

    private static T? TryOrNull<T>(Func<T> compute)
        where T : struct
    {
        try
        {
            return compute();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Interval NormalInterval(double estimate, double se, double confidence) =>
        double.IsFinite(estimate) && double.IsFinite(se) ? ConfidenceIntervals.Normal(estimate, se, confidence) : new Interval(double.NaN, double.NaN);

    private static Interval StudentInterval(double estimate, double se, double df, double confidence) =>
        double.IsFinite(estimate) && double.IsFinite(se) && df > 0 ? ConfidenceIntervals.StudentT(estimate, se, df, confidence) : new Interval(double.NaN, double.NaN);

    /// <summary>One model's run and its results.</summary>
    internal sealed record Arm(string ModelId, string RunId, IReadOnlyList<CaseResult> Results);

    /// <summary>A case's values: repetitions averaged, failed calls left out; <see langword="null"/> when none remains.</summary>
    internal readonly record struct CaseValues(double? Score, double? LatencyMs, double? Cost);

    /// <summary>The analysis.</summary>
    internal sealed record Analysis(IReadOnlyList<ArmSummary> Models, IReadOnlyList<PairComparison> Pairs, string? Winner, string Verdict, int? RequiredSampleSize);

    /// <summary>Number formatting shared with the report.</summary>
    internal static class Format
    {
        public static string P(double p) => p < 0.0001 ? p.ToString("0.00e+0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);
    }
}
