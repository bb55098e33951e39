using System.Text.Json;
using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class AgreementTests
{
    private static JsonElement Reference(string section)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "agreement.json");
        if (!File.Exists(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, "Reference", "agreement.json");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty(section).Clone();
    }

    private static double Expected(JsonElement c, string key) =>
        c.GetProperty(key).ValueKind == JsonValueKind.Null ? double.NaN : c.GetProperty(key).GetDouble();

    [Fact]
    public void CohensKappa_ReferenceCases_MatchNumpyFormula()
    {
        var cases = Reference("kappa");
        cases.GetArrayLength().Should().BeGreaterThan(5);
        foreach (var c in cases.EnumerateArray())
        {
            var a = c.GetProperty("a").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var b = c.GetProperty("b").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var name = c.GetProperty("name").GetString();

            Agreement.CohensKappa(a, b).Should().BeApproximately(Expected(c, "none"), 1e-12, name);
            Agreement.CohensKappa(a, b, AgreementWeighting.Linear).Should().BeApproximately(Expected(c, "linear"), 1e-12, name);
            Agreement.CohensKappa(a, b, AgreementWeighting.Quadratic).Should().BeApproximately(Expected(c, "quadratic"), 1e-12, name);
        }
    }

    [Fact]
    public void KrippendorffAlpha_ReferenceCases_MatchPairDefinition()
    {
        var cases = Reference("alpha");
        cases.GetArrayLength().Should().BeGreaterThan(3);
        foreach (var c in cases.EnumerateArray())
        {
            var rows = c.GetProperty("data").EnumerateArray()
                .Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray())
                .ToArray();
            var data = new double[rows.Length, rows[0].Length];
            for (var i = 0; i < rows.Length; i++)
            {
                for (var j = 0; j < rows[i].Length; j++)
                {
                    data[i, j] = rows[i][j];
                }
            }

            var name = c.GetProperty("name").GetString();
            foreach (var (level, key) in new[] { (AgreementLevel.Nominal, "nominal"), (AgreementLevel.Ordinal, "ordinal"), (AgreementLevel.Interval, "interval"), (AgreementLevel.Ratio, "ratio") })
            {
                Agreement.KrippendorffAlpha(data, level).Should().BeApproximately(Expected(c, key), 1e-12, $"{name} {key}");
            }
        }
    }

    [Fact]
    public void KrippendorffAlpha_Krippendorff2011Example_MatchesPublishedValues()
    {
        const double n = double.NaN;
        var data = new double[,]
        {
            { 1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n },
            { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3 },
            { n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n },
            { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n },
        };

        Math.Round(Agreement.KrippendorffAlpha(data, AgreementLevel.Nominal), 3).Should().Be(0.743);
        Math.Round(Agreement.KrippendorffAlpha(data, AgreementLevel.Ordinal), 3).Should().Be(0.815);
        Math.Round(Agreement.KrippendorffAlpha(data, AgreementLevel.Interval), 3).Should().Be(0.849);
        Math.Round(Agreement.KrippendorffAlpha(data, AgreementLevel.Ratio), 3).Should().Be(0.797);
    }

    [Fact]
    public void KrippendorffAlpha_NoPairableUnit_IsNaN()
    {
        var data = new double[,] { { 1, double.NaN }, { double.NaN, 2 } };

        Agreement.KrippendorffAlpha(data, AgreementLevel.Nominal).Should().Be(double.NaN);
    }

    [Fact]
    public void KrippendorffAlpha_AllEqual_IsNaN() =>
        Agreement.KrippendorffAlpha(new double[,] { { 3, 3 }, { 3, 3 } }, AgreementLevel.Interval).Should().Be(double.NaN);

    [Fact]
    public void KrippendorffAlpha_Infinity_Throws()
    {
        var act = () => Agreement.KrippendorffAlpha(new double[,] { { 1, double.PositiveInfinity } }, AgreementLevel.Interval);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void CohensKappa_SingleSharedLabel_IsNaN() =>
        Agreement.CohensKappa([1, 1, 1], [1, 1, 1]).Should().Be(double.NaN);

    [Fact]
    public void CohensKappa_LengthMismatch_Throws()
    {
        var act = () => Agreement.CohensKappa([1, 2], [1]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void CohensKappa_Symmetric()
    {
        int[] a = [1, 2, 3, 4, 5, 3, 2], b = [1, 3, 3, 4, 4, 3, 1];

        Agreement.CohensKappa(a, b, AgreementWeighting.Quadratic).Should().BeApproximately(Agreement.CohensKappa(b, a, AgreementWeighting.Quadratic), 1e-15);
    }
}
