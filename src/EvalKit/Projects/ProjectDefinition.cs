namespace EvalKit.Projects;

/// <summary>What <see cref="IProjectService.CreateAsync"/> creates: a project's name, and optionally its id, description and budget.</summary>
public sealed record ProjectDefinition
{
    /// <summary>Gets the name: 1 to <see cref="Project.MaxNameLength"/> characters, not blank.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the description, at most <see cref="Project.MaxDescriptionLength"/> characters.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the budget, or <see langword="null"/> for none (set one later with <see cref="IProjectService.SetBudgetAsync"/>).</summary>
    public ProjectBudget? Budget { get; init; }

    /// <summary>
    /// Gets the project id to use (1 to <see cref="Project.MaxIdLength"/> letters, digits, '-', '_', '.', ':' or '@'), or
    /// <see langword="null"/> to generate one.
    /// </summary>
    public string? Id { get; init; }
}
