using EvalKit.Evaluation;

namespace EvalKit.Comparisons;

/// <summary>What an A/B test compares: two or more models on one benchmark, by one primary metric.</summary>
public sealed record AbTestDefinition
{
    private readonly IReadOnlyList<string> _modelIds = [];

    /// <summary>Gets the name shown in reports.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the ids of the registered models to compare; two or more, distinct. The first is "A", the second "B".</summary>
    public required IReadOnlyList<string> ModelIds
    {
        get => _modelIds;
        init => _modelIds = value is null ? [] : [.. value];
    }

    /// <summary>Gets the id of the benchmark every model is evaluated on.</summary>
    public required string BenchmarkId { get; init; }

    /// <summary>Gets the metric that decides the test; the benchmark's primary metric when <see langword="null"/>.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the significance level, in (0, 1), applied to the adjusted p-values.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Gets the design.</summary>
    /// <value>The default value is <see cref="AbTestDesign.Paired"/>.</value>
    public AbTestDesign Design { get; init; } = AbTestDesign.Paired;

    /// <summary>Gets the multiplicity correction over the pairwise comparisons.</summary>
    /// <value>The default value is <see cref="PValueCorrection.Holm"/>.</value>
    public PValueCorrection Correction { get; init; } = PValueCorrection.Holm;

    /// <summary>Gets the options of every run; the benchmark's (then EvalKit's) defaults when <see langword="null"/>.</summary>
    public EvaluationOptions? Options { get; init; }

    /// <summary>Gets the test id to use, or <see langword="null"/> to generate one.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the project the test (and each of its runs) belongs to, or <see langword="null"/> for none; it must exist in the tenant.</summary>
    public string? ProjectId { get; init; }

    /// <inheritdoc/>
    public bool Equals(AbTestDefinition? other) =>
        other is not null
        && Name == other.Name && ModelIds.SequenceEqual(other.ModelIds, StringComparer.Ordinal) && BenchmarkId == other.BenchmarkId
        && PrimaryMetric == other.PrimaryMetric && Alpha.Equals(other.Alpha) && Design == other.Design && Correction == other.Correction
        && Equals(Options, other.Options) && Id == other.Id && ProjectId == other.ProjectId;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, BenchmarkId, ModelIds.Count);
}
