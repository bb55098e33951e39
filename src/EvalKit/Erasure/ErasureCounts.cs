namespace EvalKit.Erasure;

/// <summary>How many records of each kind one erasure removed (and how many audit entries it scrubbed).</summary>
public sealed record ErasureCounts
{
    /// <summary>Gets an instance with every count 0.</summary>
    public static ErasureCounts None { get; } = new();

    /// <summary>Gets how many models were deleted.</summary>
    public long Models { get; init; }

    /// <summary>Gets how many model revision records were deleted.</summary>
    public long ModelRevisions { get; init; }

    /// <summary>Gets how many dataset versions were deleted.</summary>
    public long Datasets { get; init; }

    /// <summary>Gets how many dataset cases were deleted.</summary>
    public long Cases { get; init; }

    /// <summary>Gets how many benchmark suites were deleted.</summary>
    public long Benchmarks { get; init; }

    /// <summary>Gets how many evaluation runs were deleted.</summary>
    public long Runs { get; init; }

    /// <summary>Gets how many per-case results were deleted.</summary>
    public long CaseResults { get; init; }

    /// <summary>Gets how many shards of distributed runs were deleted.</summary>
    public long Shards { get; init; }

    /// <summary>Gets how many metric points were deleted.</summary>
    public long MetricPoints { get; init; }

    /// <summary>Gets how many cached responses were deleted.</summary>
    public long CachedResponses { get; init; }

    /// <summary>Gets how many A/B tests were deleted.</summary>
    public long AbTests { get; init; }

    /// <summary>Gets how many experiments were deleted.</summary>
    public long Experiments { get; init; }

    /// <summary>Gets how many experiment-run links were deleted.</summary>
    public long ExperimentRuns { get; init; }

    /// <summary>Gets how many experiment templates were deleted.</summary>
    public long ExperimentTemplates { get; init; }

    /// <summary>Gets how many projects were deleted.</summary>
    public long Projects { get; init; }

    /// <summary>Gets how many older audit entries had their record id scrubbed (they are kept, see <see cref="Security.AuditEntry.ErasedRecordId"/>).</summary>
    public long AuditEntriesScrubbed { get; init; }

    /// <summary>Gets how many records were deleted in all (scrubbed audit entries are not deleted and not counted here).</summary>
    public long Total =>
        Models + ModelRevisions + Datasets + Cases + Benchmarks + Runs + CaseResults + Shards + MetricPoints + CachedResponses
        + AbTests + Experiments + ExperimentRuns + ExperimentTemplates + Projects;

    /// <summary>Adds two sets of counts.</summary>
    /// <param name="other">The counts to add.</param>
    /// <returns>The sums.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public ErasureCounts Add(ErasureCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new()
        {
            Models = Models + other.Models,
            ModelRevisions = ModelRevisions + other.ModelRevisions,
            Datasets = Datasets + other.Datasets,
            Cases = Cases + other.Cases,
            Benchmarks = Benchmarks + other.Benchmarks,
            Runs = Runs + other.Runs,
            CaseResults = CaseResults + other.CaseResults,
            Shards = Shards + other.Shards,
            MetricPoints = MetricPoints + other.MetricPoints,
            CachedResponses = CachedResponses + other.CachedResponses,
            AbTests = AbTests + other.AbTests,
            Experiments = Experiments + other.Experiments,
            ExperimentRuns = ExperimentRuns + other.ExperimentRuns,
            ExperimentTemplates = ExperimentTemplates + other.ExperimentTemplates,
            Projects = Projects + other.Projects,
            AuditEntriesScrubbed = AuditEntriesScrubbed + other.AuditEntriesScrubbed,
        };
    }

    /// <summary>Gets the counts by kind (keys from <see cref="ErasureKinds"/>), every kind present, in a fixed order.</summary>
    /// <returns>The counts by kind.</returns>
    public IReadOnlyList<KeyValuePair<string, long>> ByKind() =>
    [
        new(ErasureKinds.Models, Models),
        new(ErasureKinds.ModelRevisions, ModelRevisions),
        new(ErasureKinds.Datasets, Datasets),
        new(ErasureKinds.Cases, Cases),
        new(ErasureKinds.Benchmarks, Benchmarks),
        new(ErasureKinds.Runs, Runs),
        new(ErasureKinds.CaseResults, CaseResults),
        new(ErasureKinds.Shards, Shards),
        new(ErasureKinds.MetricPoints, MetricPoints),
        new(ErasureKinds.CachedResponses, CachedResponses),
        new(ErasureKinds.AbTests, AbTests),
        new(ErasureKinds.Experiments, Experiments),
        new(ErasureKinds.ExperimentRuns, ExperimentRuns),
        new(ErasureKinds.ExperimentTemplates, ExperimentTemplates),
        new(ErasureKinds.Projects, Projects),
        new(ErasureKinds.AuditEntriesScrubbed, AuditEntriesScrubbed),
    ];
}
