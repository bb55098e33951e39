namespace EvalKit.Comparisons;

/// <summary>The results of an A/B test: the pairwise comparison of its models' runs, with the test's identity.</summary>
public sealed record AbTestResults : ComparisonResults
{
    /// <summary>Gets the test id.</summary>
    public required string TestId { get; init; }

    /// <summary>Gets the test's name.</summary>
    public required string TestName { get; init; }

    /// <summary>Gets the benchmark the models were evaluated on.</summary>
    public required string BenchmarkId { get; init; }

    /// <inheritdoc/>
    protected override string Title => $"A/B test '{TestName}' ({TestId}) on benchmark '{BenchmarkId}'";
}
