using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using EvalKit.Datasets;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EvalKit.Evaluation;

/// <summary>
/// The evaluation engine: streams a dataset's cases through a model's <see cref="IChatClient"/> with bounded concurrency,
/// rate limits, timeouts and retries, scores every answer, and writes every result once, in batches.
/// </summary>
public sealed partial class EvaluationEngine : IEvaluationEngine
{
    private readonly IEvalKitStorage _storage;
    private readonly IModelRegistry _registry;
    private readonly IModelClientProvider _clients;
    private readonly ScorerCatalog _catalog;
    private readonly EvalKitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IEvaluationObserver[] _observers;
    private readonly OperationGuard _guard;
    private readonly Projects.IBudgetObserver[] _budgetObservers;
    private readonly Caching.EvalKitCache? _cache;
    // Keyed by tenant as well: two tenants may each run a run with the same id, and one must never see or cancel the other's.
    private readonly ConcurrentDictionary<(string Tenant, string RunId), ActiveRun> _active = new();

    /// <summary>Initializes a new instance of the <see cref="EvaluationEngine"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="clients">Finds each model's client.</param>
    /// <param name="catalog">The scorers runs can name.</param>
    /// <param name="options">EvalKit's options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="observers">Receive run lifecycle notifications.</param>
    /// <param name="logger">The logger, if any.</param>
    /// <param name="guard">Authorizes and audits evaluate, batch, resume, cancel and enqueue; one that allows everything (and audits) when <see langword="null"/>.</param>
    /// <param name="budgetObservers">Receive the alerts of project budgets (soft limit reached, run refused or stopped).</param>
    /// <param name="cache">EvalKit's cache, for the results of completed runs; none when <see langword="null"/>.</param>
    public EvaluationEngine(
        IEvalKitStorage storage,
        IModelRegistry registry,
        IModelClientProvider clients,
        ScorerCatalog catalog,
        IOptions<EvalKitOptions> options,
        TimeProvider timeProvider,
        IEnumerable<IEvaluationObserver>? observers = null,
        ILogger<EvaluationEngine>? logger = null,
        OperationGuard? guard = null,
        IEnumerable<Projects.IBudgetObserver>? budgetObservers = null,
        Caching.EvalKitCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _registry = registry;
        _clients = clients;
        _catalog = catalog;
        _options = options.Value;
        _options.Validate();
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _observers = observers?.ToArray() ?? [];
        _guard = guard ?? new OperationGuard(storage, timeProvider);
        _budgetObservers = budgetObservers?.ToArray() ?? [];
        _cache = cache;
    }

