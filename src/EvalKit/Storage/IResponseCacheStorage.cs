namespace EvalKit.Storage;

/// <summary>Stores model answers by the hash of what produced them, so that a rerun costs no model calls.</summary>
public interface IResponseCacheStorage
{
    /// <summary>Gets a cached answer.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The answer, or <see langword="null"/>.</returns>
    ValueTask<CachedResponse?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Caches answers; a key already cached keeps its first answer.</summary>
    /// <param name="responses">The answers.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask AddAsync(IReadOnlyList<CachedResponse> responses, CancellationToken cancellationToken = default);
}
