using System.Runtime.ExceptionServices;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalKit.Selection;

/// <summary>
/// An <see cref="IChatClient"/> that routes every request to a model chosen by the <see cref="ISelectionEngine"/>: it builds a
/// <see cref="SelectionRequest"/> (from its factory, then the per-request overrides in <see cref="ChatOptions.AdditionalProperties"/>,
/// see <see cref="SelectionPropertyNames"/>), calls the chosen model's client, falls back to the next ranked model when a call
/// fails (at most <see cref="SelectingChatClientOptions.MaxAttempts"/> models), and feeds latency, tokens, cost and errors back
/// as runtime metric points and to the online learner. The model that answered is in <see cref="ChatResponse.ModelId"/> and in
/// <see cref="SelectionPropertyNames.SelectedModel"/>.
/// </summary>
/// <remarks>
/// The model clients come from the <see cref="IModelClientProvider"/> and are not owned: they are never disposed here. The inner
/// client (the rest of the pipeline) is owned as in any <see cref="DelegatingChatClient"/>; it serves only requests for which no
/// model is eligible, when <see cref="SelectingChatClientOptions.UseInnerClientWhenNoModelEligible"/> is set. A streamed
/// response falls back only until its first update: once output has reached the caller, a failure is recorded and rethrown.
/// </remarks>
public sealed partial class SelectingChatClient : DelegatingChatClient
{
    private static readonly Dictionary<string, string> RoutingTags = new(StringComparer.Ordinal) { [MetricTags.Source] = RoutingMetricTags.RoutingSource };

    private readonly ISelectionEngine _engine;
    private readonly IModelClientProvider _clients;
    private readonly Func<ChatSelectionContext, SelectionRequest> _requestFactory;
    private readonly SelectingChatClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RuntimeMetricsWriter? _metrics;
    private readonly ITenantContext _tenantContext;

