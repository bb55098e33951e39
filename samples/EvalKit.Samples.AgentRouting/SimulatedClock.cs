namespace EvalKit.Samples.AgentRouting;

/// <summary>
/// A clock that moves only when told: the local models advance it by their latency instead of sleeping, so the sample runs
/// in milliseconds and prints the same figures on every run. EvalKit reads time only through <see cref="TimeProvider"/>, so
/// its latency measurements, runtime metrics and decision cache all follow this clock.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private long _ticks;

    /// <summary>Initializes a new instance of the <see cref="SimulatedClock"/> class.</summary>
    /// <param name="start">The time the clock starts at.</param>
    public SimulatedClock(DateTimeOffset start)
    {
        _ticks = start.UtcTicks;
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <inheritdoc/>
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <summary>Moves the clock forward.</summary>
    /// <param name="duration">How far; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void Advance(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        Interlocked.Add(ref _ticks, duration.Ticks);
    }
}
