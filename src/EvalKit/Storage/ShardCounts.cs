namespace EvalKit.Storage;

/// <summary>How many shards of a run are in each state (the finalizing shard included).</summary>
/// <param name="Pending">Shards not claimed yet.</param>
/// <param name="Claimed">Shards held under a lease, expired or not.</param>
/// <param name="Done">Shards done.</param>
public readonly record struct ShardCounts(int Pending, int Claimed, int Done)
{
    /// <summary>Gets the number of shards.</summary>
    public int Total => Pending + Claimed + Done;
}
