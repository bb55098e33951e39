using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>One run of a <see cref="RunComparison"/>: its label (the name used in the comparison's tables) and its summary.</summary>
public sealed record ComparedRun
{
    /// <summary>Gets the label; the comparison's <see cref="Comparisons.ArmSummary.ModelId"/> and pair names use it.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the benchmark id, when the run evaluated a benchmark.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the run's summary, when it has one.</summary>
    public EvaluationSummary? Summary { get; init; }
}
