using EvalKit.Evaluation;
using Spectre.Console;

namespace EvalKit.Samples.QuickStart;

/// <summary>Live bars (Spectre.Console) for an interactive terminal; they stay on screen, complete, when the work ends.</summary>
internal sealed class LiveProgressDisplay(IAnsiConsole console) : ProgressDisplay
{
    /// <inheritdoc/>
    public override Task<T> RunAsync<T>(IReadOnlyList<ProgressItem> items, Func<IProgress<EvaluationProgress>, Task<T>> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = items.ToDictionary(
                    item => item.RunId,
                    item => context.AddTask(Markup.Escape(item.Label), maxValue: Math.Max(1, item.Total)),
                    StringComparer.Ordinal);
                var progress = new SynchronousProgress(report =>
                {
                    if (tasks.TryGetValue(report.RunId, out var task))
                    {
                        task.MaxValue = Math.Max(1, report.Total);
                        task.Value = report.Done;
                    }
                });
                try
                {
                    return await work(progress);
                }
                finally
                {
                    foreach (var task in tasks.Values)
                    {
                        task.StopTask();
                    }
                }
            });
}
