namespace EvalKit.Evaluation;

/// <summary>How <see cref="IEvaluationEngine.EnqueueAsync"/> splits a run for workers.</summary>
public sealed record DistributedRunOptions
{
    /// <summary>Gets the default options.</summary>
    public static DistributedRunOptions Default { get; } = new();

    /// <summary>
    /// Gets the cases per shard (every repetition of a case stays in its shard). Default 1,000: small enough that a
    /// killed worker loses little time, large enough that claiming costs nothing next to the model calls.
    /// </summary>
    public int ShardSize { get; init; } = 1_000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ShardSize"/> is not positive.</exception>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ShardSize, nameof(ShardSize));
}
