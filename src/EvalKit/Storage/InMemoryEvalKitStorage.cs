using System.Runtime.CompilerServices;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;

namespace EvalKit.Storage;

/// <summary>
/// A thread-safe storage provider that keeps everything in process memory. It is the default store, and the one for tests
/// and short-lived hosts; nothing survives the process.
/// </summary>
public sealed class InMemoryEvalKitStorage : IEvalKitStorage
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, List<ModelRevision>> _models = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (DatasetInfo Info, EvalCase[] Cases)> _datasets = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Benchmark> _benchmarks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EvaluationRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<ResultKey, CaseResult>> _results = new(StringComparer.Ordinal);
    private readonly MetricSeriesSet _metrics = new();
    private readonly Dictionary<string, CachedResponse> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbTest> _abTests = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InMemoryEvalKitStorage"/> class.</summary>
    public InMemoryEvalKitStorage()
    {
        Models = new ModelStore(this);
        Datasets = new DatasetStore(this);
        Benchmarks = new BenchmarkStore(this);
        Runs = new RunStore(this);
        Results = new ResultStore(this);
        Metrics = new MetricStore(this);
        ResponseCache = new CacheStore(this);
        AbTests = new AbTestStore(this);
    }

    /// <inheritdoc/>
    public IModelStorage Models { get; }

    /// <inheritdoc/>
    public IDatasetStorage Datasets { get; }

    /// <inheritdoc/>
    public IBenchmarkStorage Benchmarks { get; }

    /// <inheritdoc/>
    public IRunStorage Runs { get; }

    /// <inheritdoc/>
    public IResultStorage Results { get; }

    /// <inheritdoc/>
    public IMetricStorage Metrics { get; }

    /// <inheritdoc/>
    public IResponseCacheStorage ResponseCache { get; }

    /// <inheritdoc/>
    public IAbTestStorage AbTests { get; }

    /// <inheritdoc/>
    public IRunShardStorage Shards { get; } = new InMemoryRunShardStorage();

    /// <inheritdoc/>
    public IExperimentStorage Experiments { get; } = new InMemoryExperimentStorage();

    /// <inheritdoc/>
    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            return action();
        }
    }

    private sealed class ModelStore(InMemoryEvalKitStorage s) : IModelStorage
    {
        // Advanced under the lock by every model write; read without it (Interlocked), so polling it is nearly free.
        private long _changes;

        public ValueTask<bool> TryAddAsync(ModelRevision revision, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(revision);
            return ValueTask.FromResult(s.Locked(() =>
            {
                if (!s._models.TryAdd(revision.ModelId, [revision]))
                {
                    return false;
                }

                Interlocked.Increment(ref _changes);
                return true;
            }));
        }

        public ValueTask<bool> TryUpdateAsync(ModelRevision revision, int expectedRevision, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(revision);
            return ValueTask.FromResult(s.Locked(() =>
            {
                if (!s._models.TryGetValue(revision.ModelId, out var history) || history[^1].Revision != expectedRevision)
                {
                    return false;
                }

                history.Add(revision);
                Interlocked.Increment(ref _changes);
                return true;
            }));
        }

        public ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._models.TryGetValue(modelId, out var h) ? h[^1].Model : null));

        public IAsyncEnumerable<ModelDescriptor> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(() => s._models.Values.Select(h => h[^1].Model).ToArray()).ToAsyncEnumerable();

        public IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default) =>
            s.Locked(() => s._models.TryGetValue(modelId, out var h) ? h.Select(r => r.Model).ToArray() : []).ToAsyncEnumerable();

        public IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, CancellationToken cancellationToken = default) =>
            s.Locked(() => s._models.TryGetValue(modelId, out var h) ? h.ToArray() : []).ToAsyncEnumerable();

        public ValueTask<ModelDeleteResult> DeleteAsync(string modelId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(modelId);
            return ValueTask.FromResult(s.Locked(() =>
            {
                if (!s._models.ContainsKey(modelId))
                {
                    return ModelDeleteResult.NotFound;
                }

                var runs = s._runs.Values
                    .Where(r => string.Equals(r.ModelId, modelId, StringComparison.Ordinal))
                    .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                    .Select(r => r.Id)
                    .ToList();
                if (runs.Count > 0)
                {
                    return ModelDeleteResult.Referenced(runs.Count, runs);
                }

                s._models.Remove(modelId);
                Interlocked.Increment(ref _changes);
                return ModelDeleteResult.Deleted;
            }));
        }

        public ValueTask<long> GetChangeCounterAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Interlocked.Read(ref _changes));
    }

    private sealed class DatasetStore(InMemoryEvalKitStorage s) : IDatasetStorage
    {
        public async ValueTask<DatasetInfo> CreateAsync(DatasetImport import, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(import);
            if (s.Locked(() => s._datasets.ContainsKey(import.Id)))
            {
                throw DatasetExistsException.For(import.Id);
            }

            var cases = new List<EvalCase>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var item in import.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!ids.Add(item.Case.Id))
                {
                    throw import.DuplicateId(item.Case.Id, item.Ordinal);
                }

                cases.Add(item.Case);
            }

            var info = import.Complete();
            return s.Locked(() => s._datasets.TryAdd(info.Id, (info, cases.ToArray()))
                ? info
                : throw DatasetExistsException.For(import.Id));
        }

        public ValueTask<DatasetInfo?> GetAsync(string datasetId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._datasets.TryGetValue(datasetId, out var d) ? d.Info : null));

        public IAsyncEnumerable<DatasetInfo> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(() => s._datasets.Values.Select(d => d.Info).ToArray()).ToAsyncEnumerable();

        public async IAsyncEnumerable<StoredCase> ReadCasesAsync(string datasetId, long fromOrdinal = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var cases = s.Locked(() => s._datasets.TryGetValue(datasetId, out var d) ? d.Cases : []);
            for (var i = fromOrdinal; i < cases.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new StoredCase(i, cases[i]);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }
    }

    private sealed class BenchmarkStore(InMemoryEvalKitStorage s) : IBenchmarkStorage
    {
        public ValueTask SaveAsync(Benchmark benchmark, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(benchmark);
            s.Locked(() => s._benchmarks[benchmark.Id] = benchmark);
            return ValueTask.CompletedTask;
        }

        public ValueTask<Benchmark?> GetAsync(string benchmarkId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._benchmarks.GetValueOrDefault(benchmarkId)));

        public IAsyncEnumerable<Benchmark> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(() => s._benchmarks.Values.ToArray()).ToAsyncEnumerable();
    }

    private sealed class RunStore(InMemoryEvalKitStorage s) : IRunStorage
    {
        public ValueTask<bool> TryAddAsync(EvaluationRun run, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._runs.TryAdd(run.Id, run)));

        public ValueTask UpdateAsync(EvaluationRun run, CancellationToken cancellationToken = default)
        {
            s.Locked(() => s._runs.ContainsKey(run.Id) ? s._runs[run.Id] = run : throw new NotFoundException("run", run.Id));
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryUpdateAsync(EvaluationRun run, RunStatus expectedStatus, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(run);
            return ValueTask.FromResult(s.Locked(() =>
            {
                var stored = s._runs.GetValueOrDefault(run.Id) ?? throw new NotFoundException("run", run.Id);
                if (stored.Status != expectedStatus)
                {
                    return false;
                }

                s._runs[run.Id] = run;
                return true;
            }));
        }

        public ValueTask<EvaluationRun?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._runs.GetValueOrDefault(runId)));

        public IAsyncEnumerable<EvaluationRun> ListAsync(string? modelId = null, string? datasetId = null, CancellationToken cancellationToken = default) =>
            s.Locked(() => s._runs.Values
                .Where(r => (modelId is null || r.ModelId == modelId) && (datasetId is null || r.DatasetId == datasetId))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .ToArray()).ToAsyncEnumerable();
    }

    private sealed class ResultStore(InMemoryEvalKitStorage s) : IResultStorage
    {
        public ValueTask<int> AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(results);
            return ValueTask.FromResult(s.Locked(() =>
            {
                var written = 0;
                foreach (var result in results)
                {
                    if (!s._results.TryGetValue(result.RunId, out var run))
                    {
                        s._results[result.RunId] = run = [];
                    }

                    if (run.TryAdd(new ResultKey(result.CaseOrdinal, result.Repetition), result))
                    {
                        written++;
                    }
                }

                return written;
            }));
        }

        public IAsyncEnumerable<CaseResult> ReadAsync(string runId, CancellationToken cancellationToken = default) =>
            s.Locked(() => s._results.TryGetValue(runId, out var r) ? r.Values.ToArray() : []).ToAsyncEnumerable();

        public IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, CancellationToken cancellationToken = default) =>
            s.Locked(() => s._results.TryGetValue(runId, out var r) ? r.Keys.ToArray() : []).ToAsyncEnumerable();

        public ValueTask<ResultCounts> CountAsync(string runId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._results.TryGetValue(runId, out var r)
                ? new ResultCounts(r.Count, r.Values.Count(v => v.Error is not null))
                : default));
    }

    private sealed class MetricStore(InMemoryEvalKitStorage s) : IMetricStorage
    {
        public ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
        {
            MetricValidation.Points(points, nameof(points));
            s.Locked(() =>
            {
                s._metrics.Add(points);
                return 0;
            });
            return ValueTask.CompletedTask;
        }

        public IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            return s.Locked(() => s._metrics.Query(query)).ToAsyncEnumerable();
        }

        public ValueTask<IReadOnlyList<MetricBucket>> AggregateAsync(MetricAggregateQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            // Copy the (time, value) pairs under the lock; sort and aggregate outside it, so writers wait only for the copy.
            var (ticks, values) = s.Locked(() => s._metrics.Values(query));
            var accumulator = new MetricBucketAccumulator(query.Period, query.IncludePercentiles);
            for (var i = 0; i < ticks.Length; i++)
            {
                if ((i & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                accumulator.Add(ticks[i], values[i]);
            }

            return ValueTask.FromResult(accumulator.Complete());
        }

        public ValueTask<long> DeleteOlderThanAsync(MetricDeleteQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            return ValueTask.FromResult(s.Locked(() => s._metrics.DeleteOlderThan(query)));
        }
    }

    private sealed class CacheStore(InMemoryEvalKitStorage s) : IResponseCacheStorage
    {
        public ValueTask<CachedResponse?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._cache.GetValueOrDefault(key)));

        public ValueTask AddAsync(IReadOnlyList<CachedResponse> responses, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(responses);
            s.Locked(() =>
            {
                foreach (var response in responses)
                {
                    s._cache.TryAdd(response.Key, response);
                }

                return 0;
            });
            return ValueTask.CompletedTask;
        }
    }

    private sealed class AbTestStore(InMemoryEvalKitStorage s) : IAbTestStorage
    {
        public ValueTask<bool> TryAddAsync(AbTest test, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(test);
            return ValueTask.FromResult(s.Locked(() => s._abTests.TryAdd(test.Id, test)));
        }

        public ValueTask UpdateAsync(AbTest test, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(test);
            s.Locked(() => s._abTests.ContainsKey(test.Id) ? s._abTests[test.Id] = test : throw new NotFoundException("A/B test", test.Id));
            return ValueTask.CompletedTask;
        }

        public ValueTask<AbTest?> GetAsync(string testId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(() => s._abTests.GetValueOrDefault(testId)));

        public IAsyncEnumerable<AbTest> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(() => s._abTests.Values
                .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id, StringComparer.Ordinal)
                .ToArray()).ToAsyncEnumerable();
    }
}
