namespace EvalKit.Retention;

/// <summary>What one application of a <see cref="RetentionPolicy"/> deleted, for one tenant.</summary>
public sealed record RetentionReport
{
    /// <summary>Gets the tenant whose data was deleted.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the "now" that the policy's ages were counted from.</summary>
    public required DateTimeOffset AppliedAt { get; init; }

    /// <summary>Gets how many per-case results were deleted.</summary>
    public long CaseResults { get; init; }

    /// <summary>Gets how many runs lost their per-case results and kept their summaries (<see cref="RetentionPolicy.KeepRunSummaries"/>).</summary>
    public long RunsPurged { get; init; }

    /// <summary>Gets how many runs were deleted whole (when summaries are not kept).</summary>
    public long RunsDeleted { get; init; }

    /// <summary>Gets how many metric points were deleted.</summary>
    public long MetricPoints { get; init; }

    /// <summary>Gets how many cached responses were deleted.</summary>
    public long CachedResponses { get; init; }

    /// <summary>Gets how many audit entries were deleted.</summary>
    public long AuditEntries { get; init; }
}
