namespace EvalKit.Comparisons;

/// <summary>A stored A/B test: its definition, its state and the evaluation run of each model.</summary>
public sealed record AbTest
{
    private readonly IReadOnlyDictionary<string, string> _runIds = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the test id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the definition (with the primary metric resolved from the benchmark when it was not given).</summary>
    public required AbTestDefinition Definition { get; init; }

    /// <summary>Gets the status.</summary>
    public AbTestStatus Status { get; init; }

    /// <summary>Gets the evaluation run id of each model, keyed by model id. The ids are assigned when the test is created,
    /// so an interrupted execution finds and resumes its runs.</summary>
    public IReadOnlyDictionary<string, string> RunIds
    {
        get => _runIds;
        init => _runIds = value is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(value, StringComparer.Ordinal);
    }

    /// <summary>Gets when the test was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when execution last ended (completed, failed or cancelled).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the error that stopped a failed execution.</summary>
    public string? Error { get; init; }

    /// <inheritdoc/>
    public bool Equals(AbTest? other) =>
        other is not null
        && Id == other.Id && Equals(Definition, other.Definition) && Status == other.Status
        && RunIds.Count == other.RunIds.Count
        && RunIds.All(p => other.RunIds.TryGetValue(p.Key, out var v) && v == p.Value)
        && CreatedAt == other.CreatedAt && CompletedAt == other.CompletedAt && Error == other.Error;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Status);
}
