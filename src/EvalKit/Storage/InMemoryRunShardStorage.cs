using System.Runtime.CompilerServices;

namespace EvalKit.Storage;

/// <summary>
/// The in-memory shard store: one lock over every run's shards, so each operation is atomic. Each tenant has its own runs'
/// shards; every operation works on those of the current tenant.
/// </summary>
/// <param name="tenant">Resolves the tenant of the current operation.</param>
internal sealed class InMemoryRunShardStorage(Func<string> tenant) : IRunShardStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, RunShard[]>> _tenants = new(StringComparer.Ordinal);

    public ValueTask<bool> CreateAsync(IReadOnlyList<RunShard> shards, CancellationToken cancellationToken = default)
    {
        var runId = ShardChecks.SameRun(shards);
        var runs = Runs(tenant());
        lock (_gate)
        {
            return ValueTask.FromResult(runs.TryAdd(runId, [.. shards.OrderBy(s => s.Index).Select(s => s with { State = ShardState.Pending, WorkerId = null, LeaseExpiresAt = null, Claims = 0, CompletedAt = null })]));
        }
    }

    public ValueTask<ShardLease?> TryClaimAsync(string? runId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ShardChecks.Claim(workerId, leaseDuration);
        var all = Runs(tenant());
        lock (_gate)
        {
            IEnumerable<KeyValuePair<string, RunShard[]>> runs = runId is null ? all.OrderBy(r => r.Key, StringComparer.Ordinal) : all.Where(r => r.Key == runId);
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
        var runs = Runs(tenant());
        lock (_gate)
        {
            if (Held(runs, lease) is not { } index)
            {
                return ValueTask.FromResult<ShardLease?>(null);
            }

            var shards = runs[lease.Shard.RunId];
            var expires = now + leaseDuration;
            shards[index] = shards[index] with { LeaseExpiresAt = expires };
            return ValueTask.FromResult<ShardLease?>(lease with { Shard = shards[index], ExpiresAt = expires });
        }
    }

    public ValueTask<bool> CompleteAsync(ShardLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var runs = Runs(tenant());
        lock (_gate)
        {
            if (Held(runs, lease) is not { } index)
            {
                return ValueTask.FromResult(false);
            }

            var shards = runs[lease.Shard.RunId];
            shards[index] = shards[index] with { State = ShardState.Done, LeaseExpiresAt = null, CompletedAt = now };
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<ShardCounts> CountAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var runs = Runs(tenant());
        lock (_gate)
        {
            if (!runs.TryGetValue(runId, out var shards))
            {
                return ValueTask.FromResult(default(ShardCounts));
            }

            return ValueTask.FromResult(new ShardCounts(
                shards.Count(s => s.State == ShardState.Pending), shards.Count(s => s.State == ShardState.Claimed), shards.Count(s => s.State == ShardState.Done)));
        }
    }

    public IAsyncEnumerable<RunShard> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return ListAsync(Runs(tenant()), runId, cancellationToken);
    }

    private async IAsyncEnumerable<RunShard> ListAsync(Dictionary<string, RunShard[]> runs, string runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RunShard[] copy;
        lock (_gate)
        {
            copy = runs.TryGetValue(runId, out var shards) ? [.. shards] : [];
        }

        foreach (var shard in copy)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return shard;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    // A tenant's runs (created empty on first use).
    private Dictionary<string, RunShard[]> Runs(string tenantId)
    {
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var runs))
            {
                _tenants[tenantId] = runs = new Dictionary<string, RunShard[]>(StringComparer.Ordinal);
            }

            return runs;
        }
    }

    /// <summary>Deletes the shards of some runs of a tenant, or of all its runs (<paramref name="runIds"/> <see langword="null"/>); returns how many.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runIds">The runs, or <see langword="null"/> for all.</param>
    /// <returns>The number of shards deleted.</returns>
    internal long EraseRuns(string tenantId, IReadOnlySet<string>? runIds)
    {
        var runs = Runs(tenantId);
        lock (_gate)
        {
            long deleted = 0;
            foreach (var runId in runs.Keys.Where(r => runIds is null || runIds.Contains(r)).ToList())
            {
                deleted += runs[runId].Length;
                runs.Remove(runId);
            }

            return deleted;
        }
    }

    /// <summary>Forgets a run's shards (retention deletes the run).</summary>
    /// <param name="tenantId">The run's tenant.</param>
    /// <param name="runId">The run.</param>
    internal void DeleteRun(string tenantId, string runId)
    {
        var runs = Runs(tenantId);
        lock (_gate)
        {
            runs.Remove(runId);
        }
    }

    // The index of the leased shard when the lease is still the current claim of a claimed shard of the tenant's runs.
    private static int? Held(Dictionary<string, RunShard[]> runs, ShardLease lease)
    {
        if (!runs.TryGetValue(lease.Shard.RunId, out var shards) || lease.Shard.Index < 0 || lease.Shard.Index >= shards.Length)
        {
            return null;
        }

        var shard = shards[lease.Shard.Index];
        return shard.State == ShardState.Claimed && shard.Claims == lease.Claim && shard.WorkerId == lease.WorkerId ? lease.Shard.Index : null;
    }
}
