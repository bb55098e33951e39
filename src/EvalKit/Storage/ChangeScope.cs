namespace EvalKit.Storage;

/// <summary>
/// What a store change counter counts, within a tenant: the tenant's epoch, its run list, one run, or one model's metric
/// points. Cached answers are validated against the counters of the scopes they were computed from (see
/// <see cref="IChangeCounterStorage"/>).
/// </summary>
/// <remarks>
/// A scope is stored by its <see cref="Name"/>: <c>epoch</c>, <c>runs</c>, <c>run:{id}</c> or <c>metrics:{model id}</c>.
/// </remarks>
public readonly record struct ChangeScope
{
    private ChangeScope(string name) => Name = name;

    /// <summary>
    /// Gets the tenant's epoch: advanced by bulk deletes (retention of metric points, deleted runs) and by erasure. Every
    /// cached answer of the tenant depends on it, so advancing it (or deleting it) invalidates them all.
    /// </summary>
    public static ChangeScope Epoch { get; } = new("epoch");

    /// <summary>Gets the tenant's run list: advanced whenever any run record of the tenant is added, changed or deleted.</summary>
    public static ChangeScope Runs { get; } = new("runs");

    /// <summary>Gets the scope's name, as the store keeps it.</summary>
    public string Name { get; }

    /// <summary>Gets the scope of one run: advanced whenever the run record is added or changed (a deleted run advances <see cref="Epoch"/>).</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is null or blank.</exception>
    public static ChangeScope Run(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return new("run:" + runId);
    }

    /// <summary>Gets the scope of one model's metric points: advanced whenever points of the model are appended or deleted.</summary>
    /// <param name="modelId">The model id.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is null or blank.</exception>
    public static ChangeScope ModelMetrics(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return new("metrics:" + modelId);
    }

    /// <inheritdoc/>
    public override string ToString() => Name ?? string.Empty;
}
