namespace EvalKit.Experiments;

/// <summary>An experiment with its runs and, for each benchmark with two or more completed runs, the comparison of those runs.</summary>
public sealed record ExperimentResults
{
    private readonly IReadOnlyList<ExperimentRun> _runs = [];
    private readonly IReadOnlyList<RunComparison> _comparisons = [];

    /// <summary>Gets the experiment.</summary>
    public required Experiment Experiment { get; init; }

    /// <summary>Gets the experiment's runs, in variant order.</summary>
    public required IReadOnlyList<ExperimentRun> Runs
    {
        get => _runs;
        init => _runs = value is null ? [] : [.. value];
    }

    /// <summary>Gets one comparison per benchmark whose variants have two or more completed runs, in benchmark order.</summary>
    public required IReadOnlyList<RunComparison> Comparisons
    {
        get => _comparisons;
        init => _comparisons = value is null ? [] : [.. value];
    }

    /// <summary>Renders the experiment, its runs and its comparisons as text.</summary>
    /// <returns>The report.</returns>
    public string ToText()
    {
        var d = Experiment.Definition;
        var text = new System.Text.StringBuilder();
        text.AppendLine(System.FormattableString.Invariant($"Experiment '{d.Name}' ({Experiment.Id}): {Experiment.Status}"));
        if (d.Hypothesis is not null)
        {
            text.Append("Hypothesis: ").AppendLine(d.Hypothesis);
        }

        foreach (var run in Runs)
        {
            text.AppendLine(System.FormattableString.Invariant($"  {run.Label}: run {run.RunId}, {run.Status}{(run.Error is null ? string.Empty : ": " + run.Error)}"));
        }

        foreach (var comparison in Comparisons)
        {
            text.AppendLine();
            text.Append(comparison.ToText());
        }

        return text.ToString();
    }
}
