namespace EvalKit.Experiments;

/// <summary>
/// One prompt variant of an experiment's matrix: what replaces the benchmark's prompt. A member left
/// <see langword="null"/> keeps the benchmark's value.
/// </summary>
public sealed record PromptVariant
{
    private readonly IReadOnlyList<Datasets.FewShotExample>? _fewShot;

    /// <summary>Gets the variant's name, unique in the experiment, shown in labels and reports (such as <c>"concise"</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the user prompt template (<c>{{input}}</c>, <c>{{metadata.key}}</c>), or <see langword="null"/> for the benchmark's.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Gets the system prompt, or <see langword="null"/> for the benchmark's.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets the worked examples, or <see langword="null"/> for the benchmark's.</summary>
    public IReadOnlyList<Datasets.FewShotExample>? FewShot
    {
        get => _fewShot;
        init => _fewShot = value is null ? null : [.. value];
    }

    /// <summary>Gets whether the variant changes nothing (every member is <see langword="null"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool KeepsBenchmarkPrompt => PromptTemplate is null && SystemPrompt is null && FewShot is null;

    /// <inheritdoc/>
    public bool Equals(PromptVariant? other) =>
        other is not null
        && Name == other.Name && PromptTemplate == other.PromptTemplate && SystemPrompt == other.SystemPrompt
        && (FewShot is null ? other.FewShot is null : other.FewShot is not null && FewShot.SequenceEqual(other.FewShot));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, PromptTemplate, SystemPrompt);
}
