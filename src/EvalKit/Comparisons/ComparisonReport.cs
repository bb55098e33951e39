using System.Globalization;
using System.Text;

namespace EvalKit.Comparisons;

/// <summary>Renders <see cref="ComparisonResults"/> as aligned plain-text tables followed by the verdict.</summary>
internal static class ComparisonReport
{
    public static string Render(ComparisonResults results, string title)
    {
        var level = (1 - results.Alpha) * 100;
        var text = new StringBuilder();
        text.AppendLine(title);
        text.AppendLine(Invariant($"Metric: {results.Metric}; design: {(results.Design == AbTestDesign.Paired ? "paired" : "unpaired")}; correction: {ComparisonAnalyzer.Describe(results.Correction)}; alpha: {results.Alpha}"));
        text.AppendLine();

        var modelRows = results.Models.Select(m => new[]
        {
            m.ModelId, F(m.Mean), F(m.StandardError),
            Invariant($"[{F(m.ConfidenceInterval.Lower)}, {F(m.ConfidenceInterval.Upper)}]"),
            Invariant($"{m.N}"), Invariant($"{m.MissingCases}"),
            m.MeanLatency is { } l ? Invariant($"{l.TotalMilliseconds:0.0}") : "-",
            m.MeanCost is { } c ? c.ToString("G4", CultureInfo.InvariantCulture) : "-",
        }).ToList();
        Table(text, ["Model", "Mean", "SE", Invariant($"{level:0.##}% CI"), "n", "missing", "latency ms", "cost/case"], modelRows);
        text.AppendLine();

        var pairRows = results.Pairs.Select(p => new[]
        {
            $"{p.ModelA} vs {p.ModelB}", Signed(p.MeanDifference),
            Invariant($"[{Signed(p.ConfidenceInterval.Lower)}, {Signed(p.ConfidenceInterval.Upper)}]"),
            p.TestName, F(p.Statistic), ComparisonAnalyzer.Format.P(p.PValue), ComparisonAnalyzer.Format.P(p.AdjustedPValue),
            Invariant($"{F(p.EffectSize)} ({p.EffectSizeName})"), p.ItemCorrelation is { } r ? F(r) : "-",
            Invariant($"{p.CountA}"), Invariant($"{p.DroppedCases}"), p.Significant ? "yes" : "no",
        }).ToList();
        Table(text, ["Pair (A vs B)", "A - B", Invariant($"{level:0.##}% CI"), "Test", "Statistic", "p", "p adj", "Effect", "rho", "n", "dropped", "Significant"], pairRows);

        var secondary = results.Pairs.SelectMany(p => new[] { (p, d: p.Latency), (p, d: p.Cost) })
            .Where(x => x.d is not null)
            .Select(x => new[]
            {
                $"{x.p.ModelA} vs {x.p.ModelB}", x.d!.Name, Signed(x.d.MeanDifference), Signed(x.d.MedianDifference), x.d.TestName,
                ComparisonAnalyzer.Format.P(x.d.PValue), Invariant($"{x.d.N}"),
            }).ToList();
        if (secondary.Count > 0)
        {
            text.AppendLine();
            Table(text, ["Pair (A vs B)", "Measure", "Mean A - B", "Median A - B", "Test", "p", "n"], secondary);
        }

        text.AppendLine();
        text.Append("Verdict: ").AppendLine(results.Verdict);
        if (results.Winner is not null)
        {
            text.Append("Winner: ").AppendLine(results.Winner);
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    text.Append("  ");
                }

                text.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
            }

            text.AppendLine();
        }

        Line(headers);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            Line(row);
        }
    }

    private static string F(double x) => double.IsNaN(x) ? "-" : double.IsInfinity(x) ? (x > 0 ? "inf" : "-inf") : x.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Signed(double x) => double.IsFinite(x) ? x.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture) : F(x);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
