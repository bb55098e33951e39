namespace EvalKit.Storage;

/// <summary>Argument checks every shard store shares.</summary>
internal static class ShardChecks
{
    /// <summary>Checks that the shards are non-empty, of one run, indexed 0..n-1, with exactly one finalizing shard, last.</summary>
    /// <param name="shards">The shards.</param>
    /// <returns>The run id.</returns>
    public static string SameRun(IReadOnlyList<RunShard> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new ArgumentException("A run needs at least its finalizing shard.", nameof(shards));
        }

        var runId = shards[0].RunId;
        var ordered = shards.OrderBy(s => s.Index).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var shard = ordered[i];
            if (shard.RunId != runId)
            {
                throw new ArgumentException($"Shard {shard.Index} belongs to run '{shard.RunId}', not '{runId}'; store one run's shards at a time.", nameof(shards));
            }

            if (shard.Index != i)
            {
                throw new ArgumentException($"Shard indexes must run from 0 to {ordered.Count - 1} without gaps; found {shard.Index} at position {i}.", nameof(shards));
            }

            if (shard.Finalizes != (i == ordered.Count - 1))
            {
                throw new ArgumentException("Exactly one shard, the last, must be the finalizing shard.", nameof(shards));
            }

            if (!shard.Finalizes && (shard.FromOrdinal < 0 || shard.ToOrdinal <= shard.FromOrdinal))
            {
                throw new ArgumentException($"Shard {shard.Index} has the empty or negative range [{shard.FromOrdinal}, {shard.ToOrdinal}).", nameof(shards));
            }
        }

        return runId;
    }

    /// <summary>Checks a claim's arguments.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="leaseDuration">The lease length.</param>
    public static void Claim(string workerId, TimeSpan leaseDuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
    }
}
