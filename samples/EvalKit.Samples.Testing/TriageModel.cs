using System.Text;
using Microsoft.Extensions.AI;

namespace EvalKit.Samples.Testing;

/// <summary>
/// A deterministic fake ticket classifier, standing in for a real model behind <see cref="IChatClient"/>. It knows the
/// right label of every ticket in its answer key and gets a fixed share of them wrong, choosing which from a stable hash
/// of its id and the ticket, so the same model gives the same answers in every run and every process.
/// </summary>
/// <remarks>Replace it with your provider's <see cref="IChatClient"/> (OpenAI, Azure, Ollama...) and keep the tests.</remarks>
public sealed class TriageModel : IChatClient
{
    /// <summary>The answer given to a ticket the model does not know.</summary>
    public const string Unknown = "unknown";

    private readonly IReadOnlyDictionary<string, string> _answers;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="TriageModel"/> class.</summary>
    /// <param name="id">The model id, as registered in the model registry.</param>
    /// <param name="answers">The right label of each ticket text (see <see cref="TriageSuite.AnswerKey"/>).</param>
    /// <param name="wrongPercent">The share of tickets the model labels wrongly, in [0, 100].</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wrongPercent"/> is outside [0, 100].</exception>
    public TriageModel(string id, IReadOnlyDictionary<string, string> answers, int wrongPercent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfNegative(wrongPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wrongPercent, 100);
        Id = id;
        WrongPercent = wrongPercent;
        _answers = answers;
        _metadata = new ChatClientMetadata("local", defaultModelId: id);
    }

    /// <summary>Gets the model id.</summary>
    public string Id { get; }

    /// <summary>Gets the share of tickets the model labels wrongly, in percent.</summary>
    public int WrongPercent { get; }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var answer = Classify(TicketOf(prompt));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = Id,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = (prompt.Length + 3) / 4, OutputTokenCount = 1 },
        });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
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

    // The prompt ends with "Ticket: <text>" (see TriageSuite.PromptTemplate).
    private static string TicketOf(string prompt)
    {
        var at = prompt.LastIndexOf(TriageSuite.TicketMarker, StringComparison.Ordinal);
        return (at < 0 ? prompt : prompt[(at + TriageSuite.TicketMarker.Length)..]).Trim();
    }

    private string Classify(string ticket)
    {
        if (!_answers.TryGetValue(ticket, out var label))
        {
            return Unknown;
        }

        return Hash(ticket) % 100 < (ulong)WrongPercent ? Confusion(label) : label;
    }

    // The mistake a classifier plausibly makes for each label.
    private static string Confusion(string label) => label switch
    {
        "billing" => "refund",
        "refund" => "billing",
        "shipping" => "refund",
        "account" => "technical",
        _ => "account",
    };

    // FNV-1a (64-bit) of the model id and the ticket, then MurmurHash3's final mix so that "% 100" is well spread.
    private ulong Hash(string ticket)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(Id + "\n" + ticket))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }
}
