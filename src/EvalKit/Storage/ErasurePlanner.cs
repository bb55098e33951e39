using EvalKit.Comparisons;
using EvalKit.Erasure;
using EvalKit.Experiments;
using EvalKit.Security;

namespace EvalKit.Storage;

/// <summary>A run as erasure sees it: what it links to.</summary>
internal readonly record struct RunLink(string Id, string ModelId, string DatasetId, string? BenchmarkId, string? ProjectId);

/// <summary>An A/B test as erasure sees it.</summary>
internal sealed record AbTestLink(string Id, IReadOnlyList<string> ModelIds, string BenchmarkId, IReadOnlyCollection<string> RunIds, string? ProjectId)
{
    public static AbTestLink Of(AbTest test, string? projectId) =>
        new(test.Id, test.Definition.ModelIds, test.Definition.BenchmarkId, [.. test.RunIds.Values], projectId);
}

/// <summary>An experiment as erasure sees it.</summary>
internal sealed record ExperimentLink(string Id, IReadOnlyList<string> ModelIds, IReadOnlyList<string> BenchmarkIds, string? ProjectId)
{
    public static ExperimentLink Of(Experiment experiment, string? projectId) =>
        new(experiment.Id, experiment.Definition.ModelIds, experiment.Definition.BenchmarkIds, projectId);
}

/// <summary>An experiment's link to one of its runs.</summary>
internal readonly record struct ExperimentRunLink(string ExperimentId, string RunId, string ModelId, string BenchmarkId)
{
    public static ExperimentRunLink Of(ExperimentRun run) => new(run.ExperimentId, run.RunId, run.ModelId, run.BenchmarkId);
}

/// <summary>An experiment template as erasure sees it.</summary>
internal sealed record TemplateLink(string Id, IReadOnlyList<string> ModelIds, IReadOnlyList<string> BenchmarkIds)
{
    public static TemplateLink Of(ExperimentTemplate template) => new(template.Id, template.Definition.ModelIds, template.Definition.BenchmarkIds);
}

/// <summary>What links the records of one tenant: read by a provider inside its erasure transaction, then planned here.</summary>
internal sealed class ErasureGraph
{
    public List<RunLink> Runs { get; } = [];

    public List<AbTestLink> AbTests { get; } = [];

    public List<ExperimentLink> Experiments { get; } = [];

    public List<ExperimentRunLink> ExperimentRuns { get; } = [];

    public List<TemplateLink> Templates { get; } = [];

    /// <summary>Gets each benchmark's dataset, by benchmark id.</summary>
    public Dictionary<string, string> Benchmarks { get; } = new(StringComparer.Ordinal);
}

/// <summary>The ids that one project or model erasure deletes (see <see cref="Erasure.IErasureService"/> for the rules).</summary>
internal sealed class ErasurePlan
{
    public string? ModelId { get; init; }

    public string? ProjectId { get; init; }

    public HashSet<string> Runs { get; } = new(StringComparer.Ordinal);

