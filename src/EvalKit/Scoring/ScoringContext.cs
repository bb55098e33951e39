using EvalKit.Datasets;

namespace EvalKit.Scoring;

/// <summary>What a scorer sees: the case, the prompt sent and the model's answer.</summary>
public sealed class ScoringContext
{
    /// <summary>Initializes a new instance of the <see cref="ScoringContext"/> class.</summary>
    /// <param name="case">The case.</param>
    /// <param name="output">The model's answer text.</param>
    /// <param name="modelId">The model id.</param>
    public ScoringContext(EvalCase @case, string output, string modelId)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(modelId);
        Case = @case;
        Output = output;
        ModelId = modelId;
    }

    /// <summary>Gets the case.</summary>
    public EvalCase Case { get; }

    /// <summary>Gets the model's answer text.</summary>
    public string Output { get; }

    /// <summary>Gets the model id.</summary>
    public string ModelId { get; }

    /// <summary>Gets the case's expected outputs.</summary>
    public IReadOnlyList<string> References => Case.References;
}
