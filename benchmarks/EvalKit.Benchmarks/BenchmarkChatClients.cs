using System.Collections.Frozen;
using Microsoft.Extensions.AI;

namespace EvalKit.Benchmarks;

/// <summary>
/// A zero-latency, deterministic model: looks the last user prompt up in a fixed table and answers synchronously
/// (<see cref="Task.FromResult{TResult}"/>), reporting fixed token usage. Unknown prompts get "unknown".
/// </summary>
public sealed class LookupChatClient(IEnumerable<KeyValuePair<string, string>> answers) : IChatClient
{
    private readonly FrozenDictionary<string, string> _answers = answers.ToFrozenDictionary(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string? prompt = null;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                prompt = message.Text;
            }
        }

        var answer = prompt is not null && _answers.TryGetValue(prompt, out var a) ? a : "unknown";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3, TotalTokenCount = 15 },
        });
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmark model does not stream.");

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}

/// <summary>
/// A model with a fixed latency: waits <paramref name="latency"/> (to within tens of microseconds, through
/// <see cref="PreciseDelay"/>), then answers "ok" with fixed token usage.
/// </summary>
public sealed class FixedLatencyChatClient(TimeSpan latency) : IChatClient
{
    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await PreciseDelay.WaitAsync(latency);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 1, TotalTokenCount = 13 },
        };
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmark model does not stream.");

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
