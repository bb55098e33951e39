using System.Globalization;
using System.Text.Json;
using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

/// <summary>Loads Reference/hypothesis_tests.json (written by Reference/generate_hypothesis_tests.py with scipy/statsmodels).</summary>
internal static class HypothesisReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "hypothesis_tests.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases(string section) => Root.GetProperty(section).EnumerateArray();

    public static double[] Data(JsonElement testCase, string field)
    {
        var key = testCase.GetProperty(field).GetString()!;
        return Root.GetProperty("data").GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    public static double Number(JsonElement testCase, string field) => Number(testCase.GetProperty(field));

    public static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        },
        _ => value.GetDouble(),
    };

    public static string Text(JsonElement testCase, string field) => testCase.GetProperty(field).GetString()!;

    public static Alternative Alternative(JsonElement testCase) => Text(testCase, "alternative") switch
    {
        "less" => EvalKit.Statistics.Alternative.Less,
        "greater" => EvalKit.Statistics.Alternative.Greater,
        _ => EvalKit.Statistics.Alternative.TwoSided,
    };

    /// <summary>1e-9 relative, or 1e-12 absolute near zero; NaN and infinities must match exactly.</summary>
    public static bool Close(double actual, double expected)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            return actual.Equals(expected);
        }

        return Math.Abs(actual - expected) <= Math.Max(1e-9 * Math.Abs(expected), 1e-12);
    }

    /// <summary>Compares and records a failure line (so one test reports every mismatch of its section).</summary>
    public static void Check(List<string> failures, string what, double actual, double expected)
    {
        if (!Close(actual, expected))
        {
            failures.Add(FormattableString.Invariant(
                $"{what}: expected {expected:R}, got {actual:R} (rel {Math.Abs(actual - expected) / Math.Abs(expected):E2})"));
        }
    }

    public static string Describe(JsonElement testCase)
    {
        var parts = new List<string>();
        foreach (var p in testCase.EnumerateObject())
        {
            if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False
                && p.Name is not ("a" or "b" or "d" or "x" or "y" or "p" or "source"))
            {
                parts.Add($"{p.Name}={p.Value}");
            }
        }

        return string.Join(" ", parts);
    }
}

public class HypothesisTestsReferenceTests
{
    private static void ShouldHaveNoFailures(List<string> failures, int checkedCases)
    {
        checkedCases.Should().BeGreaterThan(0);
        failures.Should().BeEmpty("every case must match scipy/statsmodels to 1e-9 relative; {0} cases were checked", checkedCases);
    }

