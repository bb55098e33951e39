using System.Text.Json.Serialization;

namespace EvalKit.Registry;

/// <summary>
/// One revision of a model: the model as it was after the change, who made the change, when, and what changed.
/// Every write of a model (register, update, deprecate, retire) adds one; they are read with
/// <see cref="IModelRegistry.GetRevisionsAsync"/>.
/// </summary>
public sealed record ModelRevision
{
    private readonly IReadOnlyList<ModelFieldChange> _changes = [];

    /// <summary>Gets the model as this revision left it; its <see cref="ModelDescriptor.Revision"/> numbers the revision.</summary>
    public required ModelDescriptor Model { get; init; }

    /// <summary>Gets who made the change (from <see cref="Security.IEvalKitActorContext"/>; <c>"system"</c> by default).</summary>
    public required string ChangedBy { get; init; }

    /// <summary>Gets what kind of change wrote the revision.</summary>
    public ModelChangeKind Kind { get; init; }

    /// <summary>Gets a description of the change: the caller's note, or one generated from <see cref="Changes"/>.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Gets the fields that changed from the previous revision (empty for <see cref="ModelChangeKind.Registered"/>).</summary>
    public IReadOnlyList<ModelFieldChange> Changes
    {
        get => _changes;
        init => _changes = value is null ? [] : [.. value];
    }

    /// <summary>Gets the model id.</summary>
    [JsonIgnore]
    public string ModelId => Model.Id;

    /// <summary>Gets the revision number (1 when registered).</summary>
    [JsonIgnore]
    public int Revision => Model.Revision;

    /// <summary>Gets when the change was made (the registry's <see cref="TimeProvider"/>); the same as the model's <see cref="ModelDescriptor.UpdatedAt"/>.</summary>
    [JsonIgnore]
    public DateTimeOffset ChangedAt => Model.UpdatedAt;

    /// <inheritdoc/>
    public bool Equals(ModelRevision? other) =>
        other is not null
        && Model.Equals(other.Model)
        && ChangedBy == other.ChangedBy
        && Kind == other.Kind
        && Description == other.Description
        && Changes.SequenceEqual(other.Changes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Model, ChangedBy, Kind);

    /// <summary>Creates the revision the storage port's descriptor-only writes record: made by <c>"system"</c>, no field changes listed.</summary>
    /// <param name="model">The model, with its revision set.</param>
    /// <returns>The revision.</returns>
    public static ModelRevision Of(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var registered = model.Revision <= 1;
        return new()
        {
            Model = model,
            ChangedBy = Security.SystemActorContext.SystemActor,
            Kind = registered ? ModelChangeKind.Registered : ModelChangeKind.Updated,
            Description = registered ? "Registered." : "Updated.",
        };
    }
}
