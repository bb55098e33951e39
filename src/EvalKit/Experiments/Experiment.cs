namespace EvalKit.Experiments;

/// <summary>A stored experiment: its definition, its matrix of variants (each with its run id) and its state.</summary>
public sealed record Experiment
{
    private readonly IReadOnlyList<ExperimentVariant> _variants = [];

    /// <summary>Gets the experiment id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the definition, with its id set and its primary metric resolved.</summary>
    public required ExperimentDefinition Definition { get; init; }

    /// <summary>Gets the variants, in matrix order.</summary>
    public IReadOnlyList<ExperimentVariant> Variants
    {
        get => _variants;
        init => _variants = value is null ? [] : [.. value];
    }

    /// <summary>Gets the status.</summary>
    public ExperimentStatus Status { get; init; }

    /// <summary>Gets the id of the template the experiment was created from, if any.</summary>
    public string? TemplateId { get; init; }

    /// <summary>Gets when the experiment was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when execution last ended (completed, failed or cancelled).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the error that stopped a failed execution.</summary>
    public string? Error { get; init; }

    /// <inheritdoc/>
    public bool Equals(Experiment? other) =>
        other is not null
        && Id == other.Id && Equals(Definition, other.Definition) && Variants.SequenceEqual(other.Variants) && Status == other.Status
        && TemplateId == other.TemplateId && CreatedAt == other.CreatedAt && CompletedAt == other.CompletedAt && Error == other.Error;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Status);
}
