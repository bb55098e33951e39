namespace EvalKit.Registry;

/// <summary>What kind of change wrote a model revision.</summary>
public enum ModelChangeKind
{
    /// <summary>The model was registered (revision 1).</summary>
    Registered,

    /// <summary>The model was changed through <see cref="IModelRegistry.UpdateAsync(string, Func{ModelDescriptor, ModelDescriptor}, CancellationToken)"/>.</summary>
    Updated,

    /// <summary>The model was deprecated.</summary>
    Deprecated,

    /// <summary>The model was retired.</summary>
    Retired,
}
