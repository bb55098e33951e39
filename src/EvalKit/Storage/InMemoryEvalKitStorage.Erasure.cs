using EvalKit.Erasure;

namespace EvalKit.Storage;

/// <content>Erasure of a tenant, a project or a model (see <see cref="IErasureStorage"/>).</content>
public sealed partial class InMemoryEvalKitStorage
{
    private ErasureStore? _erasure;

    /// <inheritdoc/>
    public IErasureStorage Erasure => _erasure ??= new ErasureStore(this);

    /// <summary>
    /// The in-memory erasures: the records of the store's lock are removed under it, then the shards, experiments and audit
    /// entries (each under its own lock). Nothing in between can fail, so an erasure is all or nothing.
    /// </summary>
    private sealed class ErasureStore(InMemoryEvalKitStorage s) : IErasureStorage
    {
        private InMemoryRunShardStorage ShardStore => (InMemoryRunShardStorage)s.Shards;

        private InMemoryExperimentStorage ExperimentStore => (InMemoryExperimentStorage)s.Experiments;

        private InMemoryAuditStorage AuditStore => (InMemoryAuditStorage)s.Audit;

        public ValueTask<ErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            var projects = s.TenantProjects;
            var counts = s.Locked(t =>
            {
                var erased = new ErasureCounts
                {
                    Models = t.Models.Count,
                    ModelRevisions = t.Models.Values.Sum(h => (long)h.Count),
                    Datasets = t.Datasets.Count,
                    Cases = t.Datasets.Values.Sum(d => (long)d.Cases.Length),
                    Benchmarks = t.Benchmarks.Count,
                    Runs = t.Runs.Count,
                    CaseResults = t.Results.Values.Sum(r => (long)r.Count),
                    MetricPoints = t.Metrics.DeleteWhere(_ => true),
                    CachedResponses = t.Cache.Count,
                    AbTests = t.AbTests.Count,
                    Projects = projects.Count,
                };
                t.Models.Clear();
                t.Datasets.Clear();
                t.Benchmarks.Clear();
                t.Runs.Clear();
                t.Results.Clear();
                t.Cache.Clear();
                t.AbTests.Clear();
                projects.Clear();

                // The counter is kept and moves on: a registry's snapshot tagged with an old value is never served again.
                Interlocked.Increment(ref t.ModelChanges);
                t.Counters.Clear();
                s.Advance(t, ChangeScope.Epoch, ChangeScope.Runs);
                return erased;
            });
            s.Advanced(ChangeScope.Epoch, ChangeScope.Runs);
            var (experiments, experimentRuns, templates) = ExperimentStore.Erase(tenant, null, null);
            return ValueTask.FromResult(counts with
            {
                Shards = ShardStore.EraseRuns(tenant, null),
                Experiments = experiments,
                ExperimentRuns = experimentRuns,
                ExperimentTemplates = templates,
                AuditEntriesScrubbed = AuditStore.Scrub(tenant, null),
            });
        }

        public ValueTask<ErasureCounts> EraseProjectAsync(string projectId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
            return ValueTask.FromResult(Erase(graph => ErasurePlanner.ForProject(graph, projectId)));
        }

        public ValueTask<ErasureCounts> EraseModelAsync(string modelId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
            return ValueTask.FromResult(Erase(graph => ErasurePlanner.ForModel(graph, modelId)));
        }

        // The change counters an erasure moves (the tenant's epoch, on which every cached answer depends, and its run list) or
        // removes (an erased model's metrics counter: a counter created again never repeats a value, and one left behind
        // would keep the erased id); the caches of this process hear of all of them.
        private static IEnumerable<ChangeScope> Scopes(ErasurePlan plan)
        {
            yield return ChangeScope.Epoch;
            yield return ChangeScope.Runs;
            if (plan.ModelId is { } modelId)
            {
                yield return ChangeScope.ModelMetrics(modelId);
            }
        }

