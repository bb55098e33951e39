namespace EvalKit.Projects;

/// <summary>How much a <see cref="ProjectSummary"/> includes.</summary>
public sealed record ProjectSummaryOptions
{
    /// <summary>Gets the most recent runs listed; 0 to 1000.</summary>
    /// <value>The default value is 10.</value>
    public int RecentRuns { get; init; } = 10;

    /// <summary>Gets the number of days of spending, ending today (UTC); 1 to 3660.</summary>
    /// <value>The default value is 30.</value>
    public int SpendDays { get; init; } = 30;
}
