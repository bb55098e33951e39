namespace EvalKit.Storage;

/// <summary>A model answer kept in the response cache.</summary>
public sealed record CachedResponse
{
    /// <summary>Gets the cache key: a SHA-256 of the model id, its revision, the messages and the call options.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the answer text.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the input tokens the original call used, if reported.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the output tokens the original call used, if reported.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets when the answer was cached.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
