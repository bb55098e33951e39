using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Erasure;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Projects;
using EvalKit.Registry;
using Microsoft.Extensions.AI;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>What <see cref="ErasureSeed.SeedAsync"/> wrote for one marker.</summary>
public sealed record SeededUnit(
    string Marker, string ModelId, string? ProjectId, string DatasetId, string BenchmarkId, string RunId, string AbTestId, string ExperimentId, string? TemplateId);

/// <summary>
/// Seeds realistic data through EvalKit's own services (a fake model that echoes its prompt is the only fake), with a marker
/// string in every kind of record: model names and metadata, revisions, dataset cases, benchmarks, outputs (so results and
/// the response cache), metric tags, A/B test, experiment and template names, project names, shard workers, and the audit
/// entries the services write (their record ids carry the marker).
/// </summary>
public static class ErasureSeed
{
    /// <summary>A model without a marker that every A/B test compares against.</summary>
    public const string ControlModel = "shared-control";

    /// <summary>A model without a marker for the runs of a project (projects do not own models).</summary>
    public const string SharedModel = "shared-primary";

    public static readonly DateTimeOffset PointTime = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    /// <summary>Creates services over a store (not owned): every model answers by echoing its prompt, with usage.</summary>
    public static EvalKitHost CreateHost(IEvalKitStorage storage) =>
        EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage, new AnyModel(FakeChatClient.Answering(prompt => "echo: " + prompt, 12, 4)), ownsStorage: false);

    /// <summary>Registers the models without a marker, once per tenant.</summary>
    public static async Task EnsureSharedModelsAsync(EvalKitHost kit, CancellationToken cancellationToken)
    {
        foreach (var id in new[] { ControlModel, SharedModel })
        {
            if (await kit.Registry.GetAsync(id, cancellationToken) is null)
            {
                await kit.Registry.RegisterAsync(TestData.Model(id), cancellationToken);
            }
        }
    }

    /// <summary>Seeds one unit of data marked with <paramref name="marker"/> in the current tenant.</summary>
    /// <param name="kit">The services.</param>
    /// <param name="marker">The marker: in every record written.</param>
    /// <param name="ownModel">Whether the unit has its own model, named after the marker (tenant and model scopes); otherwise it runs <see cref="SharedModel"/>.</param>
    /// <param name="inProject">Whether the unit has its own project, named after the marker, that its runs, A/B test and experiment belong to.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was written.</returns>
    public static async Task<SeededUnit> SeedAsync(EvalKitHost kit, string marker, bool ownModel, bool inProject, CancellationToken cancellationToken)
    {
        await EnsureSharedModelsAsync(kit, cancellationToken);
        var modelId = SharedModel;
        if (ownModel)
        {
            modelId = $"{marker}-model";
            await kit.Registry.RegisterAsync(
                TestData.Model(modelId) with { DisplayName = $"{marker} display", Metadata = new Dictionary<string, string> { ["note"] = marker } },
                cancellationToken);
            await kit.Registry.UpdateAsync(modelId, m => m with { DisplayName = $"{marker} display v2" }, cancellationToken);
        }

        string? projectId = null;
        if (inProject)
        {
            var project = await kit.Projects.CreateAsync(new ProjectDefinition { Id = $"{marker}-proj", Name = $"{marker} project", Description = $"about {marker}" }, cancellationToken);
            projectId = project.Id;
        }

        var cases = Enumerable.Range(0, 6).Select(i => new EvalCase
        {
            Id = $"{marker}-case-{i}",
            Input = $"{marker} question {i}",
            References = [$"{marker} answer {i}"],
            Metadata = new Dictionary<string, string> { ["note"] = marker },
        });
        var dataset = await kit.Datasets.ImportAsync($"{marker}-data", "1", cases.ToAsyncEnumerable(), $"cases of {marker}", cancellationToken);
        var benchmark = await kit.Datasets.SaveBenchmarkAsync(
            new Benchmark { Id = $"{marker}-bench", Name = $"{marker} bench", DatasetId = dataset.Id, SystemPrompt = $"You answer {marker} questions." },
            cancellationToken);
        var options = new EvaluationOptions { MaxConcurrency = 2, UseResponseCache = true };
        var run = await kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = modelId, BenchmarkId = benchmark.Id, RunId = $"{marker}-run", ProjectId = projectId, Options = options },
            cancellationToken: cancellationToken);
        run.Status.Should().Be(RunStatus.Completed);

        List<MetricPoint> points =
        [
            new() { ModelId = modelId, Name = "quality", Value = 0.5, Timestamp = PointTime, RunId = run.Id, Tags = new Dictionary<string, string> { ["note"] = marker } },
        ];
        if (ownModel)
        {
            points.Add(new() { ModelId = modelId, Name = "latency", Value = 1.5, Timestamp = PointTime, Tags = new Dictionary<string, string> { ["note"] = marker } });
        }

        await kit.Metrics.RecordAsync(points, cancellationToken);

        var test = await kit.AbTests.CreateAsync(
            new AbTestDefinition { Id = $"{marker}-ab", Name = $"{marker} ab", ModelIds = [modelId, ControlModel], BenchmarkId = benchmark.Id, ProjectId = projectId, Options = options },
            cancellationToken);
        await kit.AbTests.ExecuteAsync(test.Id, cancellationToken: cancellationToken);

        var definition = new ExperimentDefinition
        {
            Id = $"{marker}-exp",
            Name = $"{marker} exp",
            Description = $"experiment on {marker}",
            BenchmarkIds = [benchmark.Id],
            ModelIds = [modelId],
            Tags = new Dictionary<string, string> { ["note"] = marker },
            ProjectId = projectId,
            Options = options,
        };
        var experiment = await kit.Experiments.CreateAsync(definition, cancellationToken);
        await kit.Experiments.ExecuteAsync(experiment.Id, cancellationToken: cancellationToken);

        string? templateId = null;
        if (ownModel)
        {
            templateId = $"{marker}-tpl";
            await kit.Experiments.SaveTemplateAsync(templateId, definition with { Id = null, ProjectId = null, Name = $"{marker} tpl" }, cancellationToken);
        }

        try
        {
            await kit.Storage.Shards.CreateAsync(RunShard.Split(run.Id, 6, 3), cancellationToken);
            await kit.Storage.Shards.TryClaimAsync(run.Id, $"{marker}-worker", PointTime, TimeSpan.FromMinutes(1), cancellationToken);
        }
        catch (NotSupportedException)
        {
            // A store without distributed runs keeps no shards.
        }

        return new SeededUnit(marker, modelId, projectId, dataset.Id, benchmark.Id, run.Id, test.Id, experiment.Id, templateId);
    }

    private sealed class AnyModel(IChatClient client) : IModelClientProvider
    {
        public IChatClient? GetClient(string modelId) => client;
    }
}

