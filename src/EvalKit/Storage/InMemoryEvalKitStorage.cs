using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Security;

namespace EvalKit.Storage;

/// <summary>
/// A thread-safe storage provider that keeps everything in process memory. It is the default store, and the one for tests
/// and short-lived hosts; nothing survives the process.
/// </summary>
/// <remarks>
/// Every tenant has its own set of records (see <see cref="EvalKitTenant"/>): each operation works on the records of the
/// tenant that <see cref="EvalKitTenant.Resolve(ITenantContext?)"/> names, over the tenant context given to the constructor.
/// </remarks>
public sealed partial class InMemoryEvalKitStorage : IEvalKitStorage
{
    private readonly Lock _gate = new();
    private readonly ITenantContext _tenantContext;
    private readonly ConcurrentDictionary<string, TenantData> _tenants = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InMemoryEvalKitStorage"/> class over the ambient tenant (<see cref="AmbientTenantContext"/>).</summary>
    public InMemoryEvalKitStorage()
        : this(null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryEvalKitStorage"/> class.</summary>
    /// <param name="tenantContext">Names the tenant of each operation; <see cref="AmbientTenantContext.Instance"/> when <see langword="null"/>.</param>
    public InMemoryEvalKitStorage(ITenantContext? tenantContext)
    {
        _tenantContext = tenantContext ?? AmbientTenantContext.Instance;
        _changeCounters.Owner = this;
        Shards = new InMemoryRunShardStorage(() => Tenant);
        Experiments = new InMemoryExperimentStorage(() => Tenant);
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
    public IRunShardStorage Shards { get; }

    /// <inheritdoc/>
    public IExperimentStorage Experiments { get; }

    /// <inheritdoc/>
    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>Gets the tenant of the current operation.</summary>
    private string Tenant => EvalKitTenant.Resolve(_tenantContext);

    /// <summary>Gets the records of the current operation's tenant (created empty on first use).</summary>
    private TenantData Data => _tenants.GetOrAdd(Tenant, static _ => new TenantData());

    /// <summary>Runs an action on the current tenant's records under the store's lock.</summary>
    private T Locked<T>(Func<TenantData, T> action)
    {
        var data = Data;
        lock (_gate)
        {
            return action(data);
        }
    }

    /// <summary>One tenant's records.</summary>
    private sealed class TenantData
    {
#pragma warning disable SA1401, CA1051 // Advanced under the store's lock with Interlocked; read without it, so polling it is nearly free.
        public long ModelChanges;
#pragma warning restore SA1401, CA1051

        public SortedDictionary<string, List<ModelRevision>> Models { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, (DatasetInfo Info, EvalCase[] Cases)> Datasets { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, Benchmark> Benchmarks { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, EvaluationRun> Runs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, SortedDictionary<ResultKey, CaseResult>> Results { get; } = new(StringComparer.Ordinal);

        public MetricSeriesSet Metrics { get; } = new();

        public Dictionary<string, CachedResponse> Cache { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AbTest> AbTests { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ModelStore(InMemoryEvalKitStorage s) : IModelStorage
    {
        public ValueTask<bool> TryAddAsync(ModelRevision revision, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(revision);
            revision = UnicodeText.Scrub(revision, EvalKit.Serialization.EvalKitJsonContext.Default.ModelRevision);
            return ValueTask.FromResult(s.Locked(t =>
            {
                if (!t.Models.TryAdd(revision.ModelId, [revision]))
                {
                    return false;
                }

                Interlocked.Increment(ref t.ModelChanges);
                return true;
            }));
        }

        public ValueTask<bool> TryUpdateAsync(ModelRevision revision, int expectedRevision, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(revision);
            revision = UnicodeText.Scrub(revision, EvalKit.Serialization.EvalKitJsonContext.Default.ModelRevision);
            return ValueTask.FromResult(s.Locked(t =>
            {
                if (!t.Models.TryGetValue(revision.ModelId, out var history) || history[^1].Revision != expectedRevision)
                {
                    return false;
                }

                history.Add(revision);
                Interlocked.Increment(ref t.ModelChanges);
                return true;
            }));
        }

        public ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.Models.TryGetValue(modelId, out var h) ? h[^1].Model : null));

        public IAsyncEnumerable<ModelDescriptor> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Models.Values.Select(h => h[^1].Model).ToArray()).ToAsyncEnumerable();

        public IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Models.TryGetValue(modelId, out var h) ? h.Select(r => r.Model).ToArray() : []).ToAsyncEnumerable();

        public IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Models.TryGetValue(modelId, out var h) ? h.ToArray() : []).ToAsyncEnumerable();

        public ValueTask<ModelDeleteResult> DeleteAsync(string modelId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(modelId);
            return ValueTask.FromResult(s.Locked(t =>
            {
                if (!t.Models.ContainsKey(modelId))
                {
                    return ModelDeleteResult.NotFound;
                }

                var runs = t.Runs.Values
                    .Where(r => string.Equals(r.ModelId, modelId, StringComparison.Ordinal))
                    .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                    .Select(r => r.Id)
                    .ToList();
                if (runs.Count > 0)
                {
                    return ModelDeleteResult.Referenced(runs.Count, runs);
                }

                t.Models.Remove(modelId);
                Interlocked.Increment(ref t.ModelChanges);
                return ModelDeleteResult.Deleted;
            }));
        }

        public ValueTask<long> GetChangeCounterAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Interlocked.Read(ref s.Data.ModelChanges));
    }

    private sealed class DatasetStore(InMemoryEvalKitStorage s) : IDatasetStorage
    {
        public async ValueTask<DatasetInfo> CreateAsync(DatasetImport import, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(import);
            if (s.Locked(t => t.Datasets.ContainsKey(import.Id)))
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
            return s.Locked(t => t.Datasets.TryAdd(info.Id, (info, cases.ToArray()))
                ? info
                : throw DatasetExistsException.For(import.Id));
        }

        public ValueTask<DatasetInfo?> GetAsync(string datasetId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.Datasets.TryGetValue(datasetId, out var d) ? d.Info : null));

        public IAsyncEnumerable<DatasetInfo> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Datasets.Values.Select(d => d.Info).ToArray()).ToAsyncEnumerable();

        public IAsyncEnumerable<StoredCase> ReadCasesAsync(string datasetId, long fromOrdinal = 0, CancellationToken cancellationToken = default) =>
            ReadCasesAsync(s.Locked(t => t.Datasets.TryGetValue(datasetId, out var d) ? d.Cases : []), fromOrdinal, cancellationToken);

        private static async IAsyncEnumerable<StoredCase> ReadCasesAsync(EvalCase[] cases, long fromOrdinal, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
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
            benchmark = UnicodeText.Scrub(benchmark, EvalKit.Serialization.EvalKitJsonContext.Default.Benchmark);
            s.Locked(t => t.Benchmarks[benchmark.Id] = benchmark);
            return ValueTask.CompletedTask;
        }

        public ValueTask<Benchmark?> GetAsync(string benchmarkId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.Benchmarks.GetValueOrDefault(benchmarkId)));

