namespace EvalKit.Projects;

/// <summary>
/// A project: a named group of runs, A/B tests and experiments within a tenant, with an optional budget. Records join a
/// project through their <c>ProjectId</c> (<see cref="Evaluation.EvaluationRequest.ProjectId"/>,
/// <see cref="Comparisons.AbTestDefinition.ProjectId"/>, <see cref="Experiments.ExperimentDefinition.ProjectId"/>).
/// </summary>
public sealed record Project
{
    /// <summary>The longest project id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The longest project name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest description accepted.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>Gets the project id, unique within its tenant.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name shown in reports and dashboards.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the budget, or <see langword="null"/> when spending is not limited.</summary>
    public ProjectBudget? Budget { get; init; }

    /// <summary>Gets when the project was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the project was last renamed or its budget changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
