using EvalKit.Comparisons;
using EvalKit.Experiments;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>The body of <c>POST /experiments</c>: models × prompt variants × options variants over benchmarks.</summary>
internal sealed class ExperimentBody
{
    /// <summary>Gets the experiment id to use; generated when left out.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the name shown in reports.</summary>
    public string? Name { get; init; }

    /// <summary>Gets what the experiment is about.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the hypothesis, in words.</summary>
    public string? Hypothesis { get; init; }

    /// <summary>Gets the benchmarks; one or more.</summary>
    public IReadOnlyList<string?>? BenchmarkIds { get; init; }

    /// <summary>Gets the models; one or more.</summary>
    public IReadOnlyList<string?>? ModelIds { get; init; }

    /// <summary>Gets the prompt variants; none keeps each benchmark's prompt.</summary>
    public IReadOnlyList<PromptVariantBody?>? PromptVariants { get; init; }

    /// <summary>Gets the options variants; none keeps the base options.</summary>
    public IReadOnlyList<OptionsVariantBody?>? OptionsVariants { get; init; }

    /// <summary>Gets the base options of every variant.</summary>
    public OptionsBody? Options { get; init; }

    /// <summary>Gets the deciding metric.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the significance level of the run comparisons, in (0, 1).</summary>
    public double? Alpha { get; init; }

    /// <summary>Gets the multiplicity correction.</summary>
    public PValueCorrection? Correction { get; init; }

    /// <summary>Gets the value at or above which a case passes.</summary>
    public double? PassThreshold { get; init; }

    /// <summary>Gets how many runs are evaluated at once.</summary>
    public int? MaxConcurrentRuns { get; init; }

    /// <summary>Gets free-form tags.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>A prompt variant: what replaces the benchmark's prompt.</summary>
internal sealed class PromptVariantBody
{
    /// <summary>Gets the variant's name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the user prompt template.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Gets the system prompt.</summary>
    public string? SystemPrompt { get; init; }
}

/// <summary>An options variant: what replaces members of the base options.</summary>
internal sealed class OptionsVariantBody
{
    /// <summary>Gets the variant's name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the temperature.</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Gets the maximum output tokens.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the samples per case.</summary>
    public int? Repetitions { get; init; }
}

/// <summary>An experiment, as the API shows it.</summary>
internal sealed record ExperimentView(
    string Id,
    string Name,
    string? Description,
    string? Hypothesis,
    IReadOnlyList<string> BenchmarkIds,
    IReadOnlyList<string> ModelIds,
    string? PrimaryMetric,
    ExperimentStatus Status,
    bool Executing,
    IReadOnlyList<VariantView> Variants,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error)
{
    /// <summary>Shows an experiment.</summary>
    /// <param name="experiment">The stored experiment.</param>
    /// <param name="executing">Whether this host is executing it now.</param>
    /// <returns>The view.</returns>
    public static ExperimentView From(Experiment experiment, bool executing) => new(
        experiment.Id,
        experiment.Definition.Name,
        experiment.Definition.Description,
        experiment.Definition.Hypothesis,
        experiment.Definition.BenchmarkIds,
        experiment.Definition.ModelIds,
        experiment.Definition.PrimaryMetric,
        experiment.Status,
        executing,
        [.. experiment.Variants.Select(v => new VariantView(v.Index, v.Label, v.BenchmarkId, v.ModelId, v.PromptVariant, v.OptionsVariant, v.RunId))],
        experiment.CreatedAt,
        experiment.CompletedAt,
        experiment.Error);
}

/// <summary>One cell of an experiment's matrix.</summary>
internal sealed record VariantView(int Index, string Label, string BenchmarkId, string ModelId, string? PromptVariant, string? OptionsVariant, string RunId);
