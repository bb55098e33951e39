namespace EvalKit.Storage.Specification.Tests;

/// <summary>A clock that moves only when told: wall time and timestamps advance together, by <see cref="Advance"/>.</summary>
public sealed class RegistryTestClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Start.AddTicks(Interlocked.Read(ref _ticks));

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
