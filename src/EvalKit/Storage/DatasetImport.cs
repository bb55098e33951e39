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
    private DatasetImport? _plaintext;
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
        Name = UnicodeText.Replace(name)!;
        Version = UnicodeText.Replace(version)!;
        _cases = cases;
        CreatedAt = createdAt;
        Description = UnicodeText.Replace(description);
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

    /// <summary>
    /// Gets the limits the cases are checked against while they stream (case count, case size, id, name and metadata
    /// lengths), or <see langword="null"/> for no limits beyond the rules every case follows. <see cref="DatasetStore"/>
    /// sets <see cref="EvalKitOptions.InputLimits"/> here.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public InputLimits? Limits { get; init; }

    /// <summary>Streams the validated cases with their ordinals and their JSON. Enumerate once.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases.</returns>
    /// <exception cref="DatasetFormatException">A case is invalid or its id repeats an earlier case's.</exception>
    public async IAsyncEnumerable<ImportedCase> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var limits = Limits?.Snapshot();
        limits?.CheckName(Name, "The dataset name", Source, null, "name");
        limits?.CheckName(Version, "The dataset version", Source, null, "version");
        long ordinal = 0;
        await foreach (var given in _cases.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var item = given;
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

            if (limits is not null)
            {
                if (ordinal >= limits.MaxCases)
                {
                    throw limits.CasesExceeded(Source, null);
                }

                try
                {
                    limits.CheckCase(item, Source, null, DatasetFieldMapping.Default);
                }
                catch (DatasetFormatException e)
                {
                    throw new DatasetFormatException($"Case at position {ordinal + 1}: {e.Problem}", e.Source, e.Line, e.Field, e.Column, e.InnerException);
                }
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(item, EvalKitJsonContext.Default.EvalCase);
            if (UnicodeText.HasReplacement(bytes))
            {
                // A lone surrogate was written as U+FFFD: every provider stores the case as the JSON reads back.
                item = JsonSerializer.Deserialize(bytes, EvalKitJsonContext.Default.EvalCase)!;
            }

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

    /// <summary>
    /// Creates the import that a storage decorator hands to the store it wraps: the same dataset, its cases validated and
    /// hashed by this import and then changed by <paramref name="transform"/> (encrypted, redacted). Its header keeps this
    /// import's content hash, the hash of the cases as offered, so that offering the same content again still matches.
    /// </summary>
    /// <param name="transform">Changes a case, given its ordinal.</param>
    /// <returns>The import to store.</returns>
    internal DatasetImport Transform(Func<long, EvalCase, EvalCase> transform) =>
        new(Name, Version, TransformAsync(transform), CreatedAt, Description, Source) { _plaintext = this };

    private async IAsyncEnumerable<EvalCase> TransformAsync(Func<long, EvalCase, EvalCase> transform, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return transform(item.Ordinal, item.Case);
        }
    }

    /// <summary>Produces the dataset header once <see cref="ReadAsync"/> has been enumerated to its end.</summary>
    /// <returns>The header with the content hash and the case count.</returns>
    /// <exception cref="InvalidOperationException">The cases have not been read to the end.</exception>
    public DatasetInfo Complete() => _plaintext?.Complete() ?? new()
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
