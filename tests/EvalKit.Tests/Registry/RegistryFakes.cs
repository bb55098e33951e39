using System.Runtime.CompilerServices;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;

namespace EvalKit.Tests.Registry;

/// <summary>An actor context the test changes between calls.</summary>
internal sealed class MutableActor(string actor) : IEvalKitActorContext
{
    public string CurrentActor { get; set; } = actor;
}

/// <summary>The in-memory store, counting how often the registry reads the model list and the change counter.</summary>
internal sealed class CountingStorage : IEvalKitStorage
{
    private readonly InMemoryEvalKitStorage _inner;
    private readonly CountingModelStorage _models;

    public CountingStorage(InMemoryEvalKitStorage? inner = null)
    {
        _inner = inner ?? new InMemoryEvalKitStorage();
        _models = new CountingModelStorage(_inner.Models);
    }

    public InMemoryEvalKitStorage Inner => _inner;

    public int ListCalls => _models.ListCalls;

    public int CounterReads => _models.CounterReads;

    public IModelStorage Models => _models;

    public IDatasetStorage Datasets => _inner.Datasets;

    public IBenchmarkStorage Benchmarks => _inner.Benchmarks;

    public IRunStorage Runs => _inner.Runs;

    public IResultStorage Results => _inner.Results;

    public IMetricStorage Metrics => _inner.Metrics;

    public IResponseCacheStorage ResponseCache => _inner.ResponseCache;

    public IAbTestStorage AbTests => _inner.AbTests;

    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => _inner.InitializeAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    public void Dispose() => _inner.Dispose();

    private sealed class CountingModelStorage(IModelStorage inner) : IModelStorage
    {
        private int _listCalls;
        private int _counterReads;

        public int ListCalls => Volatile.Read(ref _listCalls);

        public int CounterReads => Volatile.Read(ref _counterReads);

        public ValueTask<bool> TryAddAsync(ModelRevision revision, CancellationToken cancellationToken = default) => inner.TryAddAsync(revision, cancellationToken);

        public ValueTask<bool> TryUpdateAsync(ModelRevision revision, int expectedRevision, CancellationToken cancellationToken = default) =>
            inner.TryUpdateAsync(revision, expectedRevision, cancellationToken);

        public ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default) => inner.GetAsync(modelId, cancellationToken);

        public async IAsyncEnumerable<ModelDescriptor> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _listCalls);
            await foreach (var model in inner.ListAsync(cancellationToken))
            {
                yield return model;
            }
        }

        public IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, CancellationToken cancellationToken = default) => inner.GetRevisionsAsync(modelId, cancellationToken);

        public ValueTask<ModelDeleteResult> DeleteAsync(string modelId, CancellationToken cancellationToken = default) => inner.DeleteAsync(modelId, cancellationToken);

        public ValueTask<long> GetChangeCounterAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _counterReads);
            return inner.GetChangeCounterAsync(cancellationToken);
        }
    }
}
