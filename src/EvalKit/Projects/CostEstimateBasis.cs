namespace EvalKit.Projects;

/// <summary>What a <see cref="CostEstimate"/>'s token counts come from.</summary>
public enum CostEstimateBasis
{
    /// <summary>The average tokens per call of the model's recent completed runs (on the same dataset when there are any).</summary>
    History,

    /// <summary>No history: the prompts' length (four characters per token) and the output limit.</summary>
    PromptLength,
}
