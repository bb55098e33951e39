using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using EvalKit.Evaluation;
using Microsoft.Extensions.AI;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// A deterministic local "model": it looks answers up in an <see cref="AnswerKey"/>, gets a fixed share of them wrong,
/// takes a few milliseconds, reports token usage, and may fail transiently. Every choice comes from a stable hash of the
/// model id and the prompt, so two runs behave the same.
/// </summary>
public sealed class SimulatedChatClient : IChatClient
{
    private const string DontKnow = "I don't know.";

    private readonly SimulatedModelProfile _profile;
    private readonly AnswerKey _answers;
    private readonly ChatClientMetadata _metadata;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="SimulatedChatClient"/> class.</summary>
    /// <param name="profile">How the model behaves.</param>
    /// <param name="answers">What it knows.</param>
    public SimulatedChatClient(SimulatedModelProfile profile, AnswerKey answers)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(answers);
        if (profile.MinLatencyMilliseconds < 0 || profile.MaxLatencyMilliseconds < profile.MinLatencyMilliseconds)
        {
            throw new ArgumentException($"The latency range of '{profile.ModelId}' is invalid.", nameof(profile));
        }

        _profile = profile;
        _answers = answers;
        _metadata = new ChatClientMetadata("local", defaultModelId: profile.ModelId);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var prompt = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var attempt = _attempts.AddOrUpdate(prompt, 1, static (_, n) => n + 1);

        var latency = _profile.MinLatencyMilliseconds + (int)(Hash("latency", prompt) % (ulong)(_profile.MaxLatencyMilliseconds - _profile.MinLatencyMilliseconds + 1));
        await Task.Delay(latency, cancellationToken);

        if (Chance("persistent-failure", prompt, _profile.PersistentFailurePercent))
        {
            throw new ModelCallException(ErrorCategory.Transient, $"{_profile.ModelId} is overloaded (simulated HTTP 503, attempt {attempt}).");
        }

        if (attempt == 1 && Chance("first-attempt-failure", prompt, _profile.FirstAttemptFailurePercent))
        {
            throw new ModelCallException(ErrorCategory.Transient, $"{_profile.ModelId} dropped the connection (simulated, first attempt).");
        }

        var answer = Answer(prompt);
        var inputCharacters = conversation.Sum(m => m.Text.Length);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = _profile.ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = Tokens(inputCharacters),
                OutputTokenCount = Tokens(answer.Length),
                TotalTokenCount = Tokens(inputCharacters) + Tokens(answer.Length),
            },
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

    private string Answer(string prompt)
    {
        if (!_answers.TryGetAnswer(prompt, out var answer, out var wrongAnswers))
        {
            return DontKnow;
        }

        if (!Chance("wrong", prompt, _profile.WrongPercent))
        {
            return answer;
        }

        return _profile.Mistakes switch
        {
            MistakeStyle.Rambles => $"The answer is {answer}.",
            MistakeStyle.Confuses when wrongAnswers.Count > 0 => wrongAnswers[(int)(Hash("confusion", prompt) % (ulong)wrongAnswers.Count)],
            _ => DontKnow,
        };
    }

    private bool Chance(string purpose, string prompt, int percent) => percent > 0 && Hash(purpose, prompt) % 100 < (ulong)percent;

    // FNV-1a (64-bit), then mixed, of the model id, the purpose and the prompt: stable across processes, unlike string.GetHashCode.
    private ulong Hash(string purpose, string prompt)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{_profile.ModelId}\n{purpose}\n{prompt}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        // Final mix (MurmurHash3's fmix64) so that the low digits used by "% 100" are well spread.
        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }
}
