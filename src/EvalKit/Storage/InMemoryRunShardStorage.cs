using System.Runtime.CompilerServices;

namespace EvalKit.Storage;

/// <summary>The in-memory shard store: one lock over every run's shards, so each operation is atomic.</summary>
internal sealed class InMemoryRunShardStorage : IRunShardStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunShard[]> _runs = new(StringComparer.Ordinal);

    public ValueTask<bool> CreateAsync(IReadOnlyList<RunShard> shards, CancellationToken cancellationToken = default)
    {
        var runId = ShardChecks.SameRun(shards);
        lock (_gate)
        {
            return ValueTask.FromResult(_runs.TryAdd(runId, [.. shards.OrderBy(s => s.Index).Select(s => s with { State = ShardState.Pending, WorkerId = null, LeaseExpiresAt = null, Claims = 0, CompletedAt = null })]));
        }
    }

    public ValueTask<ShardLease?> TryClaimAsync(string? runId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ShardChecks.Claim(workerId, leaseDuration);
        lock (_gate)
        {
            IEnumerable<KeyValuePair<string, RunShard[]>> runs = runId is null ? _runs.OrderBy(r => r.Key, StringComparer.Ordinal) : _runs.Where(r => r.Key == runId);
            foreach (var (_, shards) in runs)
            {
                for (var i = 0; i < shards.Length; i++)
                {
                    var shard = shards[i];
                    var claimable = shard.State == ShardState.Pending || (shard.State == ShardState.Claimed && shard.LeaseExpiresAt < now);
                    if (claimable && (!shard.Finalizes || shards.All(s => s.Finalizes || s.State == ShardState.Done)))
                    {
                        var expires = now + leaseDuration;
                        shards[i] = shard with { State = ShardState.Claimed, WorkerId = workerId, LeaseExpiresAt = expires, Claims = shard.Claims + 1 };
                        return ValueTask.FromResult<ShardLease?>(new ShardLease(shards[i], workerId, shards[i].Claims, expires));
                    }
                }
            }

            return ValueTask.FromResult<ShardLease?>(null);
        }
    }

    public ValueTask<ShardLease?> RenewAsync(ShardLease lease, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (Held(lease) is not { } index)
            {
                return ValueTask.FromResult<ShardLease?>(null);
            }

            var shards = _runs[lease.Shard.RunId];
            var expires = now + leaseDuration;
            shards[index] = shards[index] with { LeaseExpiresAt = expires };
            return ValueTask.FromResult<ShardLease?>(lease with { Shard = shards[index], ExpiresAt = expires });
        }
    }

    public ValueTask<bool> CompleteAsync(ShardLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (Held(lease) is not { } index)
            {
                return ValueTask.FromResult(false);
            }

            var shards = _runs[lease.Shard.RunId];
            shards[index] = shards[index] with { State = ShardState.Done, LeaseExpiresAt = null, CompletedAt = now };
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<ShardCounts> CountAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var shards))
            {
                return ValueTask.FromResult(default(ShardCounts));
            }

            return ValueTask.FromResult(new ShardCounts(
                shards.Count(s => s.State == ShardState.Pending), shards.Count(s => s.State == ShardState.Claimed), shards.Count(s => s.State == ShardState.Done)));
        }
    }

    public async IAsyncEnumerable<RunShard> ListAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RunShard[] copy;
        lock (_gate)
        {
            copy = _runs.TryGetValue(runId, out var shards) ? [.. shards] : [];
        }

        foreach (var shard in copy)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return shard;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    // The index of the leased shard when the lease is still the current claim of a claimed shard.
    private int? Held(ShardLease lease)
    {
        if (!_runs.TryGetValue(lease.Shard.RunId, out var shards) || lease.Shard.Index < 0 || lease.Shard.Index >= shards.Length)
        {
            return null;
        }

        var shard = shards[lease.Shard.Index];
        return shard.State == ShardState.Claimed && shard.Claims == lease.Claim && shard.WorkerId == lease.WorkerId ? lease.Shard.Index : null;
    }
}
