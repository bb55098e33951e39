namespace EvalKit.Erasure;

/// <summary>
/// Told after every erasure, so that a cache outside the store drops what it holds of the erased data (register one
/// with <c>services.AddSingleton&lt;IErasureObserver, MyCacheEraser&gt;()</c>). EvalKit's own caches (the registry
/// snapshot, selection decisions and online learning, the tenant's embeddings) are invalidated by <see cref="ErasureService"/> itself.
/// </summary>
public interface IErasureObserver
{
    /// <summary>Called after the store committed an erasure, before the service returns.</summary>
    /// <param name="report">What was erased.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the observer dropped what it held.</returns>
    ValueTask OnErasedAsync(ErasureReport report, CancellationToken cancellationToken = default);
}