    /// <summary>Initializes a new instance of the <see cref="SelectingChatClient"/> class.</summary>
    /// <param name="innerClient">The rest of the pipeline (owned, as in any delegating client); used only as described in <see cref="SelectingChatClientOptions.UseInnerClientWhenNoModelEligible"/>.</param>
    /// <param name="engine">The selection engine.</param>
    /// <param name="clients">Finds each model's client (not owned).</param>
    /// <param name="requestFactory">Builds the selection request of a chat request.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>. Read once, here.</param>
    /// <param name="metrics">Where runtime metric points go, or <see langword="null"/> to record none.</param>
    /// <param name="timeProvider">The clock that measures latency and stamps points; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">The logger, if any.</param>
    /// <param name="tenantContext">
    /// Names the tenant of each request, whose runtime metric points it records (they are written in the background, after
    /// the request); <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SelectingChatClient(
        IChatClient innerClient,
        ISelectionEngine engine,
        IModelClientProvider clients,
        Func<ChatSelectionContext, SelectionRequest> requestFactory,
        SelectingChatClientOptions? options = null,
        IMetricStorage? metrics = null,
        TimeProvider? timeProvider = null,
        ILogger<SelectingChatClient>? logger = null,
        ITenantContext? tenantContext = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(requestFactory);
        var o = options ?? new SelectingChatClientOptions();
        o.Validate();
        _options = o.Copy();
        _engine = engine;
        _clients = clients;
        _requestFactory = requestFactory;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _tenantContext = tenantContext ?? AmbientTenantContext.Instance;
        if (metrics is not null && _options.RecordRuntimeMetrics)
        {
            _metrics = new RuntimeMetricsWriter(metrics, _options.MetricsBatchSize, _logger);
        }
    }

    /// <summary>Gets the number of runtime metric points dropped because the metric store failed to write them.</summary>
    public long DroppedMetricPoints => _metrics?.Dropped ?? 0;

    /// <summary>Waits until every runtime metric point recorded so far has been written to the metric store.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the points are written (or dropped after a failed write).</returns>
    public Task FlushMetricsAsync(CancellationToken cancellationToken = default) =>
        _metrics?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages]; // sent again on fallback: enumerate a lazy sequence once
        var request = BuildRequest(list, options);
        var ranked = await _engine.RankAsync(request, request.TopK, cancellationToken).ConfigureAwait(false);
        if (ranked.Count == 0)
        {
            await OnNoEligibleModelAsync(request, cancellationToken).ConfigureAwait(false);
            return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }

        var attempts = Math.Min(_options.MaxAttempts, ranked.Count);
        ExceptionDispatchInfo? lastError = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var choice = ranked[attempt];
            var client = ClientOf(choice.ModelId, request);
            if (client is null)
            {
                continue;
            }

            var start = _time.GetTimestamp();
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                RecordFailure(choice, request, _time.GetElapsedTime(start), e, attempt);
                lastError = ExceptionDispatchInfo.Capture(e);
                continue;
            }

            var quality = _options.QualityFeedback?.Invoke(response);
            RecordSuccess(choice, request, _time.GetElapsedTime(start), null, response.Usage, quality);
            if (response.ModelId is { } providerModel && !string.Equals(providerModel, choice.ModelId, StringComparison.Ordinal))
            {
                (response.AdditionalProperties ??= [])[SelectionPropertyNames.ProviderModelId] = providerModel;
            }

            response.ModelId = choice.ModelId;
            (response.AdditionalProperties ??= [])[SelectionPropertyNames.SelectedModel] = choice.ModelId;
            response.AdditionalProperties[SelectionPropertyNames.Attempts] = attempt + 1;
            return response;
        }

        lastError?.Throw();
        throw NoClient(ranked, attempts);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var request = BuildRequest(list, options);
        var ranked = await _engine.RankAsync(request, request.TopK, cancellationToken).ConfigureAwait(false);
        if (ranked.Count == 0)
        {
            await OnNoEligibleModelAsync(request, cancellationToken).ConfigureAwait(false);
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var attempts = Math.Min(_options.MaxAttempts, ranked.Count);
        ExceptionDispatchInfo? lastError = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var choice = ranked[attempt];
            var client = ClientOf(choice.ModelId, request);
            if (client is null)
            {
                continue;
            }

            // Until the first update arrives, a failure falls back to the next model.
            var start = _time.GetTimestamp();
            IAsyncEnumerator<ChatResponseUpdate>? stream = null;
            var hasFirst = false;
            try
            {
                stream = client.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                hasFirst = await stream.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                RecordFailure(choice, request, _time.GetElapsedTime(start), e, attempt);
                lastError = ExceptionDispatchInfo.Capture(e);
                continue;
            }

            // Output reaches the caller from here on: no more fallback.
            TimeSpan? timeToFirstToken = hasFirst ? _time.GetElapsedTime(start) : null;
            var tracker = new StreamTracker(_options.QualityFeedback is not null);
            try
            {
                if (hasFirst)
                {
                    var first = stream.Current;
                    first.ModelId = choice.ModelId;
                    (first.AdditionalProperties ??= [])[SelectionPropertyNames.SelectedModel] = choice.ModelId;
                    first.AdditionalProperties[SelectionPropertyNames.Attempts] = attempt + 1;
                    tracker.Observe(first);
                    yield return first;
                }

                while (hasFirst)
                {
                    bool more;
                    try
                    {
                        more = await stream.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        RecordFailure(choice, request, _time.GetElapsedTime(start), e, attempt);
                        throw;
                    }

                    if (!more)
                    {
                        break;
                    }

                    var update = stream.Current;
                    update.ModelId = choice.ModelId;
                    tracker.Observe(update);
                    yield return update;
                }
            }
            finally
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            var quality = tracker.Updates is { } updates ? _options.QualityFeedback!(updates.ToChatResponse()) : null;
            RecordSuccess(choice, request, _time.GetElapsedTime(start), timeToFirstToken, tracker.Usage, quality);
            yield break;
        }

        lastError?.Throw();
        throw NoClient(ranked, attempts);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(_engine) && serviceType != typeof(object)
            ? _engine
            : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _metrics?.Complete();
        }

        base.Dispose(disposing);
    }

    /// <summary>Throws <see cref="NoEligibleModelException"/> unless the inner client may serve the request.</summary>
    private async ValueTask OnNoEligibleModelAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        if (!_options.UseInnerClientWhenNoModelEligible)
        {
            throw new NoEligibleModelException(await _engine.ExplainAsync(request, cancellationToken).ConfigureAwait(false));
        }

        LogNoEligibleModel(_logger);
    }

    private IChatClient? ClientOf(string modelId, SelectionRequest request)
    {
        var client = _clients.GetClient(modelId);
        if (client is null)
        {
            LogNoClient(_logger, modelId);
            var tags = ErrorTags(ErrorCategory.Fatal);
            Enqueue(modelId, MetricNames.Requests, 1, tags);
            Enqueue(modelId, MetricNames.Errors, 1, tags);
            _engine.RecordOutcome(new SelectionOutcome { ModelId = modelId, TaskClass = request.TaskClass, Success = false });
        }

        return client;
    }

    private static InvalidOperationException NoClient(IReadOnlyList<ModelRecommendation> ranked, int attempts) =>
        new($"No client serves the selected models {string.Join(", ", ranked.Take(attempts).Select(r => $"'{r.ModelId}'"))}: register a keyed IChatClient per model id (or add them to the ModelClientMap).");

    private void RecordSuccess(ModelRecommendation choice, SelectionRequest request, TimeSpan latency, TimeSpan? timeToFirstToken, UsageDetails? usage, double? quality)
    {
        Enqueue(choice.ModelId, MetricNames.Requests, 1, RoutingTags);
        Enqueue(choice.ModelId, MetricNames.LatencyMs, latency.TotalMilliseconds, RoutingTags);
        if (timeToFirstToken is { } ttft)
        {
            Enqueue(choice.ModelId, MetricNames.TimeToFirstTokenMs, ttft.TotalMilliseconds, RoutingTags);
        }

        if (usage?.InputTokenCount is { } input)
        {
            Enqueue(choice.ModelId, MetricNames.InputTokens, input, RoutingTags);
        }

        if (usage?.OutputTokenCount is { } output)
        {
            Enqueue(choice.ModelId, MetricNames.OutputTokens, output, RoutingTags);
        }

        if (choice.Model.Pricing?.Cost(usage?.InputTokenCount, usage?.OutputTokenCount) is { } cost)
        {
            Enqueue(choice.ModelId, MetricNames.Cost, (double)cost, RoutingTags);
        }

        var clamped = quality is { } q && double.IsFinite(q) ? Math.Clamp(q, 0, 1) : (double?)null;
        _engine.RecordOutcome(new SelectionOutcome { ModelId = choice.ModelId, TaskClass = request.TaskClass, Success = true, Quality = clamped });
    }

    private void RecordFailure(ModelRecommendation choice, SelectionRequest request, TimeSpan latency, Exception error, int attempt)
    {
        var category = ErrorClassifier.Classify(error);
        LogCallFailed(_logger, error, choice.ModelId, category, attempt + 1);
        var tags = ErrorTags(category);
        Enqueue(choice.ModelId, MetricNames.Requests, 1, tags);
        Enqueue(choice.ModelId, MetricNames.Errors, 1, tags);
        Enqueue(choice.ModelId, MetricNames.LatencyMs, latency.TotalMilliseconds, tags);
        _engine.RecordOutcome(new SelectionOutcome { ModelId = choice.ModelId, TaskClass = request.TaskClass, Success = false });
    }

    private static Dictionary<string, string> ErrorTags(ErrorCategory category) => new(StringComparer.Ordinal)
    {
        [MetricTags.Source] = RoutingMetricTags.RoutingSource,
        [RoutingMetricTags.ErrorType] = category.ToString(),
    };

    private void Enqueue(string modelId, string name, double value, IReadOnlyDictionary<string, string> tags) =>
        _metrics?.Enqueue(EvalKitTenant.Resolve(_tenantContext), new MetricPoint { ModelId = modelId, Name = name, Value = value, Timestamp = _time.GetUtcNow(), Tags = tags });

    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "Model {ModelId} failed ({Category}) on attempt {Attempt}")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string modelId, ErrorCategory category, int attempt);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Model {ModelId} was selected but no client serves it")]
    private static partial void LogNoClient(ILogger logger, string modelId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "No model is eligible for the request; the inner client serves it")]
    private static partial void LogNoEligibleModel(ILogger logger);

    /// <summary>Collects what a streamed response reports: its usage, and its updates when a quality function needs the whole response.</summary>
    private sealed class StreamTracker(bool keepUpdates)
    {
        public List<ChatResponseUpdate>? Updates { get; } = keepUpdates ? [] : null;

        public UsageDetails? Usage { get; private set; }

        public void Observe(ChatResponseUpdate update)
        {
            Updates?.Add(update);
            foreach (var content in update.Contents)
            {
                if (content is UsageContent usage)
                {
                    Usage ??= new UsageDetails();
                    Usage.Add(usage.Details);
                }
            }
        }
    }
}