        private ErasureCounts Erase(Func<ErasureGraph, ErasurePlan> planOf)
        {
            var tenant = s.Tenant;
            var projects = s.TenantProjects;
            var graph = new ErasureGraph();
            ExperimentStore.AddLinks(tenant, graph);
            var (counts, plan) = s.Locked(t =>
            {
                graph.Runs.AddRange(t.Runs.Values.Select(r => new RunLink(r.Id, r.ModelId, r.DatasetId, r.BenchmarkId, r.ProjectId)));
                graph.AbTests.AddRange(t.AbTests.Values.Select(a => AbTestLink.Of(a, a.Definition.ProjectId)));
                foreach (var benchmark in t.Benchmarks.Values)
                {
                    graph.Benchmarks[benchmark.Id] = benchmark.DatasetId;
                }

                var plan = planOf(graph);

                // Cached answers of the model, and any cached answer that an erased result holds (a run of the project, or of
                // another model in an erased comparison, may have been served from or written to the cache).
                var outputs = new HashSet<string>(
                    plan.Runs.SelectMany(r => t.Results.TryGetValue(r, out var results) ? results.Values.Select(v => v.Output) : []).OfType<string>(),
                    StringComparer.Ordinal);
                var cached = t.Cache.Where(e => e.Value.ModelId == plan.ModelId || outputs.Contains(e.Value.Text)).Select(e => e.Key).ToList();
                cached.ForEach(key => t.Cache.Remove(key));

                long results = 0, runs = 0, cases = 0, datasets = 0, models = 0, revisions = 0, projectCount = 0;
                foreach (var runId in plan.Runs)
                {
                    results += t.Results.Remove(runId, out var removed) ? removed.Count : 0;
                    runs += t.Runs.Remove(runId) ? 1 : 0;
                }

                var metricPoints = t.Metrics.DeleteWhere(p => p.ModelId == plan.ModelId || (p.RunId is { } run && plan.Runs.Contains(run)));
                var abTests = plan.AbTests.Count(t.AbTests.Remove);
                var benchmarks = plan.Benchmarks.Count(t.Benchmarks.Remove);
                foreach (var datasetId in plan.Datasets)
                {
                    if (t.Datasets.Remove(datasetId, out var dataset))
                    {
                        datasets++;
                        cases += dataset.Cases.Length;
                    }
                }

                if (plan.ModelId is { } modelId && t.Models.Remove(modelId, out var history))
                {
                    models = 1;
                    revisions = history.Count;
                    Interlocked.Increment(ref t.ModelChanges);
                }

                if (plan.ProjectId is { } projectId && projects.Remove(projectId))
                {
                    projectCount = 1;
                }

                foreach (var runId in plan.Runs)
                {
                    Remove(t, ChangeScope.Run(runId));
                }

                if (plan.ModelId is { } erasedModel)
                {
                    Remove(t, ChangeScope.ModelMetrics(erasedModel));
                }

                s.Advance(t, ChangeScope.Epoch, ChangeScope.Runs);

                return (new ErasureCounts
                {
                    Models = models,
                    ModelRevisions = revisions,
                    Datasets = datasets,
                    Cases = cases,
                    Benchmarks = benchmarks,
                    Runs = runs,
                    CaseResults = results,
                    MetricPoints = metricPoints,
                    CachedResponses = cached.Count,
                    AbTests = abTests,
                    Projects = projectCount,
                }, plan);
            });
            s.Advanced([.. Scopes(plan)]);
            var (experiments, experimentRuns, templates) = ExperimentStore.Erase(tenant, plan.Experiments, plan.Templates);
            return counts with
            {
                Shards = ShardStore.EraseRuns(tenant, plan.Runs),
                Experiments = experiments,
                ExperimentRuns = experimentRuns,
                ExperimentTemplates = templates,
                AuditEntriesScrubbed = AuditStore.Scrub(tenant, plan.AuditRecordIds),
            };
        }
    }
}
