using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Storage;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvalKit;

/// <summary>EvalKit without dependency injection: the same services, built by hand.</summary>
/// <example>
/// <code>
/// await using var kit = EvalKitHost.Create(clients: new ModelClientMap().Add("local/echo", echoClient));
/// await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/echo" });
/// </code>
/// </example>
public sealed class EvalKitHost : IAsyncDisposable
{
    private readonly bool _ownsStorage;
    private readonly ServiceProvider _cacheServices;

    private EvalKitHost(IEvalKitStorage storage, bool ownsStorage, IModelClientProvider clients, IEnumerable<IScorer> scorers, EvalKitOptions options, TimeProvider time, IEnumerable<IEvaluationObserver> observers, Security.IEvalKitActorContext actor, Security.OperationGuard guard, IEnumerable<Projects.IBudgetObserver> budgetObservers)
    {
        _ownsStorage = ownsStorage;
        Storage = storage;
        Options = options;

        // Without DI the host builds its own in-process HybridCache (no distributed level) and disposes it. The HybridCache
        // keeps the system clock for the lifetimes of its entries; the check interval of the store's counters uses `time`.
        var hybridServices = new ServiceCollection();
        hybridServices.AddHybridCache().AddSerializerFactory(new Caching.CachedAnswerSerializerFactory());
        _cacheServices = hybridServices.BuildServiceProvider();
        Cache = new Caching.EvalKitCache(_cacheServices.GetRequiredService<HybridCache>(), storage, time, Microsoft.Extensions.Options.Options.Create(options));
        var registry = new ModelRegistry(storage, time, actor, Microsoft.Extensions.Options.Options.Create(new ModelRegistryOptions()), guard, Cache);
        Registry = registry;
        SelectionEvidence = new Selection.StorageSelectionEvidenceSource(storage, registry);
        Datasets = new DatasetStore(storage, time, Microsoft.Extensions.Options.Options.Create(options), guard);
        Engine = new EvaluationEngine(storage, Registry, clients, new ScorerCatalog(scorers), Microsoft.Extensions.Options.Options.Create(options), time, observers.Append(new Selection.SelectionEvidenceInvalidator(SelectionEvidence)), guard: guard, budgetObservers: budgetObservers, cache: Cache);
        AbTests = new AbTestService(storage, Registry, Engine, time, guard);
        Experiments = new Experiments.ExperimentService(storage, Registry, Engine, AbTests, Microsoft.Extensions.Options.Options.Create(options), time, guard, Cache);
        Metrics = new MetricsService(storage, time, null, guard, Cache);
        Audit = new Security.AuditLog(storage);
        Retention = new Retention.RetentionService(storage, time, null, guard, Microsoft.Extensions.Options.Options.Create(options));
        Selection = new Selection.SelectionEngine(Registry, SelectionEvidence, time, cache: Cache);
        Projects = new Projects.ProjectService(storage, time, guard);
        Costs = new Projects.CostAccounting(storage, Registry, Microsoft.Extensions.Options.Options.Create(options));
        Erasure = new Erasure.ErasureService(storage, time, guard, Registry, Selection);
    }

    /// <summary>Gets EvalKit's cache of read answers (an in-process <c>HybridCache</c> that the host owns; see <see cref="EvalKitOptions.Caching"/>).</summary>
    public Caching.EvalKitCache Cache { get; }

    /// <summary>Gets the store.</summary>
    public IEvalKitStorage Storage { get; }

    /// <summary>Gets the options.</summary>
    public EvalKitOptions Options { get; }

    /// <summary>Gets the model registry.</summary>
    public IModelRegistry Registry { get; }

    /// <summary>Gets the dataset and benchmark store.</summary>
    public IDatasetStore Datasets { get; }

    /// <summary>Gets the evaluation engine.</summary>
    public IEvaluationEngine Engine { get; }

    /// <summary>Gets the A/B test service.</summary>
    public IAbTestService AbTests { get; }

