namespace EvalKit.Security;

/// <summary>
/// Selects audit entries of the current tenant, newest first (by <see cref="AuditEntry.OccurredAt"/>, then
/// <see cref="AuditEntry.Id"/>), one page at a time. Every filter is optional; filters combine with AND.
/// </summary>
public sealed record AuditQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 1_000;

    /// <summary>Gets the inclusive start of the time range, or <see langword="null"/> for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the exclusive end of the time range, or <see langword="null"/> for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the actor to match exactly, or <see langword="null"/> for every actor.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets the operation kind to match exactly (<see cref="EvalKitOperationKinds"/>), or <see langword="null"/> for every kind.</summary>
    public string? Operation { get; init; }

    /// <summary>Gets the record type to match exactly, or <see langword="null"/> for every type.</summary>
    public string? RecordType { get; init; }

    /// <summary>Gets the record id to match exactly, or <see langword="null"/> for every record.</summary>
    public string? RecordId { get; init; }

    /// <summary>Gets the outcome to match, or <see langword="null"/> for every outcome.</summary>
    public AuditOutcome? Outcome { get; init; }

    /// <summary>Gets how many entries a page holds at most: 1 to <see cref="MaxPageSize"/>.</summary>
    /// <value>The default value is 100.</value>
    public int PageSize { get; init; } = 100;

    /// <summary>Gets where the previous page ended (<see cref="AuditPage.Next"/>), or <see langword="null"/> for the first page.</summary>
    public AuditCursor? After { get; init; }

    /// <summary>Checks the query.</summary>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentException">A filter is present but blank, the range ends before it starts, the page size is out of range or the outcome is unknown.</exception>
    public void Validate(string paramName = "query")
    {
        var problems = new List<string>();
        if (From is { } from && To is { } to && to < from)
        {
            problems.Add($"the range ends ({to:O}) before it starts ({from:O})");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"PageSize must be 1 to {MaxPageSize} (was {PageSize})");
        }

        foreach (var (name, value) in new[] { (nameof(Actor), Actor), (nameof(Operation), Operation), (nameof(RecordType), RecordType), (nameof(RecordId), RecordId) })
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{name} is blank; use null to match every value");
            }
        }

        if (Outcome is { } outcome && !Enum.IsDefined(outcome))
        {
            problems.Add($"unknown outcome {outcome}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The audit query is invalid: {string.Join("; ", problems)}.", paramName);
        }
    }
}
