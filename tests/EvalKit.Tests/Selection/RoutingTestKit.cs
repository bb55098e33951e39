using System.Reflection;
using System.Runtime.CompilerServices;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Selection;

/// <summary>What a simulated model does on one call.</summary>
internal sealed record SimReply(string Text, TimeSpan Latency, long InputTokens = 100, long OutputTokens = 50, double Quality = 1, Exception? Error = null, bool FailMidStream = false);

/// <summary>
/// A deterministic model: <c>behave(callIndex, messages)</c> decides each reply; latency is simulated by advancing the manual
/// clock, never by sleeping. Streams in two updates, the second carrying the usage.
/// </summary>
internal sealed class SimChatClient(string name, ManualClock clock, Func<int, IReadOnlyList<ChatMessage>, SimReply> behave) : IChatClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public static SimChatClient Answering(string name, ManualClock clock, TimeSpan latency, string text = "ok") =>
        new(name, clock, (_, _) => new SimReply($"{text} from {name}", latency));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = behave(Interlocked.Increment(ref _calls) - 1, [.. messages]);
        clock.Advance(reply.Latency);
        if (reply.Error is { } error)
        {
            return Task.FromException<ChatResponse>(error);
        }

        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.Text))
        {
            ModelId = "provider-" + name,
            Usage = new UsageDetails { InputTokenCount = reply.InputTokens, OutputTokenCount = reply.OutputTokens },
            AdditionalProperties = new() { ["sim.quality"] = reply.Quality },
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = behave(Interlocked.Increment(ref _calls) - 1, [.. messages]);
        await Task.Yield();
        clock.Advance(reply.Latency / 2);
        if (reply.Error is { } error && !reply.FailMidStream)
        {
            throw error;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Text[..(reply.Text.Length / 2)]) { ModelId = "provider-" + name };
        clock.Advance(reply.Latency / 2);
        if (reply.Error is { } late)
        {
            throw late;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Text[(reply.Text.Length / 2)..])
        {
            ModelId = "provider-" + name,
            Contents = { new UsageContent(new UsageDetails { InputTokenCount = reply.InputTokens, OutputTokenCount = reply.OutputTokens }) },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>A store, registry, evidence source, engine and client map for routing tests.</summary>
internal sealed class RoutingFixture
{
    public RoutingFixture(SelectionOptions? options = null)
    {
        Registry = new ModelRegistry(Storage, Clock);
        Evidence = new StorageSelectionEvidenceSource(Storage);
        Engine = new SelectionEngine(Registry, Evidence, Clock, Options.Create(options ?? new SelectionOptions()));
    }

    public ManualClock Clock { get; } = new();

    public InMemoryEvalKitStorage Storage { get; } = new();

    public ModelRegistry Registry { get; }

    public StorageSelectionEvidenceSource Evidence { get; }

    public SelectionEngine Engine { get; }

    public ModelClientMap Clients { get; } = new();

    /// <summary>Registers a model with a completed run on <c>bench</c> (its quality and p95) and its client.</summary>
    public async Task AddModelAsync(string id, double quality, IChatClient client, TimeSpan? p95 = null, ModelPricing? pricing = null, string[]? capabilities = null)
    {
        await Registry.RegisterAsync(new ModelDescriptor { Id = id, Capabilities = new HashSet<string>(capabilities ?? ["chat"]), Pricing = pricing });
        await StoredEvidence.AddCompletedRunAsync(Storage, "run-" + id, id, Clock.GetUtcNow().AddDays(-1), mean: quality, n: 500, p95: p95 ?? TimeSpan.FromMilliseconds(800));
        Clients.Add(id, client);
        Evidence.Invalidate();
    }

    public SelectingChatClient Router(SelectionRequest request, SelectingChatClientOptions? options = null, IChatClient? inner = null, IMetricStorage? metrics = null) =>
        new(inner ?? SimChatClient.Answering("inner", Clock, TimeSpan.Zero), Engine, Clients, _ => request, options, metrics ?? Storage.Metrics, Clock);

    public async Task<List<MetricPoint>> PointsAsync(string modelId, string? name = null)
    {
        var points = new List<MetricPoint>();
        await foreach (var point in Storage.Metrics.QueryAsync(modelId, name, DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            points.Add(point);
        }

        return points;
    }
}

/// <summary>A metric store that fails every write; built as a proxy so that it follows the interface as it grows.</summary>
#pragma warning disable CA1852 // DispatchProxy needs an unsealed type
internal class FailingMetricStorage : DispatchProxy
#pragma warning restore CA1852
{
    public static IMetricStorage Create() => Create<IMetricStorage, FailingMetricStorage>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != nameof(IMetricStorage.AppendAsync))
        {
            throw new NotSupportedException(targetMethod?.Name);
        }

#pragma warning disable CA2012 // The proxy returns the ValueTask to its caller, who awaits it once.
        return ValueTask.FromException(new StorageException("The metric store is down."));
#pragma warning restore CA2012
    }
}
