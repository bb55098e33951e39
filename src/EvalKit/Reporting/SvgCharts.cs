using System.Globalization;
using System.Text;

namespace EvalKit.Reporting;

/// <summary>
/// Inline SVG charts drawn in C#: horizontal bars with error bars, box plots of latencies, a cost-quality scatter with the
/// Pareto front, and forest plots of differences. Every text is HTML-encoded; colors come from the Okabe-Ito palette.
/// </summary>
internal static class SvgCharts
{
    public const int Width = 760;
    private const int LabelWidth = 230;
    private const int RightMargin = 90;
    private const int RowHeight = 26;
    private const int Top = 10;
    private const int AxisHeight = 34;

    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

    public static string Color(int index) => Palette[index % Palette.Length];

    /// <summary>Horizontal bars from zero to each mean, with the interval as an error bar.</summary>
    public static string Bars(string id, string title, IReadOnlyList<BarRow> rows)
    {
        var finite = rows.Where(r => double.IsFinite(r.Mean)).ToList();
        var values = finite.SelectMany(r => new[] { r.Mean, r.Lower, r.Upper }).Where(double.IsFinite).Append(0).ToList();
        var scale = Scale.Linear(values.Min(), values.Max(), LabelWidth, Width - RightMargin);
        var height = Top + (rows.Count * RowHeight) + AxisHeight;
        var svg = Open(id, "chart bars", title, height);
        Grid(svg, scale, Top, height - AxisHeight);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + (i * RowHeight);
            var mid = y + (RowHeight / 2.0);
            RowLabel(svg, row.Label, mid);
            if (!double.IsFinite(row.Mean))
            {
                Text(svg, LabelWidth + 4, mid + 4, "n/a", "start", "value");
                continue;
            }

            var x0 = scale.Map(Math.Max(0, scale.Min));
            var x1 = scale.Map(row.Mean);
            svg.Append(I($"<rect class=\"bar\" x=\"{N(Math.Min(x0, x1))}\" y=\"{N(y + 5)}\" width=\"{N(Math.Max(1, Math.Abs(x1 - x0)))}\" height=\"{RowHeight - 10}\" fill=\"{Color(row.ColorIndex)}\"><title>"))
                .Append(Html.Encode(I($"{row.Label}: mean {ReportView.F4(row.Mean)}, interval [{ReportView.F4(row.Lower)}, {ReportView.F4(row.Upper)}], n = {row.N}")))
                .Append("</title></rect>");
            var end = x1;
            if (double.IsFinite(row.Lower) && double.IsFinite(row.Upper))
            {
                var lo = scale.Map(row.Lower);
                var hi = scale.Map(row.Upper);
                svg.Append(I($"<g class=\"error-bar\"><line x1=\"{N(lo)}\" y1=\"{N(mid)}\" x2=\"{N(hi)}\" y2=\"{N(mid)}\"/><line x1=\"{N(lo)}\" y1=\"{N(mid - 6)}\" x2=\"{N(lo)}\" y2=\"{N(mid + 6)}\"/><line x1=\"{N(hi)}\" y1=\"{N(mid - 6)}\" x2=\"{N(hi)}\" y2=\"{N(mid + 6)}\"/></g>"));
                end = Math.Max(end, hi);
            }

            Text(svg, end + 6, mid + 4, ReportView.F4(row.Mean), "start", "value");
        }

