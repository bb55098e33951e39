namespace EvalKit.Samples.WebApi.Tests;

/// <summary>The system clock moved by a fixed offset: timers and timestamps run as usual, and any time that shows the offset came from this provider.</summary>
/// <param name="offset">The offset added to the system's UTC time.</param>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    /// <summary>Gets the offset.</summary>
    public TimeSpan Offset => offset;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