        public IAsyncEnumerable<Benchmark> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Benchmarks.Values.ToArray()).ToAsyncEnumerable();
    }

    private sealed class RunStore(InMemoryEvalKitStorage s) : IRunStorage
    {
        public ValueTask<bool> TryAddAsync(EvaluationRun run, CancellationToken cancellationToken = default)
        {
            run = UnicodeText.Scrub(run, EvalKit.Serialization.EvalKitJsonContext.Default.EvaluationRun);
            var added = s.Locked(t =>
            {
                if (!t.Runs.TryAdd(run.Id, run))
                {
                    return false;
                }

                s.Advance(t, ChangeScope.Run(run.Id), ChangeScope.Runs);
                return true;
            });
            if (added)
            {
                s.Advanced(ChangeScope.Run(run.Id), ChangeScope.Runs);
            }

            return ValueTask.FromResult(added);
        }

        public ValueTask UpdateAsync(EvaluationRun run, CancellationToken cancellationToken = default)
        {
            run = UnicodeText.Scrub(run, EvalKit.Serialization.EvalKitJsonContext.Default.EvaluationRun);
            s.Locked(t =>
            {
                _ = t.Runs.ContainsKey(run.Id) ? t.Runs[run.Id] = run : throw new NotFoundException("run", run.Id);
                s.Advance(t, ChangeScope.Run(run.Id), ChangeScope.Runs);
                return run;
            });
            s.Advanced(ChangeScope.Run(run.Id), ChangeScope.Runs);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryUpdateAsync(EvaluationRun run, RunStatus expectedStatus, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(run);
            run = UnicodeText.Scrub(run, EvalKit.Serialization.EvalKitJsonContext.Default.EvaluationRun);
            var updated = s.Locked(t =>
            {
                var stored = t.Runs.GetValueOrDefault(run.Id) ?? throw new NotFoundException("run", run.Id);
                if (stored.Status != expectedStatus)
                {
                    return false;
                }

                t.Runs[run.Id] = run;
                s.Advance(t, ChangeScope.Run(run.Id), ChangeScope.Runs);
                return true;
            });
            if (updated)
            {
                s.Advanced(ChangeScope.Run(run.Id), ChangeScope.Runs);
            }

            return ValueTask.FromResult(updated);
        }

        public ValueTask<EvaluationRun?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.Runs.GetValueOrDefault(runId)));

        public IAsyncEnumerable<EvaluationRun> ListAsync(string? modelId = null, string? datasetId = null, CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Runs.Values
                .Where(r => (modelId is null || r.ModelId == modelId) && (datasetId is null || r.DatasetId == datasetId))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .ToArray()).ToAsyncEnumerable();
    }

    private sealed class ResultStore(InMemoryEvalKitStorage s) : IResultStorage
    {
        public ValueTask<int> AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(results);
            results = UnicodeText.ScrubAll(results, UnicodeText.Suspect, EvalKit.Serialization.EvalKitJsonContext.Default.CaseResult);
            return ValueTask.FromResult(s.Locked(t =>
            {
                var written = 0;
                foreach (var result in results)
                {
                    if (!t.Results.TryGetValue(result.RunId, out var run))
                    {
                        t.Results[result.RunId] = run = [];
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
            s.Locked(t => t.Results.TryGetValue(runId, out var r) ? r.Values.ToArray() : []).ToAsyncEnumerable();

        public IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, CancellationToken cancellationToken = default) =>
            s.Locked(t => t.Results.TryGetValue(runId, out var r) ? r.Keys.ToArray() : []).ToAsyncEnumerable();

        public ValueTask<ResultCounts> CountAsync(string runId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.Results.TryGetValue(runId, out var r)
                ? new ResultCounts(r.Count, r.Values.Count(v => v.Error is not null))
                : default));
    }

    private sealed class MetricStore(InMemoryEvalKitStorage s) : IMetricStorage
    {
        public ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
        {
            MetricValidation.Points(points, nameof(points));
            points = UnicodeText.ScrubAll(points, UnicodeText.Suspect, EvalKit.Serialization.EvalKitJsonContext.Default.MetricPoint);
            var scopes = points.Select(p => p.ModelId).Distinct(StringComparer.Ordinal).Select(ChangeScope.ModelMetrics).ToArray();
            s.Locked(t =>
            {
                t.Metrics.Add(points);
                s.Advance(t, scopes);
                return 0;
            });
            s.Advanced(scopes);
            return ValueTask.CompletedTask;
        }

        public IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            return s.Locked(t => t.Metrics.Query(query)).ToAsyncEnumerable();
        }

        public ValueTask<IReadOnlyList<MetricBucket>> AggregateAsync(MetricAggregateQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            // Copy the (time, value) pairs under the lock; sort and aggregate outside it, so writers wait only for the copy.
            var (ticks, values) = s.Locked(t => t.Metrics.Values(query));
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
            var deleted = s.Locked(t =>
            {
                var count = t.Metrics.DeleteOlderThan(query);
                if (count > 0)
                {
                    s.Advance(t, ChangeScope.Epoch);
                }

                return count;
            });
            if (deleted > 0)
            {
                s.Advanced(ChangeScope.Epoch);
            }

            return ValueTask.FromResult(deleted);
        }
    }

    private sealed class CacheStore(InMemoryEvalKitStorage s) : IResponseCacheStorage
    {
        public ValueTask<CachedResponse?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.Cache.GetValueOrDefault(key)));

        public ValueTask AddAsync(IReadOnlyList<CachedResponse> responses, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(responses);
            responses = [.. responses.Select(r => r with { Key = UnicodeText.Replace(r.Key)!, ModelId = UnicodeText.Replace(r.ModelId)!, Text = UnicodeText.Replace(r.Text)! })];
            s.Locked(t =>
            {
                foreach (var response in responses)
                {
                    t.Cache.TryAdd(response.Key, response);
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
            test = UnicodeText.Scrub(test, EvalKit.Serialization.EvalKitJsonContext.Default.AbTest);
            return ValueTask.FromResult(s.Locked(t => t.AbTests.TryAdd(test.Id, test)));
        }

        public ValueTask UpdateAsync(AbTest test, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(test);
            test = UnicodeText.Scrub(test, EvalKit.Serialization.EvalKitJsonContext.Default.AbTest);
            s.Locked(t => t.AbTests.ContainsKey(test.Id) ? t.AbTests[test.Id] = test : throw new NotFoundException("A/B test", test.Id));
            return ValueTask.CompletedTask;
        }

        public ValueTask<AbTest?> GetAsync(string testId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t => t.AbTests.GetValueOrDefault(testId)));

        public IAsyncEnumerable<AbTest> ListAsync(CancellationToken cancellationToken = default) =>
            s.Locked(t => t.AbTests.Values
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal)
                .ToArray()).ToAsyncEnumerable();
    }
}
