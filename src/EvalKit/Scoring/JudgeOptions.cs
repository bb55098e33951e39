using Microsoft.Extensions.AI;

namespace EvalKit.Scoring;

/// <summary>Options of <see cref="JudgeScorer"/>.</summary>
public sealed record JudgeOptions
{
    /// <summary>
    /// The default rubric: rates correctness, completeness and helpfulness against the reference on the declared scale
    /// and asks for <c>{"score": n, "reason": "..."}</c>.
    /// </summary>
    public const string DefaultPromptTemplate =
        """
        You are an impartial judge. Rate how well the response answers the input, judging correctness against the
        reference answer (when one is given), completeness and helpfulness.

        [Input]
        {{input}}

        [Reference answer]
        {{reference}}

        [Response]
        {{output}}

        Give a score from {{min}} (worst) to {{max}} (best). Answer with JSON only, in this form:
        {"score": <number from {{min}} to {{max}}>, "reason": "<one or two sentences>"}
        """;

    /// <summary>Gets the default options: the default rubric on a 1 to 5 scale, raw values, reasons kept.</summary>
    public static JudgeOptions Default { get; } = new();

    /// <summary>
    /// Gets the prompt template. Placeholders: <c>{{input}}</c> (the case's input text), <c>{{output}}</c> (the answer),
    /// <c>{{reference}}</c> (the references, one per line, or <c>(none)</c>), <c>{{min}}</c> and <c>{{max}}</c> (the scale).
    /// Placeholders are replaced in one pass, so placeholder text inside the answer is left alone.
    /// </summary>
    public string PromptTemplate { get; init; } = DefaultPromptTemplate;

    /// <summary>Gets the lowest score of the scale. Default 1.</summary>
    public double MinScore { get; init; } = 1;

    /// <summary>Gets the highest score of the scale. Default 5.</summary>
    public double MaxScore { get; init; } = 5;

    /// <summary>Gets whether the value is rescaled to 0..1 as (score − min) / (max − min); else it is the raw score.</summary>
    public bool Normalize { get; init; }

    /// <summary>Gets the pass threshold on the raw scale: when set, the answer passes when the score reaches it.</summary>
    public double? PassThreshold { get; init; }

    /// <summary>Gets whether the judge's reason goes to <see cref="Score.Explanation"/>. Default <see langword="true"/>.</summary>
    public bool IncludeReason { get; init; } = true;

    /// <summary>Gets the chat options sent with each request (cloned per request), such as a zero temperature.</summary>
    public ChatOptions? ChatOptions { get; init; }

    /// <summary>
    /// Gets the registered id of the judge model (such as <c>openai/gpt-4o</c>), under which the judge's calls are recorded
    /// in <see cref="Score.Usage"/> and priced from the registry. When <see langword="null"/>, the client's
    /// <see cref="ChatClientMetadata.DefaultModelId"/>, then the response's model id, is used; an id the registry does not
    /// know leaves the cost unknown.
    /// </summary>
    public string? ModelId { get; init; }
}
