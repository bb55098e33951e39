using EvalKit.Evaluation;
using Spectre.Console;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// Shows the progress of evaluation runs while they run, fed by <see cref="IProgress{T}"/> of <see cref="EvaluationProgress"/>:
/// live Spectre.Console bars on an interactive terminal, plain lines otherwise (output redirected to a file or a pipe,
/// a test's <see cref="StringWriter"/>, CI). Nothing else writes to the output while a display runs, and the reports are
/// handled synchronously on the reporting thread (never posted for later, as <see cref="Progress{T}"/> would), so no
/// progress text can land inside what is printed afterwards.
/// </summary>
internal abstract class ProgressDisplay
{
    /// <summary>Chooses the display for an output: Spectre.Console bars when it is the console of an interactive terminal
    /// that Spectre.Console considers interactive and ANSI-capable, plain lines otherwise.</summary>
    /// <param name="output">Where the quick-start writes.</param>
    /// <returns>The display.</returns>
    public static ProgressDisplay For(TextWriter output)
    {
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (console.Profile.Capabilities is { Interactive: true, Ansi: true })
            {
                return new LiveProgressDisplay(console);
            }
        }

        return new PlainProgressDisplay(output);
    }

    /// <summary>Runs work while showing the progress of its runs.</summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="items">The runs to show, in display order; reports of other runs are ignored.</param>
    /// <param name="work">The work; it passes the progress it is given to the evaluation engine.</param>
    /// <returns>The work's result.</returns>
    public abstract Task<T> RunAsync<T>(IReadOnlyList<ProgressItem> items, Func<IProgress<EvaluationProgress>, Task<T>> work);

    /// <summary>An <see cref="IProgress{T}"/> that calls back synchronously, on the thread that reports.</summary>
    protected sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        /// <inheritdoc/>
        public void Report(EvaluationProgress value) => report(value);
    }
}
