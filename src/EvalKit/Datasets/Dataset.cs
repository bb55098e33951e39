namespace EvalKit.Datasets;

/// <summary>A named, versioned set of cases held in memory, ready to be imported into a store.</summary>
/// <remarks>Large datasets are imported as a stream (<see cref="IDatasetStore.ImportAsync(string, string, IAsyncEnumerable{EvalCase}, string?, CancellationToken)"/>) and never held whole.</remarks>
public sealed record Dataset
{
    /// <summary>Initializes a new instance of the <see cref="Dataset"/> class.</summary>
    /// <param name="name">The dataset's name.</param>
    /// <param name="version">The dataset's version.</param>
    /// <param name="cases">The cases, copied.</param>
    public Dataset(string name, string version, IEnumerable<EvalCase> cases)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(cases);
        Name = name;
        Version = version;
        Cases = [.. cases];
    }

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets the version.</summary>
    public string Version { get; }

    /// <summary>Gets the cases.</summary>
    public IReadOnlyList<EvalCase> Cases { get; }

    /// <summary>Gets the dataset id a store gives this dataset: <c>name@version</c>.</summary>
    public string Id => DatasetInfo.MakeId(Name, Version);
}