    [Fact]
    public void TTests_ReferenceCases_MatchScipy()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("ttest"))
        {
            var a = HypothesisReference.Data(c, "a");
            var b = HypothesisReference.Data(c, "b");
            var alternative = HypothesisReference.Alternative(c);
            var result = HypothesisReference.Text(c, "kind") switch
            {
                "student" => HypothesisTests.StudentTTest(a, b, alternative),
                "welch" => HypothesisTests.WelchTTest(a, b, alternative),
                _ => HypothesisTests.PairedTTest(a, b, alternative),
            };
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " statistic", result.Statistic, HypothesisReference.Number(c, "statistic"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            HypothesisReference.Check(failures, what + " df", result.DegreesOfFreedom!.Value, HypothesisReference.Number(c, "df"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }

    [Fact]
    public void MannWhitneyU_ReferenceCases_MatchScipy()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("mannwhitneyu"))
        {
            var method = HypothesisReference.Text(c, "method") switch
            {
                "exact" => MannWhitneyMethod.Exact,
                "asymptotic" => MannWhitneyMethod.Asymptotic,
                _ => MannWhitneyMethod.Auto,
            };
            var result = HypothesisTests.MannWhitneyU(
                HypothesisReference.Data(c, "a"),
                HypothesisReference.Data(c, "b"),
                HypothesisReference.Alternative(c),
                method,
                c.GetProperty("continuity").GetBoolean());
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " U", result.Statistic, HypothesisReference.Number(c, "statistic"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }

    [Fact]
    public void Wilcoxon_ReferenceCases_MatchScipy()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("wilcoxon"))
        {
            var zeroMethod = HypothesisReference.Text(c, "zero_method") switch
            {
                "pratt" => WilcoxonZeroMethod.Pratt,
                "zsplit" => WilcoxonZeroMethod.Zsplit,
                _ => WilcoxonZeroMethod.Wilcox,
            };
            var method = HypothesisReference.Text(c, "method") switch
            {
                "exact" => WilcoxonMethod.Exact,
                "approx" => WilcoxonMethod.Approximate,
                _ => WilcoxonMethod.Auto,
            };
            var result = HypothesisTests.Wilcoxon(
                HypothesisReference.Data(c, "d"),
                HypothesisReference.Alternative(c),
                zeroMethod,
                c.GetProperty("correction").GetBoolean(),
                method);
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " T", result.Statistic, HypothesisReference.Number(c, "statistic"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }

    [Fact]
    public void Wilcoxon_TwoSampleForm_MatchesScipy()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("wilcoxon_two_sample"))
        {
            var method = HypothesisReference.Text(c, "method") == "exact" ? WilcoxonMethod.Exact : WilcoxonMethod.Approximate;
            var result = HypothesisTests.Wilcoxon(
                HypothesisReference.Data(c, "a"), HypothesisReference.Data(c, "b"), HypothesisReference.Alternative(c), method: method);
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " T", result.Statistic, HypothesisReference.Number(c, "statistic"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }

    [Fact]
    public void ChiSquareIndependence_ReferenceCases_MatchScipy()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("chi2_contingency"))
        {
            var rows = c.GetProperty("table").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            var table = new int[rows.Length, rows[0].Length];
            for (var i = 0; i < rows.Length; i++)
            {
                for (var j = 0; j < rows[0].Length; j++)
                {
                    table[i, j] = rows[i][j];
                }
            }

            var result = HypothesisTests.ChiSquareIndependence(table, c.GetProperty("correction").GetBoolean());
            var what = HypothesisReference.Describe(c);
            HypothesisReference.Check(failures, what + " chi2", result.Statistic, HypothesisReference.Number(c, "statistic"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            HypothesisReference.Check(failures, what + " dof", result.DegreesOfFreedom!.Value, HypothesisReference.Number(c, "dof"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }

    [Fact]
    public void FisherExact_ReferenceCases_MatchScipy()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("fisher_exact"))
        {
            var t = c.GetProperty("table").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetInt32())).ToArray();
            var result = HypothesisTests.FisherExact(t[0], t[1], t[2], t[3], HypothesisReference.Alternative(c));
            var what = HypothesisReference.Describe(c) + $" table=[{string.Join(",", t)}]";
            HypothesisReference.Check(failures, what + " OR", result.OddsRatio, HypothesisReference.Number(c, "odds_ratio"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }

    [Fact]
    public void McNemar_ReferenceCases_MatchStatsmodels()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in HypothesisReference.Cases("mcnemar"))
        {
            var method = HypothesisReference.Text(c, "method") switch
            {
                "midp" => McNemarMethod.MidP,
                "chi2_corrected" => McNemarMethod.ChiSquareCorrected,
                _ => McNemarMethod.Exact,
            };
            var b = c.GetProperty("b").GetInt32();
            var cc = c.GetProperty("c").GetInt32();
            var result = HypothesisTests.McNemar(b, cc, method);
            var what = $"b={b} c={cc} {method}";
            HypothesisReference.Check(failures, what + " statistic", result.Statistic, HypothesisReference.Number(c, "statistic"));
            HypothesisReference.Check(failures, what + " p", result.PValue, HypothesisReference.Number(c, "pvalue"));
            count++;
        }

        ShouldHaveNoFailures(failures, count);
    }
}
