using EvalKit.Evaluation;

namespace EvalKit.Datasets;

/// <summary>
/// A benchmark suite: a stored dataset, the prompt that wraps each case, the scorers and the primary metric.
/// </summary>
public sealed record Benchmark
{
    private readonly string? _promptTemplate;
    private readonly string? _version;
    private readonly IReadOnlyList<string> _scorers = [];
    private readonly IReadOnlyList<FewShotExample> _fewShot = [];

    /// <summary>Gets the benchmark id, unique in the store.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the version of the suite.</summary>
    /// <value>The default value is <c>"1"</c>.</value>
    public string Version
    {
        get => _version ?? "1";
        init => _version = value;
    }

    /// <summary>Gets the id of the stored dataset the suite evaluates.</summary>
    public required string DatasetId { get; init; }

    /// <summary>Gets the user prompt template: <c>{{input}}</c> and <c>{{metadata.key}}</c> are replaced per case.</summary>
    /// <value>The default value is <c>"{{input}}"</c>.</value>
    public string PromptTemplate
    {
        get => _promptTemplate ?? "{{input}}";
        init => _promptTemplate = value;
    }

    /// <summary>Gets the system prompt, if any.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets worked examples sent before every case, as user/assistant turns after the system prompt.</summary>
    public IReadOnlyList<FewShotExample> FewShot
    {
        get => _fewShot;
        init => _fewShot = value is null ? [] : [.. value];
    }

    /// <summary>Gets the names of the scorers to apply to every answer.</summary>
    public IReadOnlyList<string> Scorers
    {
        get => _scorers;
        init => _scorers = value is null ? [] : [.. value];
    }

    /// <summary>Gets the name of the metric that decides comparisons; the first scorer's when not set.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the options a run of this suite uses unless the request overrides them.</summary>
    public EvaluationOptions? DefaultOptions { get; init; }

    /// <inheritdoc/>
    public bool Equals(Benchmark? other) =>
        other is not null
        && Id == other.Id && Name == other.Name && Version == other.Version && DatasetId == other.DatasetId
        && PromptTemplate == other.PromptTemplate && SystemPrompt == other.SystemPrompt && FewShot.SequenceEqual(other.FewShot)
        && Scorers.SequenceEqual(other.Scorers) && PrimaryMetric == other.PrimaryMetric
        && Equals(DefaultOptions, other.DefaultOptions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Version, DatasetId);
}
