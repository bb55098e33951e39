namespace EvalKit;

/// <summary>Raised when an operation names a model id that the registry does not know.</summary>
public sealed class ModelNotFoundException : NotFoundException
{
    /// <summary>Initializes a new instance of the <see cref="ModelNotFoundException"/> class.</summary>
    /// <param name="modelId">The unknown model id.</param>
    public ModelNotFoundException(string modelId)
        : base("model", modelId)
    {
        ModelId = modelId;
    }

    /// <summary>Gets the unknown model id.</summary>
    public string ModelId { get; }
}
