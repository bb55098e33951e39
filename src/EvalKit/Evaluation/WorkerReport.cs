namespace EvalKit.Evaluation;

/// <summary>What one worker did before it returned.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="ShardsCompleted">The shards it completed (the finalizing shard included).</param>
/// <param name="ResultsWritten">The results it stored (results already stored by an earlier holder of a shard are not counted).</param>
/// <param name="LeasesLost">The shards it had to give up because its lease was taken over.</param>
/// <param name="RunsFinalized">The runs whose summary it computed.</param>
public sealed record WorkerReport(string WorkerId, int ShardsCompleted, long ResultsWritten, int LeasesLost, IReadOnlyList<string> RunsFinalized)
{
    /// <summary>
    /// Gets the shard attempts that failed with an error on this worker (the shard was left for another attempt, or,
    /// after <see cref="WorkerOptions.MaxShardAttempts"/> claims, its run was marked failed).
    /// </summary>
    public int ShardsFailed { get; init; }

    /// <summary>Gets the runs this worker marked failed because one of their shards failed on every allowed attempt.</summary>
    public IReadOnlyList<string> RunsFailed { get; init; } = [];
}
