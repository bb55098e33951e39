namespace EvalKit.Storage;

/// <summary>The outcome of <see cref="IModelStorage.DeleteAsync"/>.</summary>
public sealed record ModelDeleteResult
{
    /// <summary>The most run ids a result lists.</summary>
    public const int MaxListedRuns = 10;

    /// <summary>Gets the result of a deletion that happened.</summary>
    public static ModelDeleteResult Deleted { get; } = new() { Status = ModelDeleteStatus.Deleted };

    /// <summary>Gets the result for a model that does not exist.</summary>
    public static ModelDeleteResult NotFound { get; } = new() { Status = ModelDeleteStatus.NotFound };

    /// <summary>Gets what happened.</summary>
    public required ModelDeleteStatus Status { get; init; }

    /// <summary>Gets how many runs reference the model (0 unless <see cref="Status"/> is <see cref="ModelDeleteStatus.ReferencedByRuns"/>).</summary>
    public long RunCount { get; init; }

    /// <summary>Gets up to <see cref="MaxListedRuns"/> of the referencing runs, newest first (ordered as <see cref="IRunStorage.ListAsync"/>).</summary>
    public IReadOnlyList<string> RunIds { get; init; } = [];

    /// <summary>Creates the result for a model that runs reference.</summary>
    /// <param name="runCount">How many runs reference the model; positive.</param>
    /// <param name="runIds">Up to <see cref="MaxListedRuns"/> of them, newest first.</param>
    /// <returns>The result.</returns>
    public static ModelDeleteResult Referenced(long runCount, IEnumerable<string> runIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runCount);
        ArgumentNullException.ThrowIfNull(runIds);
        return new() { Status = ModelDeleteStatus.ReferencedByRuns, RunCount = runCount, RunIds = [.. runIds.Take(MaxListedRuns)] };
    }

    /// <inheritdoc/>
    public bool Equals(ModelDeleteResult? other) =>
        other is not null && Status == other.Status && RunCount == other.RunCount && RunIds.SequenceEqual(other.RunIds, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Status, RunCount, RunIds.Count);
}
