namespace EvalKit.Reporting;

/// <summary>The formats <see cref="Experiments.IExperimentService.ExportAsync"/> writes.</summary>
public enum ReportFormat
{
    /// <summary>A complete, re-importable JSON export: models, datasets with their cases, benchmarks, runs with every result, experiments, templates and A/B tests.</summary>
    Json,

    /// <summary>CSV (RFC 4180: comma-separated, CRLF line ends, quoted where needed), one row per case result.</summary>
    Csv,

    /// <summary>A Markdown summary that fits a CI step summary: leaderboard with intervals, comparisons, verdict.</summary>
    Markdown,

    /// <summary>JUnit XML: one test suite per run and one test case per eval case, failed when the case does not pass.</summary>
    JUnit,

    /// <summary>A self-contained HTML report (no network, no script): leaderboard, charts, comparisons and every case.</summary>
    Html,
}
