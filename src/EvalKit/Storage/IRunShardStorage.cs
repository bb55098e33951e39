namespace EvalKit.Storage;

/// <summary>
/// Stores the shards of distributed runs and hands them to workers under leases. Every method is atomic: two workers
/// never hold a live lease on the same shard, and a lease that was taken over can no longer be renewed or completed.
/// </summary>
public interface IRunShardStorage
{
    /// <summary>Stores a run's shards, once.</summary>
    /// <param name="shards">The shards (see <see cref="RunShard.Split"/>), all of one run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when stored; <see langword="false"/> when the run already has shards (nothing changes).</returns>
    ValueTask<bool> CreateAsync(IReadOnlyList<RunShard> shards, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims one shard: pending, or claimed under a lease that expired before <paramref name="now"/>; lowest index
    /// first. The finalizing shard is claimable only once every other shard of its run is done.
    /// </summary>
    /// <param name="runId">The run, or <see langword="null"/> for a shard of any run.</param>
    /// <param name="workerId">The claiming worker.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseDuration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The lease, or <see langword="null"/> when no shard is claimable now.</returns>
    ValueTask<ShardLease?> TryClaimAsync(string? runId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease that is still held.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseDuration">The new lease length from <paramref name="now"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The renewed lease, or <see langword="null"/> when the shard was taken over or is done.</returns>
    ValueTask<ShardLease?> RenewAsync(ShardLease lease, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Marks a leased shard done.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when done now; <see langword="false"/> when the lease was taken over (the new holder completes it).</returns>
    ValueTask<bool> CompleteAsync(ShardLease lease, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Counts a run's shards by state.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The counts (all zero for a run without shards).</returns>
    ValueTask<ShardCounts> CountAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists a run's shards by index.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The shards.</returns>
    IAsyncEnumerable<RunShard> ListAsync(string runId, CancellationToken cancellationToken = default);
}
