namespace EvalKit.Storage;

/// <summary>
/// Raised by <see cref="IDatasetStorage.CreateAsync"/> when the dataset version is already stored: a stored version is
/// immutable. <see cref="Datasets.IDatasetStore.ImportAsync(string, string, IAsyncEnumerable{Datasets.EvalCase}, string?, CancellationToken)"/>
/// catches it when another writer stored the same version first, and compares contents instead.
/// </summary>
public sealed class DatasetExistsException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="DatasetExistsException"/> class.</summary>
    public DatasetExistsException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetExistsException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public DatasetExistsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetExistsException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DatasetExistsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a dataset id.</summary>
    /// <param name="datasetId">The dataset id (<c>name@version</c>).</param>
    /// <returns>The exception.</returns>
    public static DatasetExistsException For(string datasetId) =>
        new($"Dataset '{datasetId}' already exists; a stored dataset version is immutable.") { DatasetId = datasetId };

    /// <summary>Gets the id of the dataset that already exists.</summary>
    public string? DatasetId { get; private init; }
}
