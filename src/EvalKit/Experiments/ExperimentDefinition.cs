using EvalKit.Comparisons;
using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>
/// What an experiment runs: a matrix of variants, models × prompt variants × options variants, over one or more benchmark
/// suites, each variant starting from the same base options (the experiment's template of parameters).
/// </summary>
/// <remarks>
/// Every combination becomes one evaluation run. An empty <see cref="PromptVariants"/> list means one variant that keeps
/// each benchmark's prompt; an empty <see cref="OptionsVariants"/> list means one variant that keeps the base options.
/// </remarks>
public sealed record ExperimentDefinition
{
    private readonly IReadOnlyList<string> _benchmarkIds = [];
    private readonly IReadOnlyList<string> _modelIds = [];
    private readonly IReadOnlyList<PromptVariant> _promptVariants = [];
    private readonly IReadOnlyList<OptionsVariant> _optionsVariants = [];
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the name shown in reports.</summary>
    public required string Name { get; init; }

    /// <summary>Gets what the experiment is about.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the hypothesis the experiment tests, in words (such as "the concise prompt is at least as accurate and cheaper").</summary>
    public string? Hypothesis { get; init; }

    /// <summary>Gets the ids of the benchmark suites every variant is evaluated on; one or more, distinct.</summary>
    public required IReadOnlyList<string> BenchmarkIds
    {
        get => _benchmarkIds;
        init => _benchmarkIds = value is null ? [] : [.. value];
    }

    /// <summary>Gets the ids of the registered models; one or more, distinct.</summary>
    public required IReadOnlyList<string> ModelIds
    {
        get => _modelIds;
        init => _modelIds = value is null ? [] : [.. value];
    }

    /// <summary>Gets the prompt variants; empty for one variant that keeps each benchmark's prompt.</summary>
    public IReadOnlyList<PromptVariant> PromptVariants
    {
        get => _promptVariants;
        init => _promptVariants = value is null ? [] : [.. value];
    }

    /// <summary>Gets the options variants (such as temperatures); empty for one variant with the base options.</summary>
    public IReadOnlyList<OptionsVariant> OptionsVariants
    {
        get => _optionsVariants;
        init => _optionsVariants = value is null ? [] : [.. value];
    }

    /// <summary>
    /// Gets the base options every variant starts from (the experiment's template of parameters); when
    /// <see langword="null"/>, each benchmark's default options, then EvalKit's.
    /// </summary>
    public EvaluationOptions? Options { get; init; }

    /// <summary>Gets the metric that decides comparisons; the first benchmark's primary metric when <see langword="null"/>.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the significance level of the run comparisons, in (0, 1).</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Gets the multiplicity correction of the run comparisons.</summary>
    /// <value>The default value is <see cref="PValueCorrection.Holm"/>.</value>
    public PValueCorrection Correction { get; init; } = PValueCorrection.Holm;

    /// <summary>Gets the value of the primary metric at or above which a case passes (see <see cref="RunComparisonOptions.PassThreshold"/>).</summary>
    /// <value>The default value is 0.5.</value>
    public double PassThreshold { get; init; } = 0.5;

    /// <summary>Gets how many of the experiment's runs are evaluated at the same time (each run has its own <see cref="EvaluationOptions.MaxConcurrency"/>).</summary>
    /// <value>The default value is 2.</value>
    public int MaxConcurrentRuns { get; init; } = 2;

    /// <summary>Gets free-form tags, such as the team or the ticket.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = value is null || value.Count == 0 ? Empty.StringDictionary : new Dictionary<string, string>(value, StringComparer.Ordinal);
    }

    /// <summary>Gets the experiment id to use, or <see langword="null"/> to generate one.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the project the experiment (and each of its runs) belongs to, or <see langword="null"/> for none; it must exist in the tenant.</summary>
    public string? ProjectId { get; init; }

    /// <inheritdoc/>
    public bool Equals(ExperimentDefinition? other) =>
        other is not null
        && Name == other.Name && Description == other.Description && Hypothesis == other.Hypothesis
        && BenchmarkIds.SequenceEqual(other.BenchmarkIds, StringComparer.Ordinal) && ModelIds.SequenceEqual(other.ModelIds, StringComparer.Ordinal)
        && PromptVariants.SequenceEqual(other.PromptVariants) && OptionsVariants.SequenceEqual(other.OptionsVariants)
        && Equals(Options, other.Options) && PrimaryMetric == other.PrimaryMetric && Alpha.Equals(other.Alpha) && Correction == other.Correction
        && PassThreshold.Equals(other.PassThreshold) && MaxConcurrentRuns == other.MaxConcurrentRuns
        && Tags.Count == other.Tags.Count && Tags.All(t => other.Tags.TryGetValue(t.Key, out var v) && v == t.Value)
        && Id == other.Id && ProjectId == other.ProjectId;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, BenchmarkIds.Count, ModelIds.Count, Id);
}
