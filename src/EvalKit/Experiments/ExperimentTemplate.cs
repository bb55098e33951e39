namespace EvalKit.Experiments;

/// <summary>
/// A saved experiment definition that experiments are created from, with overrides
/// (<see cref="IExperimentService.CreateFromTemplateAsync"/>). Its definition has no id: each experiment gets its own.
/// </summary>
public sealed record ExperimentTemplate
{
    /// <summary>Gets the template id, unique in the store.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the definition experiments start from.</summary>
    public required ExperimentDefinition Definition { get; init; }

    /// <summary>Gets when the template was first saved.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the template was last saved.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
