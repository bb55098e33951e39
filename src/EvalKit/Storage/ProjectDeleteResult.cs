namespace EvalKit.Storage;

/// <summary>The outcome of <see cref="IProjectStorage.DeleteAsync"/>.</summary>
public sealed record ProjectDeleteResult
{
    /// <summary>The most ids of each kind a result lists.</summary>
    public const int MaxListed = 10;

    /// <summary>Gets the result of a deletion that happened.</summary>
    public static ProjectDeleteResult Deleted { get; } = new() { Status = ProjectDeleteStatus.Deleted };

    /// <summary>Gets the result for a project that does not exist.</summary>
    public static ProjectDeleteResult NotFound { get; } = new() { Status = ProjectDeleteStatus.NotFound };

    /// <summary>Gets what happened.</summary>
    public required ProjectDeleteStatus Status { get; init; }

    /// <summary>Gets how many runs belong to the project (0 unless <see cref="Status"/> is <see cref="ProjectDeleteStatus.Referenced"/>).</summary>
    public long RunCount { get; init; }

    /// <summary>Gets how many A/B tests belong to the project.</summary>
    public long AbTestCount { get; init; }

    /// <summary>Gets how many experiments belong to the project.</summary>
    public long ExperimentCount { get; init; }

    /// <summary>Gets up to <see cref="MaxListed"/> of the project's runs, newest first.</summary>
    public IReadOnlyList<string> RunIds { get; init; } = [];

    /// <summary>Gets up to <see cref="MaxListed"/> of the project's A/B tests, newest first.</summary>
    public IReadOnlyList<string> AbTestIds { get; init; } = [];

    /// <summary>Gets up to <see cref="MaxListed"/> of the project's experiments, newest first.</summary>
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    /// <summary>Creates the result for a project that records belong to.</summary>
    /// <param name="runCount">How many runs belong to it.</param>
    /// <param name="runIds">Some of them, newest first.</param>
    /// <param name="abTestCount">How many A/B tests belong to it.</param>
    /// <param name="abTestIds">Some of them, newest first.</param>
    /// <param name="experimentCount">How many experiments belong to it.</param>
    /// <param name="experimentIds">Some of them, newest first.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or all are zero.</exception>
    /// <exception cref="ArgumentNullException">A list is <see langword="null"/>.</exception>
    public static ProjectDeleteResult Referenced(
        long runCount, IEnumerable<string> runIds, long abTestCount, IEnumerable<string> abTestIds, long experimentCount, IEnumerable<string> experimentIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(runCount);
        ArgumentOutOfRangeException.ThrowIfNegative(abTestCount);
        ArgumentOutOfRangeException.ThrowIfNegative(experimentCount);
        ArgumentOutOfRangeException.ThrowIfZero(runCount + abTestCount + experimentCount, nameof(runCount));
        ArgumentNullException.ThrowIfNull(runIds);
        ArgumentNullException.ThrowIfNull(abTestIds);
        ArgumentNullException.ThrowIfNull(experimentIds);
        return new()
        {
            Status = ProjectDeleteStatus.Referenced,
            RunCount = runCount,
            AbTestCount = abTestCount,
            ExperimentCount = experimentCount,
            RunIds = [.. runIds.Take(MaxListed)],
            AbTestIds = [.. abTestIds.Take(MaxListed)],
            ExperimentIds = [.. experimentIds.Take(MaxListed)],
        };
    }

    /// <inheritdoc/>
    public bool Equals(ProjectDeleteResult? other) =>
        other is not null && Status == other.Status && RunCount == other.RunCount && AbTestCount == other.AbTestCount && ExperimentCount == other.ExperimentCount
        && RunIds.SequenceEqual(other.RunIds, StringComparer.Ordinal) && AbTestIds.SequenceEqual(other.AbTestIds, StringComparer.Ordinal)
        && ExperimentIds.SequenceEqual(other.ExperimentIds, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Status, RunCount, AbTestCount, ExperimentCount);
}
