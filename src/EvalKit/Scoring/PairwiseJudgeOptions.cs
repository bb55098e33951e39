using Microsoft.Extensions.AI;

namespace EvalKit.Scoring;

/// <summary>Options of <see cref="PairwiseJudge"/>.</summary>
public sealed record PairwiseJudgeOptions
{
    /// <summary>The default prompt: compares response 1 and response 2 and asks for <c>{"winner": "1" | "2" | "tie", "reason": "..."}</c>.</summary>
    public const string DefaultPromptTemplate =
        """
        You are an impartial judge. Compare the two responses to the input below and decide which one answers it
        better, judging correctness against the reference answer (when one is given), completeness and helpfulness.
        Do not let the order of the responses, their length or their style influence you.

        [Input]
        {{input}}

        [Reference answer]
        {{reference}}

        [Response 1]
        {{response_1}}

        [Response 2]
        {{response_2}}

        Answer with JSON only, in this form:
        {"winner": "1" or "2" or "tie", "reason": "<one or two sentences>"}
        """;

    /// <summary>Gets the default options.</summary>
    public static PairwiseJudgeOptions Default { get; } = new();

    /// <summary>
    /// Gets the prompt template. Placeholders: <c>{{input}}</c>, <c>{{response_1}}</c> and <c>{{response_2}}</c> (the
    /// answers in the order shown), and <c>{{reference}}</c> (or <c>(none)</c>).
    /// </summary>
    public string PromptTemplate { get; init; } = DefaultPromptTemplate;

    /// <summary>Gets the chat options sent with each request (cloned per request).</summary>
    public ChatOptions? ChatOptions { get; init; }

    /// <summary>
    /// Gets the registered id of the judge model, under which the judge's calls are recorded in
    /// <see cref="PairwiseVerdict.Usage"/>; when <see langword="null"/>, the client's default model id, then the response's.
    /// </summary>
    public string? ModelId { get; init; }
}
