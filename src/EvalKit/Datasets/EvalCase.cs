namespace EvalKit.Datasets;

/// <summary>One case of a dataset: an input, its expected outputs, an optional group and metadata.</summary>
public sealed record EvalCase
{
    private readonly IReadOnlyList<string> _references = [];
    private readonly IReadOnlyDictionary<string, string> _metadata = Empty.StringDictionary;

    /// <summary>Gets the case id, unique within its dataset.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the input.</summary>
    public required CaseInput Input { get; init; }

    /// <summary>Gets the expected outputs; a scorer usually takes the best match over them.</summary>
    public IReadOnlyList<string> References
    {
        get => _references;
        init => _references = value is null ? [] : [.. value];
    }

    /// <summary>Gets the group (cluster) id: cases that share a passage, template or conversation share a group.</summary>
    public string? Group { get; init; }

    /// <summary>Gets free-form metadata, reachable from prompt templates as <c>{{metadata.key}}</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get => _metadata;
        init => _metadata = value is null || value.Count == 0 ? Empty.StringDictionary : new Dictionary<string, string>(value, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public bool Equals(EvalCase? other) =>
        other is not null
        && Id == other.Id
        && Input.Equals(other.Input)
        && References.SequenceEqual(other.References)
        && Group == other.Group
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(kv => other.Metadata.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Input, Group);
}
