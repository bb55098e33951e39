namespace EvalKit.Storage;

/// <summary>
/// A slice of a distributed run: the cases with ordinals in [<see cref="FromOrdinal"/>, <see cref="ToOrdinal"/>), every
/// repetition of each. Workers claim shards with a lease; a shard whose worker stops renewing its lease is claimed again.
/// The last shard of a run, <see cref="Finalizes"/>, holds no cases: it becomes claimable once every other shard is done,
/// and the worker that claims it computes the run's summary, once.
/// </summary>
public sealed record RunShard
{
    /// <summary>Gets the run.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the shard's index within its run, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>Gets the first case ordinal of the shard.</summary>
    public long FromOrdinal { get; init; }

    /// <summary>Gets the case ordinal after the shard's last (exclusive).</summary>
    public long ToOrdinal { get; init; }

    /// <summary>Gets a value indicating whether this is the run's finalizing shard (no cases; it computes the summary).</summary>
    public bool Finalizes { get; init; }

    /// <summary>Gets the shard's state.</summary>
    public ShardState State { get; init; }

    /// <summary>Gets the worker holding or last holding the shard.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Gets when the current lease ends.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets how many times the shard was claimed (a lease's generation: a stale holder cannot renew or complete).</summary>
    public int Claims { get; init; }

    /// <summary>Gets when the shard was completed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Splits a run of <paramref name="caseCount"/> cases into shards of at most <paramref name="shardSize"/> cases, plus the finalizing shard.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="caseCount">The number of cases in the run's dataset.</param>
    /// <param name="shardSize">The cases per shard.</param>
    /// <returns>The shards, pending.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardSize"/> is not positive or <paramref name="caseCount"/> is negative.</exception>
    public static IReadOnlyList<RunShard> Split(string runId, long caseCount, int shardSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(caseCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardSize);
        var shards = new List<RunShard>();
        for (long from = 0; from < caseCount; from += shardSize)
        {
            shards.Add(new RunShard { RunId = runId, Index = shards.Count, FromOrdinal = from, ToOrdinal = Math.Min(caseCount, from + shardSize) });
        }

        shards.Add(new RunShard { RunId = runId, Index = shards.Count, Finalizes = true });
        return shards;
    }
}
