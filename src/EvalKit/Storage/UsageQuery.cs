namespace EvalKit.Storage;

/// <summary>Which results <see cref="IUsageStorage.AggregateAsync"/> aggregates; the filters combine (all must hold).</summary>
public sealed record UsageQuery
{
    private readonly IReadOnlyList<string>? _runIds;

    /// <summary>Gets the project whose runs to aggregate, or <see langword="null"/> for any.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Gets the model whose runs to aggregate, or <see langword="null"/> for any.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the runs to aggregate, or <see langword="null"/> for any.</summary>
    public IReadOnlyList<string>? RunIds
    {
        get => _runIds;
        init => _runIds = value is null ? null : [.. value];
    }

    /// <summary>Gets the earliest completion time of the results counted (inclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the completion time before which results are counted (exclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets whether each run's usage is split by the UTC day its results completed (<see cref="RunUsage.Day"/>).</summary>
    public bool ByDay { get; init; }

    /// <summary>Checks the query.</summary>
    /// <param name="paramName">The parameter named in the error.</param>
    /// <exception cref="ArgumentException">The range is empty, or a run id is blank.</exception>
    internal void Validate(string paramName)
    {
        if (From is { } from && To is { } to && from >= to)
        {
            throw new ArgumentException($"The usage range is empty: From {from:O} is not before To {to:O}.", paramName);
        }

        if (_runIds is not null && _runIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A run id of the usage query is empty.", paramName);
        }
    }

    /// <inheritdoc/>
    public bool Equals(UsageQuery? other) =>
        other is not null && ProjectId == other.ProjectId && ModelId == other.ModelId && From == other.From && To == other.To && ByDay == other.ByDay
        && (RunIds is null ? other.RunIds is null : other.RunIds is not null && RunIds.SequenceEqual(other.RunIds, StringComparer.Ordinal));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ProjectId, ModelId, From, To, ByDay, RunIds?.Count);
}
