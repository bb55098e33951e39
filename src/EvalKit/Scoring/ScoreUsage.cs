using Microsoft.Extensions.AI;

namespace EvalKit.Scoring;

/// <summary>
/// What a scorer's calls to one model used and cost while scoring one answer (<see cref="Score.Usage"/>). It is stored with
/// the score, and cost accounting sums it apart from the evaluated model's calls.
/// </summary>
/// <remarks>
/// A scorer records the tokens its model reported and the model's id; the evaluation engine prices the usage with the
/// registered pricing of that model (<see cref="Registry.ModelDescriptor.Pricing"/>) when <see cref="Cost"/> is not set.
/// A model that is not registered or has no pricing, or calls that reported no tokens, leave the cost unknown
/// (<see langword="null"/>), never zero.
/// </remarks>
public sealed record ScoreUsage
{
    /// <summary>Gets what the model was used for.</summary>
    public required ScoreUsageKind Kind { get; init; }

    /// <summary>
    /// Gets the id of the model, as registered when the scorer knows it (see <see cref="JudgeOptions.ModelId"/>), else the id
    /// its client or response names; <see langword="null"/> when unknown.
    /// </summary>
    public string? ModelId { get; init; }

    /// <summary>
    /// Gets the number of calls: judge requests, or for embeddings the texts embedded for this score (texts found in the
    /// scorer's cache cost nothing and are not counted; a batched request serves several scores).
    /// </summary>
    /// <value>The default value is 1.</value>
    public int Calls { get; init; } = 1;

    /// <summary>Gets the input tokens, or <see langword="null"/> when the model did not report them.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the output tokens, or <see langword="null"/> when the model did not report them (0 for embeddings that report input tokens).</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets the cost, or <see langword="null"/> when it is unknown.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Creates the usage of judge calls from what the responses reported.</summary>
    /// <param name="modelId">The judge model's id, if known.</param>
    /// <param name="usage">The usage the responses reported, or <see langword="null"/>.</param>
    /// <param name="calls">The number of calls.</param>
    /// <returns>The usage.</returns>
    internal static ScoreUsage Judge(string? modelId, UsageDetails? usage, int calls = 1) => new()
    {
        Kind = ScoreUsageKind.Judge,
        ModelId = modelId,
        Calls = calls,
        InputTokens = usage?.InputTokenCount,
        OutputTokens = usage?.OutputTokenCount,
    };

    /// <summary>Gets the id a judge's calls are recorded under: the configured id, else the client's default model, else the response's model.</summary>
    /// <param name="configured">The configured id.</param>
    /// <param name="client">The judge's client.</param>
    /// <param name="response">A response of the judge.</param>
    /// <returns>The id, or <see langword="null"/>.</returns>
    internal static string? JudgeModelId(string? configured, IChatClient client, ChatResponse? response) =>
        configured ?? client.GetService<ChatClientMetadata>()?.DefaultModelId ?? response?.ModelId;
}