    public HashSet<string> AbTests { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Experiments { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Templates { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Benchmarks { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Datasets { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets the record ids that older audit entries may hold for the erased records, each as given and as the audit log
    /// stores it (<see cref="OperationGuard.StoredRecordId"/>): those entries get <see cref="AuditEntry.ErasedRecordId"/>.
    /// </summary>
    public IReadOnlyCollection<string> AuditRecordIds
    {
        get
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            void Add(string? id)
            {
                if (id is not null)
                {
                    ids.Add(id);
                    if (OperationGuard.StoredRecordId(id) is { } stored)
                    {
                        ids.Add(stored);
                    }
                }
            }

            Add(ModelId);
            Add(ProjectId);
            foreach (var set in (HashSet<string>[])[Runs, AbTests, Experiments, Templates, Benchmarks, Datasets])
            {
                foreach (var id in set)
                {
                    Add(id);
                }
            }

            return ids;
        }
    }
}

/// <summary>Decides what a project or model erasure deletes, from the links between a tenant's records.</summary>
internal static class ErasurePlanner
{
    /// <summary>Plans the erasure of a model: its runs, and the A/B tests, experiments and templates that name it, whole.</summary>
    public static ErasurePlan ForModel(ErasureGraph graph, string modelId)
    {
        var plan = new ErasurePlan { ModelId = modelId };
        bool Names(IReadOnlyList<string> models) => models.Contains(modelId, StringComparer.Ordinal);
        foreach (var run in graph.Runs.Where(r => r.ModelId == modelId))
        {
            plan.Runs.Add(run.Id);
        }

        foreach (var test in graph.AbTests.Where(t => Names(t.ModelIds)))
        {
            plan.AbTests.Add(test.Id);
        }

        foreach (var experiment in graph.Experiments.Where(e => Names(e.ModelIds)))
        {
            plan.Experiments.Add(experiment.Id);
        }

        foreach (var link in graph.ExperimentRuns.Where(r => r.ModelId == modelId))
        {
            plan.Experiments.Add(link.ExperimentId);
        }

        foreach (var template in graph.Templates.Where(t => Names(t.ModelIds)))
        {
            plan.Templates.Add(template.Id);
        }

        return Complete(graph, plan);
    }

    /// <summary>Plans the erasure of a project: its runs, A/B tests and experiments, whole.</summary>
    public static ErasurePlan ForProject(ErasureGraph graph, string projectId)
    {
        var plan = new ErasurePlan { ProjectId = projectId };
        foreach (var run in graph.Runs.Where(r => r.ProjectId == projectId))
        {
            plan.Runs.Add(run.Id);
        }

        foreach (var test in graph.AbTests.Where(t => t.ProjectId == projectId))
        {
            plan.AbTests.Add(test.Id);
        }

        foreach (var experiment in graph.Experiments.Where(e => e.ProjectId == projectId))
        {
            plan.Experiments.Add(experiment.Id);
        }

        return Complete(graph, plan);
    }

    // Adds the runs of the erased A/B tests and experiments, then the benchmarks and datasets that only erased records used.
    private static ErasurePlan Complete(ErasureGraph graph, ErasurePlan plan)
    {
        foreach (var test in graph.AbTests.Where(t => plan.AbTests.Contains(t.Id)))
        {
            plan.Runs.UnionWith(test.RunIds);
        }

        foreach (var link in graph.ExperimentRuns.Where(r => plan.Experiments.Contains(r.ExperimentId)))
        {
            plan.Runs.Add(link.RunId);
        }

        var usedByErased = new HashSet<string>(StringComparer.Ordinal);
        var usedByKept = new HashSet<string>(StringComparer.Ordinal);
        void Use(bool erased, string? benchmarkId)
        {
            if (benchmarkId is not null)
            {
                (erased ? usedByErased : usedByKept).Add(benchmarkId);
            }
        }

        foreach (var run in graph.Runs)
        {
            Use(plan.Runs.Contains(run.Id), run.BenchmarkId);
        }

        foreach (var test in graph.AbTests)
        {
            Use(plan.AbTests.Contains(test.Id), test.BenchmarkId);
        }

        foreach (var experiment in graph.Experiments)
        {
            foreach (var benchmark in experiment.BenchmarkIds)
            {
                Use(plan.Experiments.Contains(experiment.Id), benchmark);
            }
        }

        foreach (var link in graph.ExperimentRuns)
        {
            Use(plan.Experiments.Contains(link.ExperimentId), link.BenchmarkId);
        }

        foreach (var template in graph.Templates)
        {
            foreach (var benchmark in template.BenchmarkIds)
            {
                Use(plan.Templates.Contains(template.Id), benchmark);
            }
        }

        plan.Benchmarks.UnionWith(usedByErased.Where(b => !usedByKept.Contains(b) && graph.Benchmarks.ContainsKey(b)));

        var datasetsOfErased = new HashSet<string>(StringComparer.Ordinal);
        var datasetsOfKept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in graph.Runs)
        {
            (plan.Runs.Contains(run.Id) ? datasetsOfErased : datasetsOfKept).Add(run.DatasetId);
        }

        foreach (var (benchmark, dataset) in graph.Benchmarks)
        {
            (plan.Benchmarks.Contains(benchmark) ? datasetsOfErased : datasetsOfKept).Add(dataset);
        }

        plan.Datasets.UnionWith(datasetsOfErased.Where(d => !datasetsOfKept.Contains(d)));
        return plan;
    }
}

/// <summary>
/// The tables of the SQL providers whose rows an erasure counts, with the count each feeds. Any other table with a
/// tenant_id column (the change counters, or one a later schema adds) is emptied of the tenant's rows by a tenant erasure
/// too, uncounted; the audit log and the model change counter are kept (the counter moves on).
/// </summary>
internal static class ErasureTables
{
    public static readonly (string Table, Func<ErasureCounts, long, ErasureCounts> Count)[] Counted =
    [
        ("evaluation_models", (c, n) => c with { Models = n }),
        ("model_revisions", (c, n) => c with { ModelRevisions = n }),
        ("evaluation_datasets", (c, n) => c with { Datasets = n }),
        ("evaluation_cases", (c, n) => c with { Cases = n }),
        ("benchmark_suites", (c, n) => c with { Benchmarks = n }),
        ("evaluation_runs", (c, n) => c with { Runs = n }),
        ("evaluation_results", (c, n) => c with { CaseResults = n }),
        ("run_shards", (c, n) => c with { Shards = n }),
        ("model_metrics", (c, n) => c with { MetricPoints = n }),
        ("response_cache", (c, n) => c with { CachedResponses = n }),
        ("ab_tests", (c, n) => c with { AbTests = n }),
        ("experiments", (c, n) => c with { Experiments = n }),
        ("experiment_runs", (c, n) => c with { ExperimentRuns = n }),
        ("experiment_templates", (c, n) => c with { ExperimentTemplates = n }),
        ("projects", (c, n) => c with { Projects = n }),
    ];
}
