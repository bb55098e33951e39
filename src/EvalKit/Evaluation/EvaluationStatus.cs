namespace EvalKit.Evaluation;

/// <summary>The progress of a run, as stored.</summary>
public sealed record EvaluationStatus
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the run's status.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Gets the number of results stored.</summary>
    public required long Done { get; init; }

    /// <summary>Gets the number of stored results whose call failed.</summary>
    public required long Failed { get; init; }

    /// <summary>Gets the number of results the run will produce.</summary>
    public required long Total { get; init; }

    /// <summary>Gets the fraction done, in [0, 1].</summary>
    public double Fraction => Total == 0 ? 1 : (double)Done / Total;

    /// <summary>Gets the rate in results per second, while the run is running in this process.</summary>
    public double? Rate { get; init; }

    /// <summary>Gets the estimated time left, while the run is running in this process.</summary>
    public TimeSpan? EstimatedRemaining { get; init; }
}
