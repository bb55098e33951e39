namespace EvalKit.Projects;

/// <summary>
/// The estimated cost of a run (<see cref="ICostAccounting.EstimateCostAsync"/>): calls × tokens per call × the model's
/// pricing, plus what its scorers cost per answer in past runs with the same scorers. The estimate ignores the response
/// cache, so a run with cached answers costs less.
/// </summary>
public sealed record CostEstimate
{
    /// <summary>The output tokens assumed per call when neither history nor <see cref="Evaluation.EvaluationOptions.MaxOutputTokens"/> gives a number.</summary>
    public const int AssumedOutputTokens = 512;

    /// <summary>Gets the evaluated model.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the number of calls: the results the run will produce (dataset size × repetitions, less what a resumed run stored).</summary>
    public required long Calls { get; init; }

    /// <summary>Gets the input tokens expected per call.</summary>
    public required double InputTokensPerCall { get; init; }

    /// <summary>Gets the output tokens expected per call.</summary>
    public required double OutputTokensPerCall { get; init; }

    /// <summary>Gets what the token counts come from.</summary>
    public required CostEstimateBasis Basis { get; init; }

    /// <summary>Gets the number of past runs the estimate used (0 for <see cref="CostEstimateBasis.PromptLength"/>).</summary>
    public int HistoryRuns { get; init; }

    /// <summary>Gets the estimated cost of the evaluated model's calls, or <see langword="null"/> when the model has no pricing.</summary>
    public decimal? EvaluationCost { get; init; }

    /// <summary>Gets the estimated cost of the scorers' judge and embedding calls (0 without a past run with the same scorers; see <see cref="ScorerCostFromHistory"/>).</summary>
    public decimal ScorerCost { get; init; }

    /// <summary>Gets whether <see cref="ScorerCost"/> comes from past runs with the same scorers; when <see langword="false"/>, scorer calls are not estimated.</summary>
    public bool ScorerCostFromHistory { get; init; }

    /// <summary>Gets the currency of the model's pricing, when it has one.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the estimated total, or <see langword="null"/> when the model has no pricing (the cost cannot be estimated).</summary>
    public decimal? TotalCost => EvaluationCost is { } evaluation ? evaluation + ScorerCost : null;
}
