using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Serialization;

namespace EvalKit.Storage;

/// <summary>
/// A dataset on its way into a store. Providers stream <see cref="ReadAsync"/> into their case table and then call
/// <see cref="Complete"/> for the header; validation (ids, inputs, duplicates, at least one case) and the content hash
/// happen while the cases stream, so a malformed case throws before the provider commits anything. Duplicate ids are
/// the provider's to detect (see <see cref="DuplicateId"/>).
/// </summary>
public sealed class DatasetImport
{
    private readonly IAsyncEnumerable<EvalCase> _cases;
    private string? _hash;
    private long _count;

    /// <summary>Initializes a new instance of the <see cref="DatasetImport"/> class.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="cases">The cases, enumerated once.</param>
    /// <param name="createdAt">The creation time to record.</param>
    /// <param name="description">A description.</param>
    /// <param name="source">The file or stream the cases come from, for error messages.</param>
    public DatasetImport(string name, string version, IAsyncEnumerable<EvalCase> cases, DateTimeOffset createdAt, string? description = null, string? source = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(cases);
        Name = name;
        Version = version;
        _cases = cases;
        CreatedAt = createdAt;
        Description = description;
        Source = source;
    }

    /// <summary>Gets the dataset id, <c>name@version</c>.</summary>
    public string Id => DatasetInfo.MakeId(Name, Version);

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets the version.</summary>
    public string Version { get; }

    /// <summary>Gets the description.</summary>
    public string? Description { get; }

    /// <summary>Gets the creation time to record.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets the source named in error messages.</summary>
    public string? Source { get; }

    /// <summary>Streams the validated cases with their ordinals and their JSON. Enumerate once.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases.</returns>
    /// <exception cref="DatasetFormatException">A case is invalid or its id repeats an earlier case's.</exception>
    public async IAsyncEnumerable<ImportedCase> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long ordinal = 0;
        await foreach (var item in _cases.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (item is null)
            {
                throw new DatasetFormatException("The case is null.", Source, null, null);
            }

            if (string.IsNullOrWhiteSpace(item.Id))
            {
                throw new DatasetFormatException($"Case at position {ordinal + 1} has an empty id.", Source, null, "id");
            }

            if (item.Input is null || (item.Input.Text is null && (item.Input.Messages is null || item.Input.Messages.Count == 0)))
            {
                throw new DatasetFormatException($"Case '{item.Id}' has no input.", Source, null, "input");
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(item, EvalKitJsonContext.Default.EvalCase);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
            yield return new ImportedCase(ordinal, item, bytes);
            ordinal++;
        }

        if (ordinal == 0)
        {
            throw new DatasetFormatException("The dataset has no cases.", Source, null, null);
        }

        _count = ordinal;
        _hash = Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Creates the error for a case id that repeats an earlier one. Providers detect duplicates themselves (a unique
    /// index in SQL stores), so that an import never holds every id in memory.
    /// </summary>
    /// <param name="caseId">The repeated id.</param>
    /// <param name="ordinal">The 0-based position of the repeat.</param>
    /// <param name="innerException">The provider's error, if any.</param>
    /// <returns>The exception to throw.</returns>
    public DatasetFormatException DuplicateId(string caseId, long ordinal, Exception? innerException = null) =>
        new($"Duplicate case id '{caseId}' (again at position {ordinal + 1}); case ids must be unique in a dataset.", Source, null, "id", null, innerException);

    /// <summary>Produces the dataset header once <see cref="ReadAsync"/> has been enumerated to its end.</summary>
    /// <returns>The header with the content hash and the case count.</returns>
    /// <exception cref="InvalidOperationException">The cases have not been read to the end.</exception>
    public DatasetInfo Complete() => new()
    {
        Id = Id,
        Name = Name,
        Version = Version,
        Description = Description,
        CreatedAt = CreatedAt,
        ContentHash = _hash ?? throw new InvalidOperationException("Read the import's cases to the end before completing it."),
        CaseCount = _count,
    };
}