        Axis(svg, scale, height - AxisHeight, null);
        return Close(svg);
    }

    /// <summary>Box plots of latencies: whiskers p5–p95, box p25–p75, the median, and a dot at p99.</summary>
    public static string Latency(string id, string title, IReadOnlyList<LatencyRow> rows)
    {
        var all = rows.SelectMany(r => r.SortedMs).ToList();
        var max = all.Count == 0 ? 1 : rows.Where(r => r.SortedMs.Count > 0).Max(r => P(r.SortedMs, 99));
        const int LatencyRight = 160;
        var scale = Scale.Linear(0, max, LabelWidth, Width - LatencyRight);
        var height = Top + (rows.Count * RowHeight) + AxisHeight;
        var svg = Open(id, "chart latency", title, height);
        Grid(svg, scale, Top, height - AxisHeight);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + (i * RowHeight);
            var mid = y + (RowHeight / 2.0);
            RowLabel(svg, row.Label, mid);
            if (row.SortedMs.Count == 0)
            {
                Text(svg, LabelWidth + 4, mid + 4, "no measured calls", "start", "value");
                continue;
            }

            double p5 = P(row.SortedMs, 5), p25 = P(row.SortedMs, 25), p50 = P(row.SortedMs, 50), p75 = P(row.SortedMs, 75), p95 = P(row.SortedMs, 95), p99 = P(row.SortedMs, 99);
            var color = Color(row.ColorIndex);
            svg.Append(I($"<g class=\"box\"><title>"))
                .Append(Html.Encode(I($"{row.Label}: {row.SortedMs.Count} calls; p5 {ReportView.Ms(p5)}, p25 {ReportView.Ms(p25)}, median {ReportView.Ms(p50)}, p75 {ReportView.Ms(p75)}, p95 {ReportView.Ms(p95)}, p99 {ReportView.Ms(p99)} ms")))
                .Append("</title>")
                .Append(I($"<line class=\"whisker\" x1=\"{N(scale.Map(p5))}\" y1=\"{N(mid)}\" x2=\"{N(scale.Map(p95))}\" y2=\"{N(mid)}\"/>"))
                .Append(I($"<rect x=\"{N(scale.Map(p25))}\" y=\"{N(y + 5)}\" width=\"{N(Math.Max(1, scale.Map(p75) - scale.Map(p25)))}\" height=\"{RowHeight - 10}\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"{color}\"/>"))
                .Append(I($"<line class=\"median\" x1=\"{N(scale.Map(p50))}\" y1=\"{N(y + 4)}\" x2=\"{N(scale.Map(p50))}\" y2=\"{N(y + RowHeight - 4)}\" stroke=\"{color}\"/>"))
                .Append(I($"<circle cx=\"{N(scale.Map(p99))}\" cy=\"{N(mid)}\" r=\"3\" fill=\"{color}\"/></g>"));
            Text(svg, Width - LatencyRight + 12, mid + 4, I($"p50 {ReportView.Ms(p50)} · p95 {ReportView.Ms(p95)}"), "start", "value");
        }

        Axis(svg, scale, height - AxisHeight, "latency (ms)");
        return Close(svg);
    }

    /// <summary>Quality against cost per case, each point with its interval; the Pareto front (cheaper or better than every other) joined by a staircase.</summary>
    public static string CostQuality(string id, string title, string metric, string currency, IReadOnlyList<ScatterPoint> points)
    {
        const int Left = 70, Right = 170, Height = 340, Bottom = 46;
        var costs = points.Select(p => p.Cost).ToList();
        var log = costs.Min() > 0 && costs.Max() / costs.Min() > 20;
        var xs = log ? Scale.Log(costs.Min(), costs.Max(), Left, Width - Right) : Scale.Linear(0, costs.Max(), Left, Width - Right);
        var ys = points.SelectMany(p => new[] { p.Mean, p.Lower, p.Upper }).Where(double.IsFinite).ToList();
        var yScale = Scale.Linear(Math.Min(ys.Min(), ys.Max()), ys.Max(), Height - Bottom, Top + 6);
        var front = ParetoFront(points);
        var svg = Open(id, "chart scatter", title, Height);
        foreach (var t in yScale.Ticks)
        {
            svg.Append(I($"<line class=\"grid\" x1=\"{Left}\" y1=\"{N(yScale.Map(t))}\" x2=\"{Width - Right}\" y2=\"{N(yScale.Map(t))}\"/>"));
            Text(svg, Left - 6, yScale.Map(t) + 4, Tick(t), "end", "tick");
        }

        foreach (var t in xs.Ticks)
        {
            svg.Append(I($"<line class=\"grid\" x1=\"{N(xs.Map(t))}\" y1=\"{Top}\" x2=\"{N(xs.Map(t))}\" y2=\"{Height - Bottom}\"/>"));
            Text(svg, xs.Map(t), Height - Bottom + 16, Tick(t), "middle", "tick");
        }

        Text(svg, (Left + Width - Right) / 2.0, Height - 8, I($"cost per case ({currency}{(log ? ", log scale" : string.Empty)})"), "middle", "axis-title");
        svg.Append(I($"<text class=\"axis-title\" transform=\"translate(14 {N((Top + Height - Bottom) / 2.0)}) rotate(-90)\" text-anchor=\"middle\">")).Append(Html.Encode(metric)).Append("</text>");
        if (front.Count > 1)
        {
            var path = new StringBuilder();
            for (var k = 0; k < front.Count; k++)
            {
                var p = points[front[k]];
                if (k > 0)
                {
                    path.Append(I($" {N(xs.Map(p.Cost))},{N(yScale.Map(points[front[k - 1]].Mean))}"));
                }

                path.Append(I($" {N(xs.Map(p.Cost))},{N(yScale.Map(p.Mean))}"));
            }

            svg.Append("<polyline class=\"pareto\" points=\"").Append(path.ToString().Trim()).Append("\"><title>Pareto front: no other run is both cheaper and better</title></polyline>");
        }

        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var cx = xs.Map(p.Cost);
            var cy = yScale.Map(p.Mean);
            var color = Color(p.ColorIndex);
            var onFront = front.Contains(i);
            svg.Append("<g class=\"point").Append(onFront ? " front" : string.Empty).Append("\"><title>")
                .Append(Html.Encode(I($"{p.Label}: {metric} {ReportView.F4(p.Mean)} [{ReportView.F4(p.Lower)}, {ReportView.F4(p.Upper)}], cost per case {p.Cost.ToString("G4", CultureInfo.InvariantCulture)} {currency}{(onFront ? "; on the Pareto front" : string.Empty)}")))
                .Append("</title>");
            if (double.IsFinite(p.Lower) && double.IsFinite(p.Upper))
            {
                svg.Append(I($"<line class=\"error-bar\" x1=\"{N(cx)}\" y1=\"{N(yScale.Map(p.Lower))}\" x2=\"{N(cx)}\" y2=\"{N(yScale.Map(p.Upper))}\"/>"));
            }

            svg.Append(I($"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"6\" stroke=\"{color}\" stroke-width=\"2\" fill=\"{(onFront ? color : "#ffffff")}\"/></g>"));
            Text(svg, cx + 9, cy - 7, Html.Truncate(p.Label, 28), "start", "point-label");
        }

        return Close(svg);
    }

    /// <summary>Differences with their intervals around a zero line; significant ones are drawn solid.</summary>
    public static string Forest(string id, string title, IReadOnlyList<ForestRow> rows)
    {
        const int ForestLabels = 340;
        var values = rows.SelectMany(r => new[] { r.Difference, r.Lower, r.Upper }).Where(double.IsFinite).Append(0).ToList();
        var extent = Math.Max(Math.Abs(values.Min()), Math.Abs(values.Max()));
        var scale = Scale.Linear(-extent, extent, ForestLabels, Width - RightMargin);
        var height = Top + (rows.Count * RowHeight) + AxisHeight;
        var svg = Open(id, "chart forest", title, height);
        Grid(svg, scale, Top, height - AxisHeight);
        svg.Append(I($"<line class=\"zero\" x1=\"{N(scale.Map(0))}\" y1=\"{Top}\" x2=\"{N(scale.Map(0))}\" y2=\"{height - AxisHeight}\"/>"));
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var mid = Top + (i * RowHeight) + (RowHeight / 2.0);
            RowLabel(svg, row.Label, mid, ForestLabels, 52);
            if (!double.IsFinite(row.Difference))
            {
                continue;
            }

            var cls = row.Significant ? "diff significant" : "diff";
            svg.Append("<g class=\"").Append(cls).Append("\"><title>")
                .Append(Html.Encode(I($"{row.Label}: difference {ReportView.Signed(row.Difference)}, interval [{ReportView.Signed(row.Lower)}, {ReportView.Signed(row.Upper)}], adjusted p = {ReportView.P(row.AdjustedP)}{(row.Significant ? " (significant)" : string.Empty)}")))
                .Append("</title>");
            if (double.IsFinite(row.Lower) && double.IsFinite(row.Upper))
            {
                svg.Append(I($"<line x1=\"{N(scale.Map(row.Lower))}\" y1=\"{N(mid)}\" x2=\"{N(scale.Map(row.Upper))}\" y2=\"{N(mid)}\"/>"));
            }

            svg.Append(I($"<rect x=\"{N(scale.Map(row.Difference) - 5)}\" y=\"{N(mid - 5)}\" width=\"10\" height=\"10\"/></g>"));
            Text(svg, Width - RightMargin + 6, mid + 4, ReportView.Signed(row.Difference), "start", "value");
        }

        Axis(svg, scale, height - AxisHeight, "difference A − B");
        return Close(svg);
    }

    /// <summary>The indices of the non-dominated points, cheapest first (lower cost and higher mean are better).</summary>
    public static List<int> ParetoFront(IReadOnlyList<ScatterPoint> points)
    {
        var order = Enumerable.Range(0, points.Count).Where(i => double.IsFinite(points[i].Mean) && double.IsFinite(points[i].Cost))
            .OrderBy(i => points[i].Cost).ThenByDescending(i => points[i].Mean).ToList();
        var front = new List<int>();
        var best = double.NegativeInfinity;
        foreach (var i in order)
        {
            if (points[i].Mean > best)
            {
                front.Add(i);
                best = points[i].Mean;
            }
        }

        return front;
    }

    private static double P(List<double> sorted, double percent) => Statistics.Descriptive.PercentileOfSorted(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sorted), percent);

    private static StringBuilder Open(string id, string cls, string title, int height)
    {
        var svg = new StringBuilder();
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{Html.Encode(id)}\" class=\"{cls}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{Html.Encode(id)}-title\">"));
        svg.Append("<title id=\"").Append(Html.Encode(id)).Append("-title\">").Append(Html.Encode(title)).Append("</title>");
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void RowLabel(StringBuilder svg, string label, double mid, int labelWidth = LabelWidth, int maxChars = 34)
    {
        svg.Append(I($"<text class=\"row-label\" x=\"{labelWidth - 8}\" y=\"{N(mid + 4)}\" text-anchor=\"end\"><title>")).Append(Html.Encode(label)).Append("</title>")
            .Append(Html.Encode(Html.Truncate(label, maxChars))).Append("</text>");
    }

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, string cls) =>
        svg.Append(I($"<text class=\"{cls}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">")).Append(Html.Encode(text)).Append("</text>");

    private static void Grid(StringBuilder svg, Scale scale, double top, double bottom)
    {
        foreach (var t in scale.Ticks)
        {
            svg.Append(I($"<line class=\"grid\" x1=\"{N(scale.Map(t))}\" y1=\"{N(top)}\" x2=\"{N(scale.Map(t))}\" y2=\"{N(bottom)}\"/>"));
        }
    }

    private static void Axis(StringBuilder svg, Scale scale, double y, string? title)
    {
        svg.Append(I($"<line class=\"axis\" x1=\"{N(scale.From)}\" y1=\"{N(y)}\" x2=\"{N(scale.To)}\" y2=\"{N(y)}\"/>"));
        foreach (var t in scale.Ticks)
        {
            Text(svg, scale.Map(t), y + 14, Tick(t), "middle", "tick");
        }

        if (title is not null)
        {
            Text(svg, (scale.From + scale.To) / 2, y + 30, title, "middle", "axis-title");
        }
    }

    private static string Tick(double t) => Math.Abs(t) >= 100_000 || (t != 0 && Math.Abs(t) < 0.001)
        ? t.ToString("0.##e+0", CultureInfo.InvariantCulture)
        : t.ToString("0.###", CultureInfo.InvariantCulture);

    private static string N(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);

    private static string I(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A bar: label, mean and interval.</summary>
    internal readonly record struct BarRow(string Label, double Mean, double Lower, double Upper, int N, int ColorIndex);

    /// <summary>A run's latencies in milliseconds, sorted.</summary>
    internal readonly record struct LatencyRow(string Label, List<double> SortedMs, int ColorIndex);

    /// <summary>A run in the cost-quality plane.</summary>
    internal readonly record struct ScatterPoint(string Label, double Cost, double Mean, double Lower, double Upper, int ColorIndex);

    /// <summary>A difference with its interval.</summary>
    internal readonly record struct ForestRow(string Label, double Difference, double Lower, double Upper, double AdjustedP, bool Significant);

    /// <summary>A linear or logarithmic map from data to pixels, with round ticks.</summary>
    private sealed class Scale
    {
        private readonly Func<double, double> _transform;

        private Scale(double min, double max, double from, double to, Func<double, double> transform, IReadOnlyList<double> ticks)
        {
            Min = min;
            Max = max;
            From = from;
            To = to;
            _transform = transform;
            Ticks = ticks;
        }

        public double Min { get; }

        public double Max { get; }

        public double From { get; }

        public double To { get; }

        public IReadOnlyList<double> Ticks { get; }

        public static Scale Linear(double min, double max, double from, double to)
        {
            if (!(max > min))
            {
                (min, max) = max == 0 && min == 0 ? (0, 1) : (Math.Min(min, max) - (Math.Abs(min) * 0.1) - 1e-9, Math.Max(min, max) + (Math.Abs(max) * 0.1) + 1e-9);
            }

            var step = NiceStep((max - min) / 6);
            var lo = Math.Floor(min / step) * step;
            var hi = Math.Ceiling(max / step) * step;
            var ticks = new List<double>();
            for (var t = lo; t <= hi + (step / 2); t += step)
            {
                ticks.Add(Math.Round(t / step) * step);
            }

            return new Scale(lo, hi, from, to, v => (v - lo) / (hi - lo), ticks);
        }

        public static Scale Log(double min, double max, double from, double to)
        {
            var lo = Math.Floor(Math.Log10(min));
            var hi = Math.Ceiling(Math.Log10(max));
            if (hi <= lo)
            {
                hi = lo + 1;
            }

            var ticks = new List<double>();
            for (var e = lo; e <= hi; e++)
            {
                ticks.Add(Math.Pow(10, e));
            }

            return new Scale(Math.Pow(10, lo), Math.Pow(10, hi), from, to, v => (Math.Log10(v) - lo) / (hi - lo), ticks);
        }

        public double Map(double value) => From + ((To - From) * Math.Clamp(_transform(value), -0.02, 1.02));

        private static double NiceStep(double raw)
        {
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var residual = raw / magnitude;
            return (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10) * magnitude;
        }
    }
}
