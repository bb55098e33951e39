using Microsoft.Extensions.AI;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>A scripted model: the callback decides each answer. The only fake in EvalKit's tests is the model.</summary>
public sealed class FakeChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> respond) : IChatClient
{
    private int _calls;

    /// <summary>Gets the number of calls made.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>A model that answers every prompt with <paramref name="answer"/> applied to the last user text.</summary>
    public static FakeChatClient Answering(Func<string, string> answer, long? inputTokens = null, long? outputTokens = null) =>
        new((messages, _, _) =>
        {
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(messages.Last(m => m.Role == ChatRole.User).Text)));
            if (inputTokens is not null || outputTokens is not null)
            {
                response.Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens };
            }

            return Task.FromResult(response);
        });

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return await respond([.. messages], options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake model does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
