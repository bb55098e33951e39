using System.Globalization;
using EvalKit.Evaluation;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// Plain lines for output that is not an interactive terminal: one line per run when it reaches 25%, 50%, 75% and 100%,
/// such as <c>Progress   local/oracle-large: 30/60 results (50%)</c>.
/// </summary>
internal sealed class PlainProgressDisplay(TextWriter output) : ProgressDisplay
{
    /// <summary>The start of every progress line.</summary>
    public const string Prefix = "Progress   ";

    private static readonly int[] Milestones = [25, 50, 75, 100];

    /// <inheritdoc/>
    public override async Task<T> RunAsync<T>(IReadOnlyList<ProgressItem> items, Func<IProgress<EvaluationProgress>, Task<T>> work)
    {
        var labels = items.ToDictionary(i => i.RunId, i => i.Label, StringComparer.Ordinal);
        var reached = items.ToDictionary(i => i.RunId, _ => 0, StringComparer.Ordinal);
        var gate = new Lock();
        lock (gate)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Prefix}evaluating {string.Join(", ", items.Select(i => i.Label))}: {items.Sum(i => i.Total):N0} results"));
        }

        var progress = new SynchronousProgress(report =>
        {
            if (!labels.TryGetValue(report.RunId, out var label))
            {
                return;
            }

            var percent = report.Total == 0 ? 100 : (int)(100 * report.Done / report.Total);
            lock (gate)
            {
                var milestone = Milestones.LastOrDefault(m => m <= percent);
                if (milestone <= reached[report.RunId])
                {
                    return;
                }

                reached[report.RunId] = milestone;
                var failed = report.Failed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {report.Failed} failed") : string.Empty;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{label}: {report.Done}/{report.Total} results ({percent}%{failed})"));
            }
        });
        return await work(progress);
    }
}
