using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;

namespace EvalKit.Reporting;

/// <summary>
/// The document of a JSON export (<see cref="ReportFormat.Json"/>), version 1. Members are written in this order; runs
/// come last because their results are the bulk.
/// </summary>
internal sealed record ExportArchive
{
    public const string FormatName = "evalkit-export";

    public const int CurrentVersion = 1;

    public required string Format { get; init; }

    public required int Version { get; init; }

    public DateTimeOffset ExportedAt { get; init; }

    public IReadOnlyList<ArchivedModel> Models { get; init; } = [];

    public IReadOnlyList<ArchivedDataset> Datasets { get; init; } = [];

    public IReadOnlyList<Benchmark> Benchmarks { get; init; } = [];

    public IReadOnlyList<ExperimentTemplate> Templates { get; init; } = [];

    public IReadOnlyList<Experiment> Experiments { get; init; } = [];

    public IReadOnlyList<ExperimentRun> ExperimentRuns { get; init; } = [];

    public IReadOnlyList<AbTest> AbTests { get; init; } = [];

    public IReadOnlyList<ArchivedRun> Runs { get; init; } = [];
}

/// <summary>A model with every revision, oldest first.</summary>
internal sealed record ArchivedModel
{
    public required string Id { get; init; }

    public required IReadOnlyList<ModelRevision> Revisions { get; init; }
}

/// <summary>A dataset version with its cases in ordinal order.</summary>
internal sealed record ArchivedDataset
{
    public required DatasetInfo Info { get; init; }

    public required IReadOnlyList<EvalCase> Cases { get; init; }
}

/// <summary>A run with its results ordered by case ordinal, then repetition.</summary>
internal sealed record ArchivedRun
{
    public required EvaluationRun Run { get; init; }

    public required IReadOnlyList<CaseResult> Results { get; init; }
}
