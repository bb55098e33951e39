namespace EvalKit.Selection;

/// <summary>How the selection engine picks among the models that pass the filters and constraints.</summary>
public enum SelectionMode
{
    /// <summary>The best-scoring model, deterministically; decisions are cached.</summary>
    Ranked,

    /// <summary>
    /// Thompson sampling from runtime feedback (<see cref="ISelectionEngine.RecordOutcome"/>): the quality term is drawn from
    /// each model's posterior, with a minimum exploration share and discounting of old evidence.
    /// </summary>
    Online,
}