    /// <summary>Gets the experiment service: experiments, templates, run comparisons, the regression gate, reports and exports.</summary>
    public Experiments.IExperimentService Experiments { get; }

    /// <summary>Gets the metrics service: time series of model metrics, aggregates, comparisons, anomalies and retention.</summary>
    public IMetricsService Metrics { get; }

    /// <summary>Gets the audit log of the ambient tenant: every write of the services above, who made it, when, and how it ended.</summary>
    public Security.IAuditLog Audit { get; }

    /// <summary>Gets the retention service: deletes what a <see cref="Retention.RetentionPolicy"/> no longer keeps.</summary>
    public Retention.IRetentionService Retention { get; }

    /// <summary>Gets the erasure service: erases a tenant, or everything linked to a project or a model, in one call.</summary>
    public Erasure.IErasureService Erasure { get; }

    /// <summary>Gets the project service: projects, their budgets and their dashboard summaries.</summary>
    public Projects.IProjectService Projects { get; }

    /// <summary>Gets cost accounting: cost reports from stored results and run estimates.</summary>
    public Projects.ICostAccounting Costs { get; }

    /// <summary>Gets the selection engine (default <see cref="Selection.SelectionOptions"/>).</summary>
    public Selection.ISelectionEngine Selection { get; }

    /// <summary>Gets the selection engine's evidence source; call its <see cref="Selection.StorageSelectionEvidenceSource.Invalidate"/> after registry changes or runs that decisions must see at once.</summary>
    public Selection.StorageSelectionEvidenceSource SelectionEvidence { get; }

    /// <summary>Creates EvalKit's services.</summary>
    /// <param name="configure">Configures the options.</param>
    /// <param name="storage">The store; in memory when <see langword="null"/>. The host disposes it unless <paramref name="ownsStorage"/> is <see langword="false"/>.</param>
    /// <param name="clients">Finds each model's client; no model can be evaluated without one.</param>
    /// <param name="scorers">Scorers that runs and benchmarks can name, besides exact match.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <param name="ownsStorage">Whether disposing the host disposes <paramref name="storage"/>.</param>
    /// <param name="observers">Receive run lifecycle notifications.</param>
    /// <param name="authorization">Allows or denies every write of the services; all are allowed when <see langword="null"/>. Every write is audited either way.</param>
    /// <param name="actorContext">Names who acts, for model revisions and the audit log; <c>"system"</c> when <see langword="null"/>.</param>
    /// <param name="budgetObservers">Receive the alerts of project budgets (see <see cref="Projects.IBudgetObserver"/>).</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static EvalKitHost Create(
        Action<EvalKitOptions>? configure = null,
        IEvalKitStorage? storage = null,
        IModelClientProvider? clients = null,
        IEnumerable<IScorer>? scorers = null,
        TimeProvider? timeProvider = null,
        bool ownsStorage = true,
        IEnumerable<IEvaluationObserver>? observers = null,
        Security.IEvalKitAuthorizationPolicy? authorization = null,
        Security.IEvalKitActorContext? actorContext = null,
        IEnumerable<Projects.IBudgetObserver>? budgetObservers = null)
    {
        var options = new EvalKitOptions();
        configure?.Invoke(options);
        options.Validate();
        var store = storage ?? new InMemoryEvalKitStorage();
        var time = timeProvider ?? TimeProvider.System;
        var actor = actorContext ?? Security.SystemActorContext.Instance;
        var guard = new Security.OperationGuard(store, time, authorization, actor);
        return new EvalKitHost(store, ownsStorage || storage is null, clients ?? new ModelClientMap(), scorers ?? [], options, time, observers ?? [], actor, guard, budgetObservers ?? []);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Cache.Dispose();
        await _cacheServices.DisposeAsync().ConfigureAwait(false);
        if (_ownsStorage)
        {
            await Storage.DisposeAsync().ConfigureAwait(false);
        }
    }
}
