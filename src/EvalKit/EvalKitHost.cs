using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Storage;
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

    private EvalKitHost(IEvalKitStorage storage, bool ownsStorage, IModelClientProvider clients, IEnumerable<IScorer> scorers, EvalKitOptions options, TimeProvider time, IEnumerable<IEvaluationObserver> observers, Security.IEvalKitActorContext actor, Security.OperationGuard guard)
    {
        _ownsStorage = ownsStorage;
        Storage = storage;
        Options = options;
        var registry = new ModelRegistry(storage, time, actor, Microsoft.Extensions.Options.Options.Create(new ModelRegistryOptions()), guard);
        Registry = registry;
        SelectionEvidence = new Selection.StorageSelectionEvidenceSource(storage, registry);
        Datasets = new DatasetStore(storage, time, Microsoft.Extensions.Options.Options.Create(options), guard);
        Engine = new EvaluationEngine(storage, Registry, clients, new ScorerCatalog(scorers), Microsoft.Extensions.Options.Options.Create(options), time, observers.Append(new Selection.SelectionEvidenceInvalidator(SelectionEvidence)), guard: guard);
        AbTests = new AbTestService(storage, Registry, Engine, time, guard);
        Experiments = new Experiments.ExperimentService(storage, Registry, Engine, AbTests, Microsoft.Extensions.Options.Options.Create(options), time, guard);
        Metrics = new MetricsService(storage, time, null, guard);
        Audit = new Security.AuditLog(storage);
        Retention = new Retention.RetentionService(storage, time, null, guard, Microsoft.Extensions.Options.Options.Create(options));
        Selection = new Selection.SelectionEngine(Registry, SelectionEvidence, time);
    }

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
        Security.IEvalKitActorContext? actorContext = null)
    {
        var options = new EvalKitOptions();
        configure?.Invoke(options);
        options.Validate();
        var store = storage ?? new InMemoryEvalKitStorage();
        var time = timeProvider ?? TimeProvider.System;
        var actor = actorContext ?? Security.SystemActorContext.Instance;
        var guard = new Security.OperationGuard(store, time, authorization, actor);
        return new EvalKitHost(store, ownsStorage || storage is null, clients ?? new ModelClientMap(), scorers ?? [], options, time, observers ?? [], actor, guard);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _ownsStorage ? Storage.DisposeAsync() : ValueTask.CompletedTask;
}
