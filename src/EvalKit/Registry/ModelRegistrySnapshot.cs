using System.Collections.Frozen;

namespace EvalKit.Registry;

/// <summary>
/// An immutable, consistent view of every registered model at one version of the registry. Reading it allocates
/// nothing; <see cref="Version"/> changes whenever any model is written, so it can key caches of decisions.
/// </summary>
public sealed class ModelRegistrySnapshot
{
    private readonly ModelDescriptor[] _models;
    private readonly FrozenDictionary<string, ModelDescriptor> _byId;

    /// <summary>Initializes a new instance of the <see cref="ModelRegistrySnapshot"/> class.</summary>
    /// <param name="version">The store's model change counter the snapshot was read at.</param>
    /// <param name="models">The models; ordered by id (ordinal) in the snapshot.</param>
    public ModelRegistrySnapshot(long version, IEnumerable<ModelDescriptor> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        Version = version;
        _models = [.. models.OrderBy(m => m.Id, StringComparer.Ordinal)];
        _byId = _models.ToFrozenDictionary(m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>Gets the registry version: the store's model change counter when the snapshot was read.</summary>
    public long Version { get; }

    /// <summary>Gets every model (the current revision of each), ordered by id (ordinal).</summary>
    public IReadOnlyList<ModelDescriptor> Models => _models;

    /// <summary>Finds a model by id (ordinal, case-sensitive).</summary>
    /// <param name="modelId">The model id.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    public ModelDescriptor? Find(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return _byId.GetValueOrDefault(modelId);
    }
}
