namespace EvalKit.Erasure;

/// <summary>
/// The kinds of records an erasure counts (<see cref="ErasureCounts.ByKind"/>); each erasure's audit entries name
/// them as their record type (<see cref="Security.AuditEntry.RecordType"/>), one entry per kind with its count.
/// </summary>
public static class ErasureKinds
{
    /// <summary>Registered models.</summary>
    public const string Models = "models";

    /// <summary>Revision records of models (their history).</summary>
    public const string ModelRevisions = "model-revisions";

    /// <summary>Dataset versions.</summary>
    public const string Datasets = "datasets";

    /// <summary>The cases of dataset versions.</summary>
    public const string Cases = "cases";

    /// <summary>Benchmark suites.</summary>
    public const string Benchmarks = "benchmarks";

    /// <summary>Evaluation runs.</summary>
    public const string Runs = "runs";

    /// <summary>Per-case results of runs.</summary>
    public const string CaseResults = "case-results";

    /// <summary>Shards of distributed runs.</summary>
    public const string Shards = "shards";

    /// <summary>Metric points.</summary>
    public const string MetricPoints = "metric-points";

    /// <summary>Cached model responses.</summary>
    public const string CachedResponses = "cached-responses";

    /// <summary>A/B tests (their results are computed from their runs, which are counted as runs).</summary>
    public const string AbTests = "ab-tests";

    /// <summary>Experiments.</summary>
    public const string Experiments = "experiments";

    /// <summary>The links between experiments' variants and their runs.</summary>
    public const string ExperimentRuns = "experiment-runs";

    /// <summary>Experiment templates.</summary>
    public const string ExperimentTemplates = "experiment-templates";

    /// <summary>Projects.</summary>
    public const string Projects = "projects";

    /// <summary>Older audit entries whose record id was replaced by <see cref="Security.AuditEntry.ErasedRecordId"/> (the entries themselves are kept).</summary>
    public const string AuditEntriesScrubbed = "audit-entries-scrubbed";
}
