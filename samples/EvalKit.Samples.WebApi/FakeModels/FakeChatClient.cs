using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace EvalKit.Samples.WebApi.FakeModels;

/// <summary>
/// An offline, deterministic model: it answers from the <see cref="AnswerBook"/>, gets a fixed share of prompts wrong
/// (chosen by a stable hash of the model id and the prompt, so every run agrees), reports token usage, and answers at once.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private const string DontKnow = "I don't know.";

    private readonly FakeModelOptions _profile;
    private readonly AnswerBook _answers;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="FakeChatClient"/> class.</summary>
    /// <param name="profile">How the model behaves.</param>
    /// <param name="answers">What it knows.</param>
    public FakeChatClient(FakeModelOptions profile, AnswerBook answers)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(answers);
        _profile = profile;
        _answers = answers;
        _metadata = new ChatClientMetadata("fake", defaultModelId: profile.ModelId);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_profile.NeverAnswers)
        {
            // A model that hangs: the call ends only when the run is cancelled (or the call times out).
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var conversation = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var prompt = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var answer = !_answers.TryAnswer(prompt, out var right) ? DontKnow
            : Hash(prompt) % 100 < (ulong)_profile.WrongPercent ? DontKnow
            : right;
        var input = Tokens(conversation.Sum(m => m.Text.Length));
        var output = Tokens(answer.Length);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = _profile.ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };
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

    // Roughly four characters per token, as for English text.
    private static long Tokens(int characters) => Math.Max(1, (characters + 3) / 4);

    // FNV-1a (64-bit) of the model id and the prompt, then MurmurHash3's final mix: stable across processes.
    private ulong Hash(string prompt)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{_profile.ModelId}\n{prompt}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }
}
