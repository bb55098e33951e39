namespace EvalKit.Selection;

/// <summary>What happened when a selected model served a request: the feedback the online learner learns from.</summary>
public sealed record SelectionOutcome
{
    /// <summary>Gets the model that served the request.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the request's task class (<see cref="SelectionRequest.TaskClass"/>), if any.</summary>
    public string? TaskClass { get; init; }

    /// <summary>Gets a value indicating whether the call succeeded.</summary>
    public required bool Success { get; init; }

    /// <summary>
    /// Gets the quality of the answer in [0, 1] (a score, a user's thumbs up as 1 or down as 0), or <see langword="null"/> when
    /// unknown: a success then counts as 1. A failed call always counts as 0.
    /// </summary>
    public double? Quality { get; init; }

    /// <summary>Gets the reward in [0, 1] the learner records for this outcome.</summary>
    public double Reward => Success ? Quality ?? 1 : 0;
}
