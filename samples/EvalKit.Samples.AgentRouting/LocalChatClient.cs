using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace EvalKit.Samples.AgentRouting;

/// <summary>
/// A deterministic fake model behind <see cref="IChatClient"/>. It answers the evaluation's sums (wrongly for a fixed share
/// of them, chosen by a stable hash of its id and the question), replies to any other request with a short canned text,
/// describes attached images, takes its latency by advancing the <see cref="SimulatedClock"/>, and reports token usage as
/// an agent's call would: a 600-token system prompt and tool list on top of the user's text, about 120 tokens out.
/// </summary>
public sealed partial class LocalChatClient : IChatClient
{
    private const int SystemPromptTokens = 600;
    private const int ReasoningTokens = 120;

    private readonly LocalModel _model;
    private readonly SimulatedClock _clock;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="LocalChatClient"/> class.</summary>
    /// <param name="model">The model it plays.</param>
    /// <param name="clock">The clock it advances by its latency.</param>
    public LocalChatClient(LocalModel model, SimulatedClock clock)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(clock);
        _model = model;
        _clock = clock;
        _metadata = new ChatClientMetadata("local", defaultModelId: model.Id);
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var user = messages.LastOrDefault(m => m.Role == ChatRole.User);
        var prompt = user?.Text ?? string.Empty;
        var image = user?.Contents.OfType<DataContent>().FirstOrDefault(c => c.HasTopLevelMediaType("image"));

        // 90% to 110% of the typical latency, the same for the same prompt.
        var jitter = 0.9 + (0.2 * (Hash("latency", prompt) % 1001) / 1000.0);
        _clock.Advance(_model.Latency * jitter);

        var answer = SumQuestion().Match(prompt) is { Success: true } sum ? Sum(sum, prompt)
            : image is not null ? string.Create(CultureInfo.InvariantCulture, $"The attached {image.MediaType} image ({image.Data.Length} bytes) shows a settings screen with an error banner.")
            : $"Done: {Shorten(prompt)}";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = _model.Id,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = SystemPromptTokens + ((prompt.Length + 3) / 4),
                OutputTokenCount = ReasoningTokens + ((answer.Length + 3) / 4),
            },
        });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing to release.
    }

    [GeneratedRegex(@"What is (\d+) \+ (\d+)\?", RegexOptions.CultureInvariant)]
    private static partial Regex SumQuestion();

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private string Sum(Match question, string prompt)
    {
        var right = long.Parse(question.Groups[1].Value, CultureInfo.InvariantCulture) + long.Parse(question.Groups[2].Value, CultureInfo.InvariantCulture);
        var wrong = Hash("wrong", prompt) % 100 < (ulong)_model.WrongPercent;
        return (wrong ? right + 10 : right).ToString(CultureInfo.InvariantCulture);
    }

    // FNV-1a (64-bit) of the model id, the purpose and the prompt, then MurmurHash3's final mix: stable across processes.
    private ulong Hash(string purpose, string prompt)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{_model.Id}\n{purpose}\n{prompt}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }
}
