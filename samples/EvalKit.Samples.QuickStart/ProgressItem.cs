namespace EvalKit.Samples.QuickStart;

/// <summary>One bar of the progress display: an evaluation run, its label and the results it will produce.</summary>
/// <param name="RunId">The run id that <see cref="Evaluation.EvaluationProgress.RunId"/> reports.</param>
/// <param name="Label">What the line shows, such as the model id.</param>
/// <param name="Total">The results the run will produce (updated by the reports).</param>
internal sealed record ProgressItem(string RunId, string Label, long Total);
