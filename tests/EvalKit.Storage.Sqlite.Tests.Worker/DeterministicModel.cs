using System.Collections.Concurrent;
using System.Globalization;
using EvalKit.Evaluation;
using Microsoft.Extensions.AI;

namespace EvalKit.Storage.Sqlite.Tests.Worker;

/// <summary>
/// A model whose every answer, usage and failure is a function of the case and repetition alone, so that an interrupted
/// and resumed run must end with the summary of an uninterrupted one. Each call takes about 0.2 ms on average.
/// </summary>
/// <remarks>
/// About 60% of answers are exactly right, 20% right inside a sentence (numeric match only) and 20% wrong;
/// cases whose ordinal ends in 007 always fail (fatal), and those ending in 003 fail once per process with a transient error, then succeed.
/// </remarks>
internal sealed class DeterministicModel : IChatClient
{
    private readonly ConcurrentDictionary<(long Case, long Repetition), int> _attempts = new();
    private long _calls;
    private int _firstAttempts;

    /// <summary>Gets the number of distinct (case, repetition) pairs this process asked about.</summary>
    public int Evaluated => _attempts.Count;

    /// <summary>Gets the number of distinct (case, repetition) pairs after which the model prints <c>started</c>, once (0: never).</summary>
    public int StartedAfter { get; init; }

    /// <summary>Gets a value indicating whether every call after <see cref="StartedAfter"/> waits until cancelled, so that a killed worker surely holds work.</summary>
    public bool HangAfterStarted { get; init; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last(m => m.Role == ChatRole.User).Text;
        var ordinal = long.Parse(prompt.AsSpan(5, prompt.IndexOf(':', StringComparison.Ordinal) - 5), NumberStyles.None, CultureInfo.InvariantCulture);
        var repetition = (options?.Seed ?? throw new InvalidOperationException("The run sets no seed.")) - Program.BaseSeed;
        var attempt = _attempts.AddOrUpdate((ordinal, repetition), 1, (_, n) => n + 1);
        if (attempt == 1 && StartedAfter > 0 && Interlocked.Increment(ref _firstAttempts) is var first && first >= StartedAfter)
        {
            if (first == StartedAfter)
            {
                Console.WriteLine("started");
            }

            if (HangAfterStarted)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        // About 0.2 ms per call: a timer tick (about 1 ms) on every fifth call, a yield on the others.
        if (Interlocked.Increment(ref _calls) % 5 == 0)
        {
            await Task.Delay(1, cancellationToken);
        }
        else
        {
            await Task.Yield();
        }

        if (ordinal % 1000 == 7)
        {
            throw new ModelCallException(ErrorCategory.Fatal, $"Case {ordinal} is refused.");
        }

        if (ordinal % 1000 == 3 && attempt == 1)
        {
            throw new ModelCallException(ErrorCategory.Transient, $"Case {ordinal} hit a transient error.");
        }

        var sum = (2 * ordinal).ToString(CultureInfo.InvariantCulture);
        var roll = (ulong)((ordinal * 2_654_435_761L) + (repetition * 40_503L) + 17) % 100;
        var answer = roll switch
        {
            < 60 => sum,
            < 80 => $"The answer is {sum}.",
            _ => (2 * ordinal + 1).ToString(CultureInfo.InvariantCulture),
        };

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            Usage = new UsageDetails { InputTokenCount = 12 + (ordinal % 9), OutputTokenCount = 1 + ((ordinal + repetition) % 4) },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The deterministic model does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
