namespace EvalKit.Registry;

/// <summary>A model known to the registry: what it can do, what it costs, and where it is in its lifecycle.</summary>
/// <remarks>
/// Credentials are never part of a descriptor: a host keeps them in its own secret store and names them in
/// <see cref="CredentialName"/>. Validation rejects values shaped like secrets anywhere in a descriptor.
/// </remarks>
public sealed record ModelDescriptor
{
    private readonly IReadOnlySet<string> _capabilities = Empty.StringSet;
    private readonly IReadOnlySet<string> _tags = Empty.StringSet;
    private readonly IReadOnlyDictionary<string, string> _metadata = Empty.StringDictionary;

    /// <summary>Gets the model id, unique in the registry, such as <c>"openai/gpt-4o-mini"</c> or <c>"ollama/llama3.1:8b"</c>.</summary>
    /// <remarks>The grammar is <c>segment *("/" segment) [":" tag]</c>; see <see cref="ModelValidation.IsValidId"/>. Ids are compared ordinally (case-sensitively).</remarks>
    public required string Id { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the provider, such as <c>"openai"</c> or <c>"local"</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the provider's version string of the model.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the capabilities, such as <c>"chat"</c>, <c>"json"</c>, <c>"tools"</c>, <c>"vision"</c>: the names of <see cref="ModelCapabilities"/> or custom, well-formed lower-case names.</summary>
    public IReadOnlySet<string> Capabilities
    {
        get => _capabilities;
        init => _capabilities = value is null ? Empty.StringSet : new HashSet<string>(value, StringComparer.Ordinal);
    }

    /// <summary>Gets free labels used to find and group models, such as <c>"production"</c> or <c>"team:search"</c> (same grammar as capabilities).</summary>
    public IReadOnlySet<string> Tags
    {
        get => _tags;
        init => _tags = value is null || value.Count == 0 ? Empty.StringSet : new HashSet<string>(value, StringComparer.Ordinal);
    }

    /// <summary>Gets the token pricing, or <see langword="null"/> when unknown (costs are then unknown, never 0).</summary>
    public ModelPricing? Pricing { get; init; }

    /// <summary>Gets the context window in tokens, if known.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>Gets the lifecycle status.</summary>
    /// <value>The default value is <see cref="ModelStatus.Active"/>.</value>
    public ModelStatus Status { get; init; } = ModelStatus.Active;

    /// <summary>Gets why the model has its status (the deprecation or retirement reason), or <see langword="null"/>.</summary>
    /// <remarks>Set by <see cref="IModelRegistry.DeprecateAsync(string, string?, string?, CancellationToken)"/> and <see cref="IModelRegistry.RetireAsync"/>; only allowed when the status is not <see cref="ModelStatus.Active"/>.</remarks>
    public string? StatusReason { get; init; }

    /// <summary>Gets the id of the registered model that replaces this one, or <see langword="null"/>.</summary>
    /// <remarks>Only allowed when the status is not <see cref="ModelStatus.Active"/>; the registry checks that the replacement exists and is not retired.</remarks>
    public string? ReplacementModelId { get; init; }

    /// <summary>Gets the address of the model's API, such as <c>https://api.openai.com/v1</c>, if the host records it.</summary>
    /// <remarks>Must be absolute and carry no credentials: no <c>user:password@</c> part and no secret query parameter (<c>api_key</c>, <c>token</c>, <c>sig</c>…).</remarks>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// Gets the name under which the host keeps the model's credential (an environment variable, a secret-store entry, a
    /// configuration key), such as <c>"OPENAI_API_KEY"</c> or <c>"kv:openai-prod"</c>; never the credential itself.
    /// </summary>
    /// <remarks>
    /// EvalKit does not resolve it: the host builds the model's <c>IChatClient</c> with the credential. The name is stored
    /// and exported like any other field, so that people can see which credential a model uses.
    /// </remarks>
    public string? CredentialName { get; init; }

    /// <summary>Gets free-form metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get => _metadata;
        init => _metadata = value is null || value.Count == 0 ? Empty.StringDictionary : new Dictionary<string, string>(value, StringComparer.Ordinal);
    }

    /// <summary>Gets the revision number: 1 when registered, incremented by every update. Set by the registry.</summary>
    public int Revision { get; init; }

    /// <summary>Gets when this revision was written. Set by the registry.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <inheritdoc/>
    public bool Equals(ModelDescriptor? other) =>
        other is not null
        && Id == other.Id
        && DisplayName == other.DisplayName
        && Provider == other.Provider
        && Version == other.Version
        && Capabilities.SetEquals(other.Capabilities)
        && Tags.SetEquals(other.Tags)
        && StatusReason == other.StatusReason
        && ReplacementModelId == other.ReplacementModelId
        && Endpoint == other.Endpoint
        && CredentialName == other.CredentialName
        && Equals(Pricing, other.Pricing)
        && ContextWindow == other.ContextWindow
        && Status == other.Status
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(kv => other.Metadata.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && Revision == other.Revision
        && UpdatedAt == other.UpdatedAt;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Revision, Status);
}
