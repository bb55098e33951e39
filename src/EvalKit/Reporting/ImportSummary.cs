namespace EvalKit.Reporting;

/// <summary>What <see cref="Experiments.IExperimentService.ImportAsync"/> wrote.</summary>
public sealed record ImportSummary
{
    /// <summary>Gets the models (with every revision).</summary>
    public ImportCount Models { get; init; }

    /// <summary>Gets the datasets (with their cases).</summary>
    public ImportCount Datasets { get; init; }

    /// <summary>Gets the benchmarks.</summary>
    public ImportCount Benchmarks { get; init; }

    /// <summary>Gets the evaluation runs.</summary>
    public ImportCount Runs { get; init; }

    /// <summary>Gets the number of case results written (results already stored are never written twice).</summary>
    public long Results { get; init; }

    /// <summary>Gets the experiment templates.</summary>
    public ImportCount Templates { get; init; }

    /// <summary>Gets the experiments.</summary>
    public ImportCount Experiments { get; init; }

    /// <summary>Gets the experiment runs.</summary>
    public ImportCount ExperimentRuns { get; init; }

    /// <summary>Gets the A/B tests.</summary>
    public ImportCount AbTests { get; init; }
}
