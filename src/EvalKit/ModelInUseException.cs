namespace EvalKit;

/// <summary>Raised when a model cannot be deleted because stored runs (or other models) still refer to it.</summary>
public sealed class ModelInUseException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="ModelInUseException"/> class.</summary>
    /// <param name="modelId">The model that could not be deleted.</param>
    /// <param name="runCount">How many runs reference the model.</param>
    /// <param name="runIds">Some of those runs (at most <see cref="Storage.ModelDeleteResult.MaxListedRuns"/>), newest first.</param>
    /// <param name="replacedModelIds">The models that name this one as their replacement.</param>
    public ModelInUseException(string modelId, long runCount, IReadOnlyList<string> runIds, IReadOnlyList<string> replacedModelIds)
        : base(Describe(modelId, runCount, runIds, replacedModelIds))
    {
        ModelId = modelId;
        RunCount = runCount;
        RunIds = runIds;
        ReplacedModelIds = replacedModelIds;
    }

    /// <summary>Gets the model that could not be deleted.</summary>
    public string ModelId { get; }

    /// <summary>Gets how many stored runs reference the model.</summary>
    public long RunCount { get; }

    /// <summary>Gets some of the referencing runs (at most <see cref="Storage.ModelDeleteResult.MaxListedRuns"/>), newest first.</summary>
    public IReadOnlyList<string> RunIds { get; }

    /// <summary>Gets the models whose <see cref="Registry.ModelDescriptor.ReplacementModelId"/> names this model.</summary>
    public IReadOnlyList<string> ReplacedModelIds { get; }

    private static string Describe(string modelId, long runCount, IReadOnlyList<string> runIds, IReadOnlyList<string> replacedModelIds)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        ArgumentNullException.ThrowIfNull(replacedModelIds);
        var reasons = new List<string>();
        if (runCount > 0)
        {
            var listed = string.Join(", ", runIds);
            var more = runCount > runIds.Count ? $", and {runCount - runIds.Count} more" : string.Empty;
            reasons.Add($"{runCount} run{(runCount == 1 ? string.Empty : "s")} reference{(runCount == 1 ? "s" : string.Empty)} it ({listed}{more})");
        }

        if (replacedModelIds.Count > 0)
        {
            reasons.Add($"it is the replacement of {string.Join(", ", replacedModelIds.Select(id => $"'{id}'"))}");
        }

        return $"Model '{modelId}' cannot be deleted: {string.Join("; ", reasons)}. Retire it instead (IModelRegistry.RetireAsync), which keeps its history and its runs.";
    }
}
