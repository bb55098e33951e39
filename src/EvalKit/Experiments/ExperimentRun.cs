using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>
/// The record of one variant of an experiment being executed: which evaluation run executes it and how it ended.
/// Written when the variant's run starts and again when it ends.
/// </summary>
public sealed record ExperimentRun
{
    /// <summary>Gets the experiment id.</summary>
    public required string ExperimentId { get; init; }

    /// <summary>Gets the evaluation run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the variant's index in the experiment's matrix.</summary>
    public required int VariantIndex { get; init; }

    /// <summary>Gets the variant's label.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the benchmark id.</summary>
    public required string BenchmarkId { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the prompt variant's name, or <see langword="null"/>.</summary>
    public string? PromptVariant { get; init; }

    /// <summary>Gets the options variant's name, or <see langword="null"/>.</summary>
    public string? OptionsVariant { get; init; }

    /// <summary>Gets the evaluation run's status when this record was last written.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Gets when the variant's run was first started by the experiment.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the variant's run last ended (completed, failed or cancelled).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets why the variant's run last failed, if it did.</summary>
    public string? Error { get; init; }
}
