using System.Globalization;

namespace EvalKit.Evaluation;

/// <summary>How a worker started by <see cref="IEvaluationEngine.RunWorkerAsync(string, WorkerOptions?, CancellationToken)"/> claims and holds shards.</summary>
public sealed record WorkerOptions
{
    /// <summary>Gets the default options.</summary>
    public static WorkerOptions Default { get; } = new();

    /// <summary>Gets the worker's name, stored with the shards it holds. Default: host name, process id and a random suffix.</summary>
    public string WorkerId { get; init; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("n")[..8]}");

    /// <summary>
    /// Gets how long a claim lasts without renewal. A shard whose worker dies is claimed again this long after the
    /// worker's last renewal. Default 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how often a held lease is renewed. Default 10 seconds; must be shorter than <see cref="LeaseDuration"/>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how long a worker waits before looking again when every remaining shard is held by others. Default 1 second.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets a value indicating whether a queue worker (no run named) returns once no shard of any run is claimable,
    /// instead of polling until cancelled. Default <see langword="false"/>.
    /// </summary>
    public bool StopWhenIdle { get; init; }

    /// <summary>
    /// Gets how many times a shard may be claimed before a worker whose attempt fails gives up on the run: the run is
    /// marked failed with that worker's error, so that a shard that always fails (a model without a client on the
    /// workers, say) is not retried by every worker forever. Claims that ended with a dead worker count too. Default 5.
    /// </summary>
    public int MaxShardAttempts { get; init; } = 5;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId, nameof(WorkerId));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, TimeSpan.Zero, nameof(LeaseDuration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(HeartbeatInterval, LeaseDuration, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxShardAttempts, 1, nameof(MaxShardAttempts));
    }
}
