namespace EvalKit.Selection;

/// <summary>A model the selection engine excluded, and why.</summary>
public sealed record RejectedModel
{
    private readonly IReadOnlyList<ConstraintViolation> _violations = [];

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the reason.</summary>
    public required RejectionReason Reason { get; init; }

    /// <summary>Gets the constraints the model failed (for <see cref="RejectionReason.Constraint"/>), each with by how much.</summary>
    public IReadOnlyList<ConstraintViolation> Violations
    {
        get => _violations;
        init => _violations = value is null ? [] : [.. value];
    }

    /// <summary>Gets the model that dominates this one (for <see cref="RejectionReason.Dominated"/>).</summary>
    public string? DominatedBy { get; init; }

    /// <summary>Gets the reason in words.</summary>
    public required string Message { get; init; }
}
