using EvalKit.Evaluation;
using EvalKit.Registry;

namespace EvalKit.Reporting;

/// <summary>One run in a report: its label, the run, its summary and every case result.</summary>
public sealed record ReportRun
{
    private readonly IReadOnlyList<CaseResult> _results = [];

    /// <summary>Gets the label shown in tables and charts.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the run.</summary>
    public required EvaluationRun Run { get; init; }

    /// <summary>Gets the summary (the stored one, or one computed from the results for a run that has not completed).</summary>
    public required EvaluationSummary Summary { get; init; }

    /// <summary>Gets the results, ordered by case ordinal then repetition.</summary>
    public required IReadOnlyList<CaseResult> Results
    {
        get => _results;
        init => _results = value is null ? [] : [.. value];
    }

    /// <summary>Gets the model's registry entry, when it is registered.</summary>
    public ModelDescriptor? Model { get; init; }
}
