namespace EvalKit.Datasets;

/// <summary>
/// A benchmark suite read from a suite file (<see cref="BenchmarkSuiteFile"/>): the <see cref="Benchmark"/> to store and,
/// when the file names a dataset file, where to read its cases. <see cref="ImportAsync"/> stores both in one call.
/// </summary>
public sealed record BenchmarkSuite
{
    /// <summary>Gets the benchmark; its <see cref="Benchmark.DatasetId"/> is <see cref="BenchmarkSuiteDataset.Id"/> when the suite names a dataset file.</summary>
    public required Benchmark Benchmark { get; init; }

    /// <summary>Gets the dataset file to import, or <see langword="null"/> when the suite names a stored dataset by id.</summary>
    public BenchmarkSuiteDataset? Dataset { get; init; }

    /// <summary>Gets the suite file's path (or the stream's name), for messages.</summary>
    public string? Source { get; init; }

    /// <summary>Imports the dataset file (if any) into a store and saves the benchmark there.</summary>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored dataset (or the stored dataset the suite names by id, <see langword="null"/> if absent) and the saved benchmark.</returns>
    /// <exception cref="DatasetFormatException">The dataset file is malformed; nothing was written.</exception>
    /// <exception cref="EvalKitException">The dataset version is stored with different content.</exception>
    /// <exception cref="NotFoundException">The suite names a dataset id that is not stored.</exception>
    public async ValueTask<BenchmarkSuiteImport> ImportAsync(IDatasetStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        DatasetInfo? info;
        var benchmark = Benchmark;
        if (Dataset is { } dataset)
        {
            info = await store.ImportAsync(dataset.Name, dataset.Version, dataset.ReadCasesAsync(cancellationToken), dataset.Description, cancellationToken).ConfigureAwait(false);
            benchmark = benchmark with { DatasetId = info.Id };
        }
        else
        {
            info = await store.GetAsync(benchmark.DatasetId, cancellationToken).ConfigureAwait(false);
        }

        var saved = await store.SaveBenchmarkAsync(benchmark, cancellationToken).ConfigureAwait(false);
        return new BenchmarkSuiteImport(info, saved);
    }
}

/// <summary>The dataset file a benchmark suite imports.</summary>
public sealed record BenchmarkSuiteDataset
{
    /// <summary>Gets the full path of the dataset file (a relative path in the suite file is relative to the suite file's folder).</summary>
    public required string Path { get; init; }

    /// <summary>Gets the file format.</summary>
    public required DatasetFileFormat Format { get; init; }

    /// <summary>Gets the dataset name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the dataset version.</summary>
    /// <value>The default value is <c>"1"</c>.</value>
    public string Version { get; init; } = "1";

    /// <summary>Gets the dataset description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the field names the file uses.</summary>
    /// <value>The default value is <see cref="DatasetFieldMapping.Default"/>.</value>
    public DatasetFieldMapping Mapping { get; init; } = DatasetFieldMapping.Default;

    /// <summary>Gets the input limits the file is read within.</summary>
    /// <value>The default value is <see langword="null"/>: the defaults of <see cref="InputLimits"/>.</value>
    public InputLimits? Limits { get; init; }

    /// <summary>Gets the id the dataset has once stored, <c>name@version</c>.</summary>
    public string Id => DatasetInfo.MakeId(Name, Version);

    /// <summary>Streams the file's cases.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed or exceeds a limit; the message names the file, line and field.</exception>
    /// <exception cref="FileNotFoundException">The file no longer exists.</exception>
    public IAsyncEnumerable<EvalCase> ReadCasesAsync(CancellationToken cancellationToken = default) =>
        Datasets.ReadAsync(Path, Format, Mapping, Limits, cancellationToken);
}

/// <summary>What <see cref="BenchmarkSuite.ImportAsync"/> stored.</summary>
/// <param name="Dataset">The stored dataset, or <see langword="null"/> when the suite names a dataset id that is not stored.</param>
/// <param name="Benchmark">The saved benchmark.</param>
public sealed record BenchmarkSuiteImport(DatasetInfo? Dataset, Benchmark Benchmark);
