namespace EvalKit.Selection;

/// <summary>
/// The evidence about one model. Each estimate carries its sample size, interval and origin; an estimate that is
/// <see langword="null"/> means the evidence is insufficient, and <see cref="Notes"/> says why.
/// </summary>
public sealed record ModelEvidence
{
    private readonly IReadOnlyDictionary<SelectionCriterion, string> _notes = new Dictionary<SelectionCriterion, string>();

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the quality: the mean of the quality metric with its confidence interval and case count.</summary>
    public Estimate? Quality { get; init; }

    /// <summary>Gets the 95th percentile of the latency, in milliseconds.</summary>
    public Estimate? LatencyP95Milliseconds { get; init; }

    /// <summary>Gets the success rate of calls, in [0, 1].</summary>
    public Estimate? SuccessRate { get; init; }

    /// <summary>Gets the cost of 1,000 requests, in the pricing's currency.</summary>
    public Estimate? CostPer1kRequests { get; init; }

    /// <summary>Gets the cost of one million tokens (input and output together), in the pricing's currency.</summary>
    public Estimate? CostPerMillionTokens { get; init; }

    /// <summary>Gets the run the quality comes from, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// Gets when this evidence changes by the passage of time alone, with nothing written: when its oldest runtime sample
    /// leaves the query's window, or when a sample stamped after the window's end enters it. <see langword="null"/> when
    /// time alone does not change it.
    /// </summary>
    /// <remarks>
    /// The selection engine keeps a decision no later than the earliest of its candidates' values, so that a decision kept
    /// for long (an hour, with EvalKit's cache) is still the one it would make now. A source whose evidence slides with time
    /// should set it; one that does not makes decisions that last until its <see cref="ISelectionEvidenceSource.Version"/>
    /// changes or their lifetime ends.
    /// </remarks>
    public DateTimeOffset? ChangesAt { get; init; }

    /// <summary>
    /// Gets, per criterion, what the source found missing or thin, in words (such as "only 12 runtime latency samples in the
    /// window (minimum 30), using run r-1"): why an estimate is missing, or why it comes from a fallback.
    /// </summary>
    public IReadOnlyDictionary<SelectionCriterion, string> Notes
    {
        get => _notes;
        init => _notes = value is null ? new Dictionary<SelectionCriterion, string>() : new Dictionary<SelectionCriterion, string>(value);
    }
}
