namespace EvalKit.Datasets;

/// <summary>A stored dataset version. Once stored, a dataset version is immutable: its content hash fixes its cases.</summary>
public sealed record DatasetInfo
{
    /// <summary>Gets the id, <c>name@version</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version.</summary>
    public required string Version { get; init; }

    /// <summary>Gets the SHA-256 content hash of the cases (lower-case hex).</summary>
    public required string ContentHash { get; init; }

    /// <summary>Gets the number of cases.</summary>
    public required long CaseCount { get; init; }

    /// <summary>Gets a description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets when the dataset was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Builds a dataset id from a name and a version.</summary>
    /// <param name="name">The name.</param>
    /// <param name="version">The version.</param>
    /// <returns><c>name@version</c>.</returns>
    public static string MakeId(string name, string version) => $"{name}@{version}";
}