    /// <inheritdoc/>
    public async Task<EvaluationRun> EvaluateAsync(EvaluationRequest request, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = WithRunId(request);
        return await _guard.RunAsync(
            EvalKitOperationKinds.EvaluationEvaluate, EvalKitRecordTypes.Run, request.RunId, () => EvaluateCoreAsync(request, progress, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    // The run id is chosen before the run is authorized, so that the policy and the audit log name the run.
    private EvaluationRequest WithRunId(EvaluationRequest request) =>
        request.RunId is null ? request with { RunId = Guid.CreateVersion7(_time.GetUtcNow()).ToString("n") } : request;

    private async Task<EvaluationRun> EvaluateCoreAsync(EvaluationRequest request, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        using var tenantScope = CaptureTenant();
        var (run, model, client, scorers) = await CreateRunAsync(request, RunStatus.Pending, cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(run, model, client, scorers, resume: false, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(EvaluationRun Run, ModelDescriptor Model, IChatClient Client, List<IScorer> Scorers)> CreateRunAsync(
        EvaluationRequest request, RunStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);

        var model = await _registry.GetAsync(request.ModelId, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException(request.ModelId);
        if (model.Status == ModelStatus.Retired)
        {
            throw new EvalKitException(
                $"Model '{model.Id}' is retired{(model.ReplacementModelId is { } replacement ? $"; its replacement is '{replacement}'" : string.Empty)}. " +
                "Retired models are not evaluated; reactivate it with UpdateAsync to evaluate it again.");
        }

        var client = ClientFor(model.Id);
        var project = await ProjectOfAsync(request.ProjectId, cancellationToken).ConfigureAwait(false);

        Benchmark? benchmark = null;
        if (request.BenchmarkId is not null)
        {
            benchmark = await _storage.Benchmarks.GetAsync(request.BenchmarkId, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException("benchmark", request.BenchmarkId);
        }

        var datasetId = benchmark?.DatasetId ?? request.DatasetId
            ?? throw new ArgumentException("The request names neither a benchmark nor a dataset.", nameof(request));
        var dataset = await _storage.Datasets.GetAsync(datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("dataset", datasetId);

        var scorers = ResolveScorers(benchmark, request);
        var options = request.Options ?? benchmark?.DefaultOptions ?? _options.DefaultEvaluationOptions;
        options.Validate();
        var template = benchmark?.PromptTemplate ?? request.PromptTemplate ?? "{{input}}";
        var now = _time.GetUtcNow();
        var run = new EvaluationRun
        {
            Id = request.RunId ?? Guid.CreateVersion7(now).ToString("n"),
            ModelId = model.Id,
            ModelRevision = model.Revision,
            DatasetId = dataset.Id,
            DatasetHash = dataset.ContentHash,
            BenchmarkId = benchmark?.Id,
            ProjectId = project?.Id,
            PromptTemplate = template,
            SystemPrompt = benchmark?.SystemPrompt ?? request.SystemPrompt,
            FewShot = benchmark?.FewShot ?? request.FewShot ?? [],
            Scorers = [.. scorers.Select(s => s.Name)],
            PrimaryMetric = benchmark?.PrimaryMetric ?? scorers[0].Name,
            Options = options,
            Status = status,
            TotalCount = dataset.CaseCount * options.Repetitions,
            CreatedAt = now,
            StartedAt = status == RunStatus.Running ? now : null,
        };

        // A run whose estimate would exceed its project's budget is refused before anything is stored.
        await CheckBudgetAsync(project, run, model, run.TotalCount, cancellationToken).ConfigureAwait(false);
        if (!await _storage.Runs.TryAddAsync(run, cancellationToken).ConfigureAwait(false))
        {
            throw new EvalKitException($"A run with id '{run.Id}' already exists; resume it with ResumeAsync or choose another id.");
        }

        return (run, model, client, scorers);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<EvaluationRun>> EvaluateBatchAsync(IEnumerable<string> modelIds, string benchmarkId, EvaluationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(benchmarkId);
        var ids = modelIds.ToArray();
        if (ids.Length == 0)
        {
            throw new ArgumentException("No model ids were given.", nameof(modelIds));
        }

        // The batch is authorized and audited as a whole, and each of its runs as an evaluation of its own.
        return await _guard.RunAsync<IReadOnlyList<EvaluationRun>>(
            EvalKitOperationKinds.EvaluationBatch,
            EvalKitRecordTypes.Benchmark,
            benchmarkId,
            async () => await Task.WhenAll(ids.Select(id => EvaluateAsync(new EvaluationRequest { ModelId = id, BenchmarkId = benchmarkId, Options = options }, null, cancellationToken))).ConfigureAwait(false),
            null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<EvaluationRun> ResumeAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return await _guard.RunAsync(EvalKitOperationKinds.EvaluationResume, EvalKitRecordTypes.Run, runId, () => ResumeCoreAsync(runId, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EvaluationRun> ResumeCoreAsync(string runId, CancellationToken cancellationToken)
    {
        using var tenantScope = CaptureTenant();
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var run = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("run", runId);
        if (run.Status == RunStatus.Completed)
        {
            return run;
        }

        if (run.ResultsPurgedAt is { } purgedAt)
        {
            // Resuming would evaluate every case again and summarize only the new results.
            throw new EvalKitException(
                $"Run '{runId}' ({run.Status}) cannot be resumed: retention deleted its per-case results at {purgedAt:O}; its summary covers what it had. Start a new run instead.");
        }

        if (await HasShardsAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            throw new EvalKitException($"Run '{runId}' is a distributed run: its workers resume it (RunWorkerAsync), not ResumeAsync.");
        }

        if (_active.ContainsKey((Tenant, runId)))
        {
            throw new InvalidOperationException($"Run '{runId}' is already running in this process.");
        }

        var (model, client, scorers) = await LoadRunAsync(run, cancellationToken).ConfigureAwait(false);
        if (run.ProjectId is not null)
        {
            // Refused before the run changes: what is left to evaluate must fit in what is left of the budget.
            var project = await _storage.Projects.GetAsync(run.ProjectId, cancellationToken).ConfigureAwait(false);
            var stored = await _storage.Results.CountAsync(run.Id, cancellationToken).ConfigureAwait(false);
            await CheckBudgetAsync(project, run, model, Math.Max(0, run.TotalCount - stored.Total), cancellationToken).ConfigureAwait(false);
        }

        return await ExecuteAsync(run, model, client, scorers, resume: true, null, cancellationToken).ConfigureAwait(false);
    }

    // What a stored run needs to go on: its model, the model's client and its scorers; the dataset must be unchanged.
    private async Task<(ModelDescriptor Model, IChatClient Client, List<IScorer> Scorers)> LoadRunAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var model = await _registry.GetAsync(run.ModelId, cancellationToken).ConfigureAwait(false) ?? throw new ModelNotFoundException(run.ModelId);
        var dataset = await _storage.Datasets.GetAsync(run.DatasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("dataset", run.DatasetId);
        if (run.DatasetHash is not null && dataset.ContentHash != run.DatasetHash)
        {
            throw new EvalKitException($"Run '{run.Id}' evaluated dataset '{run.DatasetId}' with hash {run.DatasetHash}, but the store now holds hash {dataset.ContentHash}.");
        }

        var scorers = run.Scorers.Select(name => _catalog.TryGet(name, out var s)
            ? s
            : throw new EvalKitException($"Run '{run.Id}' uses scorer '{name}', which is not registered; register it (AddScorer) before resuming.")).ToList();
        return (model, ClientFor(model.Id), scorers);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return await _guard.RunAsync(EvalKitOperationKinds.EvaluationCancel, EvalKitRecordTypes.Run, runId, () => CancelCoreAsync(runId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> CancelCoreAsync(string runId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue((Tenant, runId), out var active))
        {
            await active.Cancellation.CancelAsync().ConfigureAwait(false);
            return true;
        }

        // A distributed run stops when its workers next look at it (a claim or a heartbeat).
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { Status: RunStatus.Running } run
            && await HasShardsAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            var now = _time.GetUtcNow();
            run = run with { Status = RunStatus.Cancelled, CompletedAt = now, Elapsed = now - (run.StartedAt ?? run.CreatedAt) };
            if (!await _storage.Runs.TryUpdateAsync(run, RunStatus.Running, CancellationToken.None).ConfigureAwait(false))
            {
                // Its workers completed it (or it was cancelled) in the meantime.
                return false;
            }

            LogRunCancelled(runId);
            await NotifyAsync(new RunEvent(RunEventKind.Cancelled, run)).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async ValueTask<bool> HasShardsAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            return (await _storage.Shards.CountAsync(runId, cancellationToken).ConfigureAwait(false)).Total > 0;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<EvaluationStatus> GetStatusAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var run = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("run", runId);
        var counts = await _storage.Results.CountAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is { ResultsPurgedAt: not null, Summary: { } purgedSummary })
        {
            // Retention deleted the results; the summary still counts them.
            counts = new ResultCounts(purgedSummary.Total, purgedSummary.Failed);
        }

        double? rate = null;
        TimeSpan? remaining = null;
        if (_active.TryGetValue((Tenant, runId), out var active))
        {
            var seconds = _time.GetElapsedTime(active.StartTimestamp).TotalSeconds;
            var produced = Interlocked.Read(ref active.Written);
            if (seconds > 0 && produced > 0)
            {
                rate = produced / seconds;
                remaining = TimeSpan.FromSeconds(Math.Max(0, run.TotalCount - counts.Total) / rate.Value);
            }
        }

        return new EvaluationStatus
        {
            RunId = runId,
            Status = run.Status,
            Done = counts.Total,
            Failed = counts.Failed,
            Total = run.TotalCount,
            Rate = rate,
            EstimatedRemaining = remaining,
        };
    }

    /// <inheritdoc/>
    public ValueTask<EvaluationResults> GetResultsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (_cache is not { CanValidate: true })
        {
            return ReadResultsAsync(runId, cancellationToken);
        }

        // The results of a completed run no longer change; any change of its record (a resume, retention, a delete) moves
        // its change counter. A run still going is read from the store every time: its answer is not kept.
        var args = _options.DefaultConfidenceLevel.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return _cache.GetOrCreateAsync(
            Caching.CacheKind.Run,
            runId,
            "results;" + args,
            [ChangeScope.Run(runId)],
            (Engine: this, RunId: runId),
            static (s, ct) => s.Engine.ReadResultsAsync(s.RunId, ct),
            static results => results.Run.Status == RunStatus.Completed,
            cancellationToken);
    }

    private async ValueTask<EvaluationResults> ReadResultsAsync(string runId, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var run = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("run", runId);
        var results = new List<CaseResult>();
        await foreach (var result in _storage.Results.ReadAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        var summary = run.Summary ?? await SummaryCalculator.ComputeAsync(results.ToAsyncEnumerable(), run, _options.DefaultConfidenceLevel, cancellationToken).ConfigureAwait(false);
        return new EvaluationResults(run, summary, results);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<CaseResult> StreamResultsAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _ = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("run", runId);
        var seen = new HashSet<ResultKey>();
        while (true)
        {
            // Read the active flag before the store: a run that ends after this read is read once more.
            var wasActive = _active.TryGetValue((Tenant, runId), out var active);
            await foreach (var result in _storage.Results.ReadAsync(runId, cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(new ResultKey(result.CaseOrdinal, result.Repetition)))
                {
                    yield return result;
                }
            }

            if (!wasActive)
            {
                yield break;
            }

            await active!.WaitForWriteAsync(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private IChatClient ClientFor(string modelId) =>
        _clients.GetClient(modelId)
        ?? throw new NotFoundException(
            $"No IChatClient serves model '{modelId}'. Register one as a keyed service with that key " +
            $"(services.AddKeyedChatClient(\"{modelId}\", ...)) or map it in the IModelClientProvider.");

    private List<IScorer> ResolveScorers(Benchmark? benchmark, EvaluationRequest request)
    {
        var scorers = new List<IScorer>();
        var names = benchmark?.Scorers ?? request.ScorerNames ?? [];
        foreach (var name in names)
        {
            scorers.Add(_catalog.TryGet(name, out var scorer)
                ? scorer
                : throw new ArgumentException($"Unknown scorer '{name}'. Known scorers: {string.Join(", ", _catalog.Names.Order(StringComparer.Ordinal))}.", nameof(request)));
        }

        scorers.AddRange(request.Scorers ?? []);
        if (scorers.Count == 0)
        {
            _catalog.TryGet(ExactMatchScorer.DefaultName, out var exact);
            scorers.Add(exact!);
        }

        var duplicate = scorers.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two scorers of the run are named '{duplicate.Key}'; metric names must be unique.", nameof(request));
        }

        return scorers;
    }

    private async Task<EvaluationRun> ExecuteAsync(
        EvaluationRun run, ModelDescriptor model, IChatClient client, IReadOnlyList<IScorer> scorers, bool resume,
        IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var active = new ActiveRun(cancellation, _time.GetTimestamp());
        var key = (Tenant, run.Id);
        if (!_active.TryAdd(key, active))
        {
            throw new InvalidOperationException($"Run '{run.Id}' is already running in this process.");
        }

        var sessionStart = _time.GetTimestamp();
        using var activity = EvalKitTelemetry.ActivitySource.StartActivity("evalkit.run");
        activity?.SetTag("evalkit.run.id", run.Id);
        activity?.SetTag("gen_ai.request.model", run.ModelId);
        activity?.SetTag("evalkit.dataset.id", run.DatasetId);
        activity?.SetTag("evalkit.run.resumed", resume);
        try
        {
            run = run with { Status = RunStatus.Running, StartedAt = _time.GetUtcNow(), CompletedAt = null, Error = null };
            await _storage.Runs.UpdateAsync(run, CancellationToken.None).ConfigureAwait(false);
            LogRunStarted(run.Id, run.ModelId, run.DatasetId, resume);
            await NotifyAsync(new RunEvent(RunEventKind.Started, run)).ConfigureAwait(false);

            SummaryCalculator summary;
            try
            {
                summary = (await PumpAsync(run, model, client, scorers, resume, active, progress, cancellation.Token).ConfigureAwait(false))!;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                run = run with { Status = RunStatus.Cancelled, CompletedAt = _time.GetUtcNow(), Elapsed = run.Elapsed + _time.GetElapsedTime(sessionStart) };
                await _storage.Runs.UpdateAsync(run, CancellationToken.None).ConfigureAwait(false);
                LogRunCancelled(run.Id);
                activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
                await NotifyAsync(new RunEvent(RunEventKind.Cancelled, run)).ConfigureAwait(false);
                throw;
            }
            catch (Exception e)
            {
                run = run with { Status = RunStatus.Failed, CompletedAt = _time.GetUtcNow(), Elapsed = run.Elapsed + _time.GetElapsedTime(sessionStart), Error = SecretText.Scrub(e.Message) };
                await TryUpdateAsync(run).ConfigureAwait(false);
                LogRunFailed(run.Id, e);
                activity?.SetStatus(ActivityStatusCode.Error, run.Error);
                await NotifyAsync(new RunEvent(RunEventKind.Failed, run, e)).ConfigureAwait(false);
                throw;
            }

            run = run with { Elapsed = run.Elapsed + _time.GetElapsedTime(sessionStart) };
            var stored = await _storage.Results.CountAsync(run.Id, CancellationToken.None).ConfigureAwait(false);
            if (stored.Total != run.TotalCount)
            {
                throw new StorageException($"Run '{run.Id}' should hold {run.TotalCount} results but the store holds {stored.Total}.");
            }

            var final = summary.Build(run, _options.DefaultConfidenceLevel);
            run = run with { Status = RunStatus.Completed, CompletedAt = _time.GetUtcNow(), Summary = final };
            await _storage.Runs.UpdateAsync(run, CancellationToken.None).ConfigureAwait(false);
            await RecordRunMetricsAsync(run).ConfigureAwait(false);
            LogRunCompleted(run.Id, final.Total, final.Failed);
            await NotifyAsync(new RunEvent(RunEventKind.Completed, run)).ConfigureAwait(false);
            return run;
        }
        finally
        {
            _active.TryRemove(key, out _);
            active.SignalWrite();
        }
    }

    // A completed run joins its model's time series (scores, latency, cost, error rates; see RunMetrics). The run is
    // complete whatever happens here: a failure to record is logged, not thrown.
    private async Task RecordRunMetricsAsync(EvaluationRun run)
    {
        try
        {
            await _storage.Metrics.AppendAsync(Metrics.RunMetrics.FromRun(run), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or ArgumentException)
        {
            LogRunMetricsNotRecorded(run.Id, e);
        }
    }

    private async Task NotifyAsync(RunEvent runEvent)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnRunEventAsync(runEvent, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // An observer never stops a run.
                LogObserverFailed(runEvent.Run.Id, runEvent.Kind, e);
            }
        }
    }

    private async Task TryUpdateAsync(EvaluationRun run)
    {
        try
        {
            await _storage.Runs.UpdateAsync(run, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or IOException or InvalidOperationException)
        {
            // The store itself failed; the original error is what the caller needs to see.
            LogStatusNotSaved(run.Id, e);
        }
    }

    // Evaluates the run's cases (or, for a shard, the shard's cases), skipping those already stored when resuming. The
    // summary is built online for a whole run; a shard's results are summarized by whoever finalizes the run.
    private async Task<SummaryCalculator?> PumpAsync(
        EvaluationRun run, ModelDescriptor model, IChatClient client, IReadOnlyList<IScorer> scorers, bool resume,
        ActiveRun active, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken, RunShard? shard = null)
    {
        var options = run.Options;
        var repetitions = options.Repetitions;
        var from = shard?.FromOrdinal ?? 0;
        var to = shard?.ToOrdinal ?? run.TotalCount / repetitions;
        var summary = shard is null ? new SummaryCalculator(run.Scorers, repetitions, run.TotalCount / repetitions) : null;
        // One bit per (case, repetition): a million results cost 125 KB.
        var done = new System.Collections.BitArray(checked((int)Math.Max((to - from) * repetitions, 1)));
        long stored = 0, failedStored = 0;
        if (shard is not null)
        {
            // What an earlier holder of the shard stored is not evaluated again.
            await foreach (var key in _storage.Results.ReadKeysAsync(run.Id, from, to, cancellationToken).ConfigureAwait(false))
            {
                done[checked((int)(((key.CaseOrdinal - from) * repetitions) + key.Repetition))] = true;
            }
        }
        else if (resume)
        {
            // What earlier sessions stored counts in the summary and is not evaluated again.
            await foreach (var result in _storage.Results.ReadAsync(run.Id, cancellationToken).ConfigureAwait(false))
            {
                done[checked((int)((result.CaseOrdinal * repetitions) + result.Repetition))] = true;
                summary!.Add(result);
            }

            var counts = await _storage.Results.CountAsync(run.Id, cancellationToken).ConfigureAwait(false);
            stored = counts.Total;
            failedStored = counts.Failed;
        }

        using var work = new WorkQueue<WorkItem>(high: Math.Max(16, options.MaxConcurrency * 2), low: Math.Max(8, options.MaxConcurrency));
        var output = Channel.CreateBounded<CaseResult>(new BoundedChannelOptions(Math.Max(64, options.WriteBatchSize * 4)) { SingleReader = true });
        using var limiter = CreateRequestLimiter(options);
        using var tokenLimiter = CreateTokenLimiter(options);
        var pipeline = CreatePipeline(options);
        long pending = 0;
        for (var i = 0; i < (to - from) * repetitions; i++)
        {
            pending += done[i] ? 0 : 1;
        }

        var budget = await OpenBudgetAsync(run, model, pending, cancellationToken).ConfigureAwait(false);
        var call = new CallSetup(run, model, client, scorers, pipeline, limiter, tokenLimiter, Tenant, budget);

        // The writer ignores cancellation: what the workers produced before a cancel is still stored.
        var writer = Task.Run(() => WriteAsync(run, output, active, progress, summary, stored, failedStored), CancellationToken.None);

        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var item in _storage.Datasets.ReadCasesAsync(run.DatasetId, from, cancellationToken).ConfigureAwait(false))
                    {
                        if (item.Ordinal >= to)
                        {
                            break;
                        }

                        for (var r = 0; r < repetitions; r++)
                        {
                            if (!done[checked((int)(((item.Ordinal - from) * repetitions) + r))])
                            {
                                await work.WriteAsync(new WorkItem(item.Ordinal, item.Case, r), cancellationToken).ConfigureAwait(false);
                            }
                        }
                    }
                }
                finally
                {
                    work.Complete();
                }
            },
            CancellationToken.None);

        var workers = new Task[options.MaxConcurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(
                async () =>
                {
                    // A worker moves on to its next case as soon as the model's answer to the current one is final: the
                    // answer's continuation starts the next call, then the rest of the case (scores, the result) queues
                    // behind the other answers that came at the same moment (see CallState.CallAsync). So a burst of
                    // answers starts all its next calls first. A worker finishes at most one case while its next one calls.
                    var previous = Task.CompletedTask;
                    var current = Task.CompletedTask;
                    try
                    {
                        await foreach (var item in work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                        {
                            // Queued items are still handed out after a cancel: start none of them.
                            cancellationToken.ThrowIfCancellationRequested();
                            work.Taken();
                            var answered = new TaskCompletionSource<bool>();
                            current = EvaluateAndHandOverAsync(call, item, answered, output.Writer, cancellationToken);
                            await previous.ConfigureAwait(false);
                            previous = current;
                            if (!await answered.Task.ConfigureAwait(false))
                            {
                                // No early answer (a cached answer, a budget, a failure): the case has ended or is ending;
                                // its failure stops this worker before it starts another case.
                                await current.ConfigureAwait(false);
                            }
                        }

                        await previous.ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        // A worker that fails stops the producer (its next write throws) and the other workers (once they
                        // have drained what is queued), instead of leaving the producer waiting. The cases it has started
                        // end first: one finishing, one perhaps still calling (which the cancellation reaches).
                        work.Complete(e);
                        await Task.WhenAll(previous, current).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        throw;
                    }
                },
                CancellationToken.None);
        }

        Exception? failure = null;
        try
        {
            await Task.WhenAll(workers.Append(producer)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            output.Writer.TryComplete();
        }

        // Let the writer flush every result produced; a storage failure there wins over a cancellation.
        await writer.ConfigureAwait(false);
        if (failure is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfoThrow(failure);
        }

        return summary;
    }

    private static void ExceptionDispatchInfoThrow(Exception e) => System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();

    private async Task WriteAsync(
        EvaluationRun run, Channel<CaseResult> output, ActiveRun active, IProgress<EvaluationProgress>? progress, SummaryCalculator? summary, long stored, long failed)
    {
        var reader = output.Reader;
        var batch = new List<CaseResult>(run.Options.WriteBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (batch.Count < run.Options.WriteBatchSize && reader.TryRead(out var result))
                {
                    batch.Add(result);
                }

                var written = await _storage.Results.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                if (run.Options.UseResponseCache)
                {
                    await _storage.ResponseCache.AddAsync(CacheEntries(run, batch), CancellationToken.None).ConfigureAwait(false);
                }

                stored += written;
                foreach (var result in batch)
                {
                    summary?.Add(result);
                    if (result.Error is not null)
                    {
                        failed++;
                    }
                }

                Interlocked.Add(ref active.Written, written);
                batch.Clear();
                active.SignalWrite();
                progress?.Report(new EvaluationProgress(run.Id, stored, failed, run.TotalCount));
            }
        }
        catch (Exception e)
        {
            // The store's own error names the store; this one adds the run, and that resuming it once storage is back
            // loses nothing (everything acknowledged is stored; the rest is evaluated again).
            Stop(e);
            throw new StorageException(
                $"Results of run '{run.Id}' could not be written ({stored} stored so far; resume the run once storage is back): {e.Message}", e);
        }

        // Nothing reads the results any more: cancel the workers and release those waiting to hand a result over.
        void Stop(Exception e)
        {
            active.Cancellation.Cancel();
            output.Writer.TryComplete(e);
        }
    }

    /// <summary>
    /// Evaluates a case and hands its result to the writer. <paramref name="answered"/> becomes <see langword="true"/> when
    /// the model's answer lets the worker move on early, and <see langword="false"/> when the case ends without that.
    /// </summary>
    private async Task EvaluateAndHandOverAsync(CallSetup call, WorkItem item, TaskCompletionSource<bool> answered, ChannelWriter<CaseResult> output, CancellationToken cancellationToken)
    {
        try
        {
            var result = await EvaluateCaseAsync(call, item, answered, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            answered.TrySetResult(false);
        }
    }

    /// <summary>Evaluates a case: the prompt, the response cache, the budget, the call with its retries, the scores and the result.</summary>
    /// <param name="call">The run's call setup.</param>
    /// <param name="item">The case and repetition.</param>
    /// <param name="answered">
    /// Completed as soon as the model's answer is final (an answer is never retried), running the worker's next steps
    /// inline. Not with a budget: there each call settles before the next one reserves.
    /// </param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    private async Task<CaseResult> EvaluateCaseAsync(CallSetup call, WorkItem item, TaskCompletionSource<bool> answered, CancellationToken cancellationToken)
    {
        var run = call.Run;
        var messages = BuildMessages(run, item.Case);
        var chatOptions = new ChatOptions
        {
            Temperature = run.Options.Temperature,
            Seed = run.Options.Seed is { } seed ? seed + item.Repetition : null,
            MaxOutputTokens = run.Options.MaxOutputTokens,
        };

        using var activity = EvalKitTelemetry.ActivitySource.HasListeners() ? EvalKitTelemetry.ActivitySource.StartActivity("evalkit.case") : null;
        activity?.SetTag("evalkit.run.id", run.Id);
        activity?.SetTag("evalkit.case.id", item.Case.Id);
        activity?.SetTag("evalkit.case.repetition", item.Repetition);
        activity?.SetTag("gen_ai.request.model", run.ModelId);

        var modelTag = new KeyValuePair<string, object?>("gen_ai.request.model", run.ModelId);
        string? cacheKey = null;
        if (run.Options.UseResponseCache)
        {
            cacheKey = CacheKey(call, messages, chatOptions, item.Repetition);
            var hit = await _storage.ResponseCache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false);
            if (hit is not null)
            {
                EvalKitTelemetry.Cases.Add(1, modelTag, new KeyValuePair<string, object?>("evalkit.outcome", "cached"));
                activity?.SetTag("evalkit.cached", true);
                RecordContent(activity, run.Id, item, messages, hit.Text);
                var cached = new CaseResult
                {
                    RunId = run.Id, CaseOrdinal = item.Ordinal, CaseId = item.Case.Id, Repetition = item.Repetition, Group = item.Case.Group,
                    Output = hit.Text, Scores = await PriceAsync(call, await ScoreAsync(call, item, hit.Text, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
                    Cached = true, InputTokens = hit.InputTokens, OutputTokens = hit.OutputTokens, Cost = 0m,
                    CompletedAt = _time.GetUtcNow(),
                };
                if (call.Budget is { } cachedBudget)
                {
                    // No call: only its scorers' calls cost anything.
                    await cachedBudget.SettleAsync(0, KnownCost(cached), called: false).ConfigureAwait(false);
                }

                return cached;
            }
        }

        // The call's estimated cost is reserved first: a call that would exceed the project's hard limit is not made.
        var reserved = call.Budget is { } budget ? await budget.ReserveAsync().ConfigureAwait(false) : 0m;
        var state = new CallState(call.Client, messages, chatOptions, _time, run.Options.Streaming) { Answered = call.Budget is null ? answered : null };
        ChatResponse? response = null;
        CaseError? error = null;
        try
        {
            await AcquireAsync(call, messages, run.Options, cancellationToken).ConfigureAwait(false);
            response = await call.Pipeline.ExecuteAsync(
                static async (s, token) => await s.CallAsync(token).ConfigureAwait(false), state, cancellationToken).ConfigureAwait(false);
            if (response.FinishReason == ChatFinishReason.ContentFilter)
            {
                error = new CaseError(ErrorCategory.ContentFilter, "The provider's content filter stopped the answer.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Providers may echo a credential in an error (an invalid key, a signed URL): never store or report it.
            error = new CaseError(ErrorClassifier.Classify(e), SecretText.Scrub(e.Message));
        }

        var usage = response?.Usage;
        var retries = Math.Max(0, state.Attempts - 1);
        var cost = error is null ? call.Model.Pricing?.Cost(usage?.InputTokenCount, usage?.OutputTokenCount) : null;
        RecordTelemetry(activity, modelTag, state, error, usage, cost, retries);
        var output = error is null ? response?.Text : null;
        RecordContent(activity, run.Id, item, messages, output);
        var result = new CaseResult
        {
            RunId = run.Id, CaseOrdinal = item.Ordinal, CaseId = item.Case.Id, Repetition = item.Repetition, Group = item.Case.Group,
            Output = output,
            Scores = output is null ? [] : await PriceAsync(call, await ScoreAsync(call, item, output, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
            Latency = state.LastLatency, TimeToFirstToken = state.TimeToFirstToken,
            InputTokens = usage?.InputTokenCount, OutputTokens = usage?.OutputTokenCount, Cost = cost,
            Error = error ?? (response is null ? new CaseError(ErrorCategory.Fatal, "No response.") : null),
            RetryCount = retries, CompletedAt = _time.GetUtcNow(), CacheKey = cacheKey,
        };
        if (call.Budget is { } spent)
        {
            await spent.SettleAsync(reserved, KnownCost(result), called: true).ConfigureAwait(false);
        }

        return result;
    }

    private static void RecordTelemetry(Activity? activity, KeyValuePair<string, object?> modelTag, CallState state, CaseError? error, UsageDetails? usage, decimal? cost, int retries)
    {
        EvalKitTelemetry.Cases.Add(1, modelTag, new KeyValuePair<string, object?>("evalkit.outcome", error is null ? "success" : "error"));
        if (state.LastLatency is { } latency)
        {
            EvalKitTelemetry.CallDuration.Record(latency.TotalSeconds, modelTag);
        }

        if (retries > 0)
        {
            EvalKitTelemetry.Retries.Add(retries, modelTag);
        }

        if (error is not null)
        {
            EvalKitTelemetry.Errors.Add(1, modelTag, new KeyValuePair<string, object?>("error.type", error.Category.ToString()));
            activity?.SetStatus(ActivityStatusCode.Error, error.Category.ToString());
            return;
        }

        if (usage?.InputTokenCount is { } input)
        {
            EvalKitTelemetry.Tokens.Add(input, modelTag, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        }

        if (usage?.OutputTokenCount is { } output)
        {
            EvalKitTelemetry.Tokens.Add(output, modelTag, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        }

        if (cost is { } c)
        {
            EvalKitTelemetry.Cost.Add((double)c, modelTag);
        }
    }

    private static string CacheKey(CallSetup call, List<ChatMessage> messages, ChatOptions options, int repetition)
    {
        var text = new StringBuilder();

        // The tenant is part of the key, so that tenants never share an answer even where their model ids and prompts agree.
        // The default tenant adds nothing: the keys of single-tenant hosts (and the answers cached under them) stay valid.
        if (call.Tenant != EvalKitTenant.Default)
        {
            text.Append("tenant\0").Append(call.Tenant).Append('\0');
        }

        text.Append(call.Model.Id).Append('\0').Append(call.Model.Revision).Append('\0').Append(repetition).Append('\0');
        text.Append(options.Temperature?.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\0');
        text.Append(options.Seed).Append('\0').Append(options.MaxOutputTokens).Append('\0');
        foreach (var message in messages)
        {
            text.Append(message.Role.Value).Append('\0').Append(message.Text.Length).Append(':').Append(message.Text).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static List<CachedResponse> CacheEntries(EvaluationRun run, List<CaseResult> batch)
    {
        var entries = new List<CachedResponse>();
        foreach (var result in batch)
        {
            if (!result.Cached && result.Error is null && result.Output is not null && result.CacheKey is { } key)
            {
                entries.Add(new CachedResponse
                {
                    Key = key, ModelId = run.ModelId, Text = result.Output, InputTokens = result.InputTokens,
                    OutputTokens = result.OutputTokens, CreatedAt = result.CompletedAt,
                });
            }
        }

        return entries;
    }

    private static async Task<List<Score>> ScoreAsync(CallSetup call, WorkItem item, string output, CancellationToken cancellationToken)
    {
        var context = new ScoringContext(item.Case, output, call.Run.ModelId);
        var scorers = call.Scorers;
        if (scorers.Count == 1)
        {
            return [await ScoreOneAsync(scorers[0], context, cancellationToken).ConfigureAwait(false)];
        }

        // Several scorers (a judge, an embedding call) run concurrently; their scores keep the scorers' order.
        var pending = new Task<Score>[scorers.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = ScoreOneAsync(scorers[i], context, cancellationToken);
        }

        var scores = new List<Score>(pending.Length);
        foreach (var task in pending)
        {
            scores.Add(await task.ConfigureAwait(false));
        }

        return scores;
    }

    private static async Task<Score> ScoreOneAsync(IScorer scorer, ScoringContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await scorer.ScoreAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return Score.Failed(scorer.Name, $"{e.GetType().Name}: {SecretText.Scrub(e.Message)}");
        }
    }

    internal static List<ChatMessage> BuildMessages(EvaluationRun run, EvalCase @case)
    {
        var messages = new List<ChatMessage>(4 + (2 * run.FewShot.Count));
        var turns = @case.Input.Messages;
        if (run.SystemPrompt is not null && (turns is null || !turns.Any(t => t.Role == "system")))
        {
            messages.Add(new ChatMessage(ChatRole.System, run.SystemPrompt));
        }

        if (turns is not null)
        {
            // A case's own system turns come first; the examples follow them, then the conversation.
            foreach (var turn in turns.Where(t => t.Role == "system"))
            {
                messages.Add(new ChatMessage(ChatRole.System, turn.Text));
            }
        }

        foreach (var example in run.FewShot)
        {
            messages.Add(new ChatMessage(ChatRole.User, example.Input));
            messages.Add(new ChatMessage(ChatRole.Assistant, example.Output));
        }

        if (turns is not null)
        {
            foreach (var turn in turns.Where(t => t.Role != "system"))
            {
                messages.Add(new ChatMessage(new ChatRole(turn.Role), turn.Text));
            }

            return messages;
        }

        messages.Add(new ChatMessage(ChatRole.User, PromptTemplate.Render(run.PromptTemplate, @case)));
        return messages;
    }

    private static async ValueTask AcquireAsync(CallSetup call, List<ChatMessage> messages, EvaluationOptions options, CancellationToken cancellationToken)
    {
        if (call.RequestLimiter is { } requests)
        {
            using var lease = await requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (call.TokenLimiter is { } tokens && options.TokensPerMinute is { } tpm)
        {
            // Estimate before the call: about four characters per token, plus the output budget.
            var estimate = messages.Sum(m => m.Text.Length) / 4 + (options.MaxOutputTokens ?? 0);
            using var lease = await tokens.AcquireAsync(Math.Clamp(estimate, 1, tpm), cancellationToken).ConfigureAwait(false);
        }
    }

    private static TokenBucketRateLimiter? CreateRequestLimiter(EvaluationOptions options) =>
        options.RequestsPerMinute is { } rpm ? CreateBucket(rpm) : null;

    private static TokenBucketRateLimiter? CreateTokenLimiter(EvaluationOptions options) =>
        options.TokensPerMinute is { } tpm ? CreateBucket(tpm) : null;

    private static TokenBucketRateLimiter CreateBucket(int perMinute)
    {
        // Refill continuously (in steps of at most a second) so that a minute never admits more than the limit plus one step.
        var perSecond = perMinute / 60;
        return perSecond >= 1
            ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst, AutoReplenishment = true,
            })
            : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / perMinute),
                QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst, AutoReplenishment = true,
            });
    }

    private ResiliencePipeline<ChatResponse> CreatePipeline(EvaluationOptions options)
    {
        var builder = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = _time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ChatResponse>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e and not OperationCanceledException && ErrorClassifier.IsRetryable(ErrorClassifier.Classify(e))),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e ? ErrorClassifier.RetryAfterOf(e, _time) : null),
            });
        }

        if (options.Timeout is { } timeout)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = timeout });
        }

        return builder.Build();
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Run {RunId} started: model {ModelId}, dataset {DatasetId}, resumed {Resumed}")]
    private partial void LogRunStarted(string runId, string modelId, string datasetId, bool resumed);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Run {RunId} completed: {Total} results, {Failed} failed calls")]
    private partial void LogRunCompleted(string runId, long total, long failed);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Run {RunId} was cancelled; resume it to finish")]
    private partial void LogRunCancelled(string runId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Run {RunId} failed")]
    private partial void LogRunFailed(string runId, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "The status of run {RunId} could not be saved")]
    private partial void LogStatusNotSaved(string runId, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The metric points of run {RunId} could not be recorded")]
    private partial void LogRunMetricsNotRecorded(string runId, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "An observer of run {RunId} failed on {Kind}")]
    private partial void LogObserverFailed(string runId, RunEventKind kind, Exception exception);

    private readonly record struct WorkItem(long Ordinal, EvalCase Case, int Repetition);

    private sealed record CallSetup(
        EvaluationRun Run, ModelDescriptor Model, IChatClient Client, IReadOnlyList<IScorer> Scorers,
        ResiliencePipeline<ChatResponse> Pipeline, RateLimiter? RequestLimiter, RateLimiter? TokenLimiter, string Tenant, RunBudget? Budget = null)
    {
        /// <summary>Gets the registered pricing of the models that scorers name, looked up once per run session.</summary>
        public ConcurrentDictionary<string, ModelPricing?> Prices { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One model call across its attempts: counts attempts and times the last one.</summary>
    private sealed class CallState(IChatClient client, List<ChatMessage> messages, ChatOptions options, TimeProvider time, bool streaming)
    {
        public int Attempts { get; private set; }

        /// <summary>Gets the signal completed when a call returns an answer, which is final: answers are not retried.</summary>
        public TaskCompletionSource<bool>? Answered { get; init; }

        public TimeSpan? LastLatency { get; private set; }

        public TimeSpan? TimeToFirstToken { get; private set; }

        public async ValueTask<ChatResponse> CallAsync(CancellationToken cancellationToken)
        {
            Attempts++;
            TimeToFirstToken = null;
            var start = time.GetTimestamp();
            var answered = false;
            var waited = true;
            try
            {
                ChatResponse response;
                if (!streaming)
                {
                    var pending = client.GetResponseAsync(messages, options, cancellationToken);
                    waited = !pending.IsCompleted;
                    response = await pending.ConfigureAwait(false);
                }
                else
                {
                    var updates = new List<ChatResponseUpdate>();
                    await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
                    {
                        if (TimeToFirstToken is null && !string.IsNullOrEmpty(update.Text))
                        {
                            TimeToFirstToken = time.GetElapsedTime(start);
                        }

                        updates.Add(update);
                    }

                    response = updates.ToChatResponse();
                }

                // The latency is taken before the worker moves on.
                LastLatency = time.GetElapsedTime(start);
                answered = true;
                if (Answered is { } signal)
                {
                    // The worker starts its next call here, inline. The rest of this case (the pipeline's unwinding, the
                    // scores, the result) then goes to the back of the thread pool's queue, behind the other answers
                    // that came at the same moment, so that they start their next calls first. An answer that came at
                    // once (a cache, a local model) has no such company and goes on at once.
                    signal.TrySetResult(true);
                    if (waited)
                    {
                        await Task.Yield();
                    }
                }

                return response;
            }
            finally
            {
                if (!answered)
                {
                    LastLatency = time.GetElapsedTime(start);
                }
            }
        }

    }

    private sealed class ActiveRun(CancellationTokenSource cancellation, long startTimestamp)
    {
        private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Results written by this session (a field so that Interlocked can update it).
#pragma warning disable SA1401, CA1051
        public long Written;
#pragma warning restore SA1401, CA1051

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public long StartTimestamp { get; } = startTimestamp;

        public void SignalWrite() => Interlocked.Exchange(ref _written, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        public async Task WaitForWriteAsync(TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
        {
            var signal = Volatile.Read(ref _written).Task;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(maxWait);
            try
            {
                await signal.WaitAsync(Timeout.InfiniteTimeSpan, time, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Woke up on the timer: read again.
            }
        }
    }
}
