using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>
/// One cell of an experiment's matrix, fixed when the experiment is created: a benchmark, a model, a prompt variant and an
/// options variant, with the id of the evaluation run that executes it (assigned up front, so that executing the
/// experiment again finds and resumes the run).
/// </summary>
public sealed record ExperimentVariant
{
    /// <summary>Gets the variant's position in the matrix (0-based): benchmarks, then models, then prompt variants, then options variants.</summary>
    public required int Index { get; init; }

    /// <summary>Gets the label shown in reports: the model id, then the prompt and options variant names and the benchmark when the experiment has several.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the benchmark id.</summary>
    public required string BenchmarkId { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the name of the prompt variant, or <see langword="null"/> when the benchmark's prompt is kept.</summary>
    public string? PromptVariant { get; init; }

    /// <summary>Gets the name of the options variant, or <see langword="null"/> when the base options are kept.</summary>
    public string? OptionsVariant { get; init; }

    /// <summary>Gets the options of the variant's run, resolved when the experiment was created.</summary>
    public required EvaluationOptions Options { get; init; }

    /// <summary>Gets the id of the variant's evaluation run.</summary>
    public required string RunId { get; init; }
}
