using System.Globalization;

namespace EvalKit.Retention;

/// <summary>
/// How long each kind of data is kept. Every age is optional: a kind without one is never deleted. Data older than its
/// age (relative to the clock when retention runs) is deleted by <see cref="IRetentionService.ApplyAsync(RetentionPolicy, CancellationToken)"/>
/// and by the background service that <c>AddRetention()</c> registers.
/// </summary>
public sealed class RetentionPolicy
{
    /// <summary>
    /// Gets or sets how long the per-case results of a finished run (completed, failed or cancelled) are kept, counted
    /// from when the run finished. Results of pending or running runs are never deleted.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: results are kept.</value>
    public TimeSpan? CaseResultsMaxAge { get; set; }

    /// <summary>Gets or sets how long metric points are kept, counted from their timestamp.</summary>
    /// <value>The default value is <see langword="null"/>: points are kept (the metrics service's own rules still apply).</value>
    public TimeSpan? MetricPointsMaxAge { get; set; }

    /// <summary>Gets or sets how long cached model responses are kept, counted from when they were cached.</summary>
    /// <value>The default value is <see langword="null"/>: cached responses are kept.</value>
    public TimeSpan? CachedResponsesMaxAge { get; set; }

    /// <summary>Gets or sets how long audit entries are kept, counted from when they occurred.</summary>
    /// <value>The default value is <see langword="null"/>: audit entries are kept.</value>
    public TimeSpan? AuditEntriesMaxAge { get; set; }

    /// <summary>
    /// Gets or sets whether a run outlives its per-case results. When <see langword="true"/>, the run record stays with its
    /// summary (computed from the stored results first when it has none, as for a failed or cancelled run) and reports the
    /// purge in <see cref="Evaluation.EvaluationRun.ResultsPurgedAt"/>; such a run can no longer be resumed. When
    /// <see langword="false"/>, the whole run is deleted with its results (experiments and A/B tests that name it then
    /// find it missing).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool KeepRunSummaries { get; set; } = true;

    /// <summary>Checks the policy and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An age is zero or negative.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        Check(problems, nameof(CaseResultsMaxAge), CaseResultsMaxAge);
        Check(problems, nameof(MetricPointsMaxAge), MetricPointsMaxAge);
        Check(problems, nameof(CachedResponsesMaxAge), CachedResponsesMaxAge);
        Check(problems, nameof(AuditEntriesMaxAge), AuditEntriesMaxAge);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The retention policy is invalid: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>The cut-off of an age: now − age, or <see cref="DateTimeOffset.MinValue"/> when the age reaches further back.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxAge">The age.</param>
    /// <returns>The exclusive cut-off.</returns>
    internal static DateTimeOffset CutOff(DateTimeOffset now, TimeSpan maxAge) =>
        maxAge >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - maxAge;

    private static void Check(List<string> problems, string name, TimeSpan? age)
    {
        if (age is { } value && value <= TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive (was {value})"));
        }
    }
}
