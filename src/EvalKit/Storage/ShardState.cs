namespace EvalKit.Storage;

/// <summary>The state of a <see cref="RunShard"/>.</summary>
public enum ShardState
{
    /// <summary>Not claimed yet.</summary>
    Pending,

    /// <summary>Held by a worker under a lease (claimable again once the lease has expired).</summary>
    Claimed,

    /// <summary>Every case of the shard is stored (or, for the finalizing shard, the summary is).</summary>
    Done,
}
