namespace EvalKit.Selection;

/// <summary>A constraint a model failed, by how much, and the evidence behind the figure.</summary>
public sealed record ConstraintViolation
{
    /// <summary>Gets the constraint.</summary>
    public required ConstraintKind Constraint { get; init; }

    /// <summary>Gets the limit the request set (milliseconds for latency, currency for cost).</summary>
    public required double Limit { get; init; }

    /// <summary>Gets the value tested against the limit (the interval's pessimistic bound for conservative constraints), or <see langword="null"/> when the evidence is insufficient.</summary>
    public double? Actual { get; init; }

    /// <summary>Gets how far <see cref="Actual"/> lies beyond the limit (always positive), or <see langword="null"/> when the evidence is insufficient.</summary>
    public double? Excess { get; init; }

    /// <summary>Gets the estimate behind <see cref="Actual"/>, or <see langword="null"/> when there is none.</summary>
    public Estimate? Evidence { get; init; }

    /// <summary>Gets a value indicating whether the model was excluded because the evidence is insufficient to test the constraint.</summary>
    public bool InsufficientEvidence => Actual is null;

    /// <summary>Gets the violation in words, such as "p95 latency 1,900 ms (upper 95% bound) exceeds the maximum 1,500 ms by 400 ms".</summary>
    public required string Message { get; init; }
}
