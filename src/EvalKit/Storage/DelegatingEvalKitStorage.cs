namespace EvalKit.Storage;

/// <summary>
/// A store that passes every member to an inner store: the base of storage decorators (such as field encryption or
/// redaction), which override only the stores they change. New members of <see cref="IEvalKitStorage"/> are passed
/// through here, so a decorator never hides them.
/// </summary>
public abstract class DelegatingEvalKitStorage : IEvalKitStorage
{
    private readonly bool _ownsInner;

    /// <summary>Initializes a new instance of the <see cref="DelegatingEvalKitStorage"/> class.</summary>
    /// <param name="inner">The store to wrap.</param>
    /// <param name="ownsInner">Whether disposing this store disposes <paramref name="inner"/>.</param>
    protected DelegatingEvalKitStorage(IEvalKitStorage inner, bool ownsInner = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _ownsInner = ownsInner;
    }

    /// <summary>Gets the wrapped store.</summary>
    public IEvalKitStorage Inner { get; }

    /// <inheritdoc/>
    public virtual IModelStorage Models => Inner.Models;

    /// <inheritdoc/>
    public virtual IDatasetStorage Datasets => Inner.Datasets;

    /// <inheritdoc/>
    public virtual IBenchmarkStorage Benchmarks => Inner.Benchmarks;

    /// <inheritdoc/>
    public virtual IRunStorage Runs => Inner.Runs;

    /// <inheritdoc/>
    public virtual IResultStorage Results => Inner.Results;

    /// <inheritdoc/>
    public virtual IMetricStorage Metrics => Inner.Metrics;

    /// <inheritdoc/>
    public virtual IResponseCacheStorage ResponseCache => Inner.ResponseCache;

    /// <inheritdoc/>
    public virtual IAbTestStorage AbTests => Inner.AbTests;

    /// <inheritdoc/>
    public virtual IRunShardStorage Shards => Inner.Shards;

    /// <inheritdoc/>
    public virtual IExperimentStorage Experiments => Inner.Experiments;

    /// <inheritdoc/>
    public virtual IAuditStorage Audit => Inner.Audit;

    /// <inheritdoc/>
    public virtual IRetentionStorage Retention => Inner.Retention;

    /// <inheritdoc/>
    public virtual IChangeCounterStorage ChangeCounters => Inner.ChangeCounters;

    /// <inheritdoc/>
    public virtual IProjectStorage Projects => Inner.Projects;

    /// <inheritdoc/>
    public virtual IUsageStorage Usage => Inner.Usage;

    /// <inheritdoc/>
    public virtual IErasureStorage Erasure => Inner.Erasure;

    /// <inheritdoc/>
    public virtual ValueTask InitializeAsync(CancellationToken cancellationToken = default) => Inner.InitializeAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsInner)
        {
            await Inner.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner store when this store owns it.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsInner)
        {
            Inner.Dispose();
        }
    }
}
