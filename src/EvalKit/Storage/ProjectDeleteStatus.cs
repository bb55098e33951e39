namespace EvalKit.Storage;

/// <summary>What <see cref="IProjectStorage.DeleteAsync"/> did.</summary>
public enum ProjectDeleteStatus
{
    /// <summary>The project was deleted.</summary>
    Deleted,

    /// <summary>No project has that id.</summary>
    NotFound,

    /// <summary>Runs, A/B tests or experiments belong to the project: nothing was deleted.</summary>
    Referenced,
}
