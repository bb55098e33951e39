namespace EvalKit.Samples.QuickStart;

/// <summary>
/// What the quick-start evaluates and where it stores it: the three local models (the default), or the models that an
/// OpenAI-compatible server serves. Holds no credential: the API key is read from the environment variable
/// <see cref="QuickStart.ApiKeyVariable"/> when the clients are built, and never stored.
/// </summary>
public sealed record QuickStartOptions
{
    private readonly IReadOnlyList<string> _models = [];

    /// <summary>Gets the SQLite database file; created when missing, kept afterwards.</summary>
    /// <value>The default value is <c>evalkit.db</c> (relative to the current directory).</value>
    public string DatabasePath { get; init; } = "evalkit.db";

    /// <summary>Gets the base address of an OpenAI-compatible server (such as <c>http://localhost:11434/v1</c>), or
    /// <see langword="null"/> to evaluate the three simulated local models.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Gets the names of the models to evaluate on <see cref="Endpoint"/>, as the server knows them; also their registry ids.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Models
    {
        get => _models;
        init => _models = value is null ? [] : [.. value];
    }

    /// <summary>Gets a value indicating whether the options name an OpenAI-compatible endpoint.</summary>
    public bool UsesEndpoint => Endpoint is not null;

    /// <inheritdoc/>
    public bool Equals(QuickStartOptions? other) =>
        other is not null
        && DatabasePath == other.DatabasePath
        && Endpoint == other.Endpoint
        && Models.SequenceEqual(other.Models, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(DatabasePath, Endpoint, Models.Count);
}