/// <summary>
/// Everything a tenant holds, read back through the storage port (ids and per-record counts), to compare before and after an
/// erasure. Cached responses are not listed (the port reads them by key only); the provider tests find them in the raw data.
/// </summary>
public sealed record TenantCensus
{
    public required IReadOnlyList<string> Models { get; init; }

    public required long ModelRevisions { get; init; }

    public required IReadOnlyList<string> Datasets { get; init; }

    public required long Cases { get; init; }

    public required IReadOnlyList<string> Benchmarks { get; init; }

    public required IReadOnlyList<string> Runs { get; init; }

    public required long CaseResults { get; init; }

    public required long Shards { get; init; }

    public required long MetricPoints { get; init; }

    public required IReadOnlyList<string> AbTests { get; init; }

    public required IReadOnlyList<string> Experiments { get; init; }

    public required long ExperimentRuns { get; init; }

    public required IReadOnlyList<string> Templates { get; init; }

    public required IReadOnlyList<string> Projects { get; init; }

    /// <summary>Reads the current tenant's records; metric points of the listed models and of <paramref name="alsoModels"/>.</summary>
    public static async Task<TenantCensus> TakeAsync(IEvalKitStorage storage, IEnumerable<string> alsoModels, CancellationToken cancellationToken)
    {
        static async Task<List<T>> All<T>(IAsyncEnumerable<T> items, CancellationToken ct)
        {
            var list = new List<T>();
            await foreach (var item in items.WithCancellation(ct))
            {
                list.Add(item);
            }

            return list;
        }

        var models = (await All(storage.Models.ListAsync(cancellationToken), cancellationToken)).Select(m => m.Id).Order(StringComparer.Ordinal).ToList();
        long revisions = 0, cases = 0, results = 0, shards = 0, points = 0, experimentRuns = 0;
        foreach (var model in models)
        {
            revisions += (await All(storage.Models.GetRevisionsAsync(model, cancellationToken), cancellationToken)).Count;
        }

        var datasets = (await All(storage.Datasets.ListAsync(cancellationToken), cancellationToken)).Select(d => d.Id).Order(StringComparer.Ordinal).ToList();
        foreach (var dataset in datasets)
        {
            cases += (await All(storage.Datasets.ReadCasesAsync(dataset, 0, cancellationToken), cancellationToken)).Count;
        }

        var runs = await All(storage.Runs.ListAsync(cancellationToken: cancellationToken), cancellationToken);
        foreach (var run in runs)
        {
            results += (await storage.Results.CountAsync(run.Id, cancellationToken)).Total;
            try
            {
                shards += (await storage.Shards.CountAsync(run.Id, cancellationToken)).Total;
            }
            catch (NotSupportedException)
            {
                // No shards in this store.
            }
        }

        foreach (var model in models.Concat(runs.Select(r => r.ModelId)).Concat(alsoModels).Distinct(StringComparer.Ordinal))
        {
            points += (await All(storage.Metrics.QueryAsync(new MetricQuery { ModelId = model, From = DateTimeOffset.UnixEpoch, To = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero) }, cancellationToken), cancellationToken)).Count;
        }

