namespace EvalKit.Storage;

/// <summary>The outcome of <see cref="IModelStorage.DeleteAsync"/>.</summary>
public enum ModelDeleteStatus
{
    /// <summary>The model and every revision of it were deleted.</summary>
    Deleted,

    /// <summary>No model has that id; nothing changed.</summary>
    NotFound,

    /// <summary>Stored runs reference the model; nothing changed.</summary>
    ReferencedByRuns,
}
