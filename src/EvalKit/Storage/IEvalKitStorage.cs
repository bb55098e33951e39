namespace EvalKit.Storage;

/// <summary>
/// The storage port: one provider (in-memory, SQLite, PostgreSQL) exposes a store for each aggregate.
/// Providers are thread-safe and create their schema on first use (or on <see cref="InitializeAsync"/>).
/// </summary>
public interface IEvalKitStorage : IAsyncDisposable, IDisposable
{
    /// <summary>Gets the models and their revisions.</summary>
    IModelStorage Models { get; }

    /// <summary>Gets the datasets and their cases.</summary>
    IDatasetStorage Datasets { get; }

    /// <summary>Gets the benchmark suites.</summary>
    IBenchmarkStorage Benchmarks { get; }

    /// <summary>Gets the evaluation runs.</summary>
    IRunStorage Runs { get; }

    /// <summary>Gets the per-case results of runs.</summary>
    IResultStorage Results { get; }

    /// <summary>Gets the metric time series.</summary>
    IMetricStorage Metrics { get; }

    /// <summary>Gets the response cache.</summary>
    IResponseCacheStorage ResponseCache { get; }

    /// <summary>Gets the A/B tests.</summary>
    IAbTestStorage AbTests { get; }

    /// <summary>
    /// Gets the shards of distributed runs (see <see cref="Evaluation.IEvaluationEngine.RunWorkerAsync(string, Evaluation.WorkerOptions?, CancellationToken)"/>).
    /// A provider that cannot coordinate workers keeps this default, which throws <see cref="NotSupportedException"/>.
    /// </summary>
    IRunShardStorage Shards => throw new NotSupportedException($"{GetType().Name} does not support distributed runs; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the experiments, experiment templates and experiment runs (see <see cref="EvalKit.Experiments.IExperimentService"/>).
    /// A provider that does not store them keeps this default, which throws <see cref="NotSupportedException"/>.
    /// </summary>
    IExperimentStorage Experiments => throw new NotSupportedException($"{GetType().Name} does not store experiments; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the audit log (see <see cref="Security.IAuditLog"/>). A provider that does not keep one keeps this default, which
    /// throws <see cref="NotSupportedException"/>; EvalKit's services then write no audit entries.
    /// </summary>
    IAuditStorage Audit => throw new NotSupportedException($"{GetType().Name} does not keep an audit log; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the bulk deletes of retention (see <see cref="Retention.IRetentionService"/>). A provider that cannot run them
    /// keeps this default, which throws <see cref="NotSupportedException"/>.
    /// </summary>
    IRetentionStorage Retention => throw new NotSupportedException($"{GetType().Name} does not support retention deletes; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the projects, and the runs, A/B tests and experiments that belong to each (see <see cref="EvalKit.Projects.IProjectService"/>).
    /// A provider that does not store them keeps this default, which throws <see cref="NotSupportedException"/>.
    /// </summary>
    IProjectStorage Projects => throw new NotSupportedException($"{GetType().Name} does not store projects; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the usage aggregates of cost accounting and budgets (see <see cref="EvalKit.Projects.ICostAccounting"/>). A provider that
    /// cannot aggregate keeps this default, which throws <see cref="NotSupportedException"/>.
    /// </summary>
    IUsageStorage Usage => throw new NotSupportedException($"{GetType().Name} does not aggregate usage; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the erasures of a tenant, a project or a model (see <see cref="Erasure.IErasureService"/>). A provider that cannot
    /// run them keeps this default, which throws <see cref="NotSupportedException"/>.
    /// </summary>
    IErasureStorage Erasure => throw new NotSupportedException($"{GetType().Name} does not support erasure; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>
    /// Gets the change counters that EvalKit's cache validates its answers against, so that a write by another process is
    /// never served stale beyond the cache's check interval (see <see cref="Caching.EvalKitCachingOptions.CheckInterval"/>).
    /// A provider without them keeps this default, which throws <see cref="NotSupportedException"/>; the cache then keeps
    /// no answers about runs or metrics (registry reads use the model change counter and are still cached).
    /// </summary>
    IChangeCounterStorage ChangeCounters => throw new NotSupportedException($"{GetType().Name} keeps no change counters; use the in-memory, SQLite or PostgreSQL provider.");

    /// <summary>Opens the store and applies pending schema migrations. Idempotent; every operation calls it implicitly.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="StorageException">The store cannot be opened or migrated.</exception>
    ValueTask InitializeAsync(CancellationToken cancellationToken = default);
}