        var experiments = (await All(storage.Experiments.ListAsync(cancellationToken), cancellationToken)).Select(e => e.Id).Order(StringComparer.Ordinal).ToList();
        foreach (var experiment in experiments)
        {
            experimentRuns += (await All(storage.Experiments.ListRunsAsync(experiment, cancellationToken), cancellationToken)).Count;
        }

        return new TenantCensus
        {
            Models = models,
            ModelRevisions = revisions,
            Datasets = datasets,
            Cases = cases,
            Benchmarks = (await All(storage.Benchmarks.ListAsync(cancellationToken), cancellationToken)).Select(b => b.Id).Order(StringComparer.Ordinal).ToList(),
            Runs = runs.Select(r => r.Id).Order(StringComparer.Ordinal).ToList(),
            CaseResults = results,
            Shards = shards,
            MetricPoints = points,
            AbTests = (await All(storage.AbTests.ListAsync(cancellationToken), cancellationToken)).Select(a => a.Id).Order(StringComparer.Ordinal).ToList(),
            Experiments = experiments,
            ExperimentRuns = experimentRuns,
            Templates = (await All(storage.Experiments.ListTemplatesAsync(cancellationToken), cancellationToken)).Select(t => t.Id).Order(StringComparer.Ordinal).ToList(),
            Projects = (await All(storage.Projects.ListAsync(cancellationToken), cancellationToken)).Select(p => p.Id).Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>Gets the ids of every record listed, to look for a marker in them.</summary>
    public IEnumerable<string> Ids => Models.Concat(Datasets).Concat(Benchmarks).Concat(Runs).Concat(AbTests).Concat(Experiments).Concat(Templates).Concat(Projects);

    /// <summary>Gets what an erasure of everything in this census would count (cached responses and audit entries aside).</summary>
    public ErasureCounts AsCounts() => new()
    {
        Models = Models.Count,
        ModelRevisions = ModelRevisions,
        Datasets = Datasets.Count,
        Cases = Cases,
        Benchmarks = Benchmarks.Count,
        Runs = Runs.Count,
        CaseResults = CaseResults,
        Shards = Shards,
        MetricPoints = MetricPoints,
        AbTests = AbTests.Count,
        Experiments = Experiments.Count,
        ExperimentRuns = ExperimentRuns,
        ExperimentTemplates = Templates.Count,
        Projects = Projects.Count,
    };
}
