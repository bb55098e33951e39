namespace EvalKit.Storage;

/// <summary>A worker's claim on a <see cref="RunShard"/>, valid until <see cref="ExpiresAt"/> unless renewed.</summary>
/// <param name="Shard">The shard as claimed (state <see cref="ShardState.Claimed"/>).</param>
/// <param name="WorkerId">The worker holding the lease.</param>
/// <param name="Claim">The shard's claim count when this lease was granted; a renewal or completion must present it.</param>
/// <param name="ExpiresAt">When the lease ends.</param>
public sealed record ShardLease(RunShard Shard, string WorkerId, int Claim, DateTimeOffset ExpiresAt);
