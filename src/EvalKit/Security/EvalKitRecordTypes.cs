namespace EvalKit.Security;

/// <summary>The types of the records that audited operations write (<see cref="EvalKitOperation.RecordType"/>).</summary>
public static class EvalKitRecordTypes
{
    /// <summary>A registered model; the id is the model id.</summary>
    public const string Model = "model";

    /// <summary>A dataset version; the id is <c>name@version</c>.</summary>
    public const string Dataset = "dataset";

    /// <summary>A benchmark suite.</summary>
    public const string Benchmark = "benchmark";

    /// <summary>An evaluation run.</summary>
    public const string Run = "run";

    /// <summary>An A/B test.</summary>
    public const string AbTest = "ab-test";

    /// <summary>An experiment.</summary>
    public const string Experiment = "experiment";

    /// <summary>An experiment template.</summary>
    public const string ExperimentTemplate = "experiment-template";

    /// <summary>A project; the id is the project id.</summary>
    public const string Project = "project";

    /// <summary>A JSON export being imported (no id).</summary>
    public const string ExportArchive = "export-archive";

    /// <summary>The metric time series of one model; the id is the model id, or none when the points name several models.</summary>
    public const string MetricSeries = "metric-series";

    /// <summary>The per-case results of runs (retention).</summary>
    public const string CaseResults = "case-results";

    /// <summary>Metric points (retention).</summary>
    public const string MetricPoints = "metric-points";

    /// <summary>Cached model responses (retention).</summary>
    public const string CachedResponses = "cached-responses";

    /// <summary>Audit entries (retention).</summary>
    public const string AuditEntries = "audit-entries";

    /// <summary>Whole runs deleted by retention when their summaries are not kept.</summary>
    public const string Runs = "runs";

    /// <summary>The data of a tenant as a whole (a retention pass).</summary>
    public const string Tenant = "tenant";
}
