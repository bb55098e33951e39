using System.Collections.Concurrent;
using EvalKit.Experiments;

namespace EvalKit.Storage;

/// <summary>
/// The in-memory store of experiments, templates and experiment runs (part of <see cref="InMemoryEvalKitStorage"/>). Each
/// tenant has its own; every operation works on those of the current tenant.
/// </summary>
/// <param name="tenant">Resolves the tenant of the current operation.</param>
internal sealed class InMemoryExperimentStorage(Func<string> tenant) : IExperimentStorage
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TenantData> _tenants = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAddAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        experiment = UnicodeText.Scrub(experiment, EvalKit.Serialization.EvalKitJsonContext.Default.Experiment);
        var data = Data;
        lock (_gate)
        {
            return ValueTask.FromResult(data.Experiments.TryAdd(experiment.Id, experiment));
        }
    }

    public ValueTask UpdateAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        experiment = UnicodeText.Scrub(experiment, EvalKit.Serialization.EvalKitJsonContext.Default.Experiment);
        var data = Data;
        lock (_gate)
        {
            if (!data.Experiments.ContainsKey(experiment.Id))
            {
                throw new NotFoundException("experiment", experiment.Id);
            }

            data.Experiments[experiment.Id] = experiment;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var data = Data;
        lock (_gate)
        {
            return ValueTask.FromResult(data.Experiments.GetValueOrDefault(experimentId));
        }
    }

    public IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default)
    {
        var data = Data;
        lock (_gate)
        {
            return data.Experiments.Values.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToArray().ToAsyncEnumerable();
        }
    }

    public ValueTask SaveTemplateAsync(ExperimentTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        template = UnicodeText.Scrub(template, EvalKit.Serialization.EvalKitJsonContext.Default.ExperimentTemplate);
        var data = Data;
        lock (_gate)
        {
            data.Templates[template.Id] = template;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        var data = Data;
        lock (_gate)
        {
            return ValueTask.FromResult(data.Templates.GetValueOrDefault(templateId));
        }
    }

    public IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        var data = Data;
        lock (_gate)
        {
            return data.Templates.Values.ToArray().ToAsyncEnumerable();
        }
    }

    public ValueTask<bool> DeleteTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        var data = Data;
        lock (_gate)
        {
            return ValueTask.FromResult(data.Templates.Remove(templateId));
        }
    }

    public ValueTask SaveRunAsync(ExperimentRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        run = UnicodeText.Scrub(run, EvalKit.Serialization.EvalKitJsonContext.Default.ExperimentRun);
        var data = Data;
        lock (_gate)
        {
            data.Runs[(run.ExperimentId, run.RunId)] = run;
        }

        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var data = Data;
        lock (_gate)
        {
            return data.Runs.Values.Where(r => r.ExperimentId == experimentId)
                .OrderBy(r => r.VariantIndex).ThenBy(r => r.RunId, StringComparer.Ordinal).ToArray().ToAsyncEnumerable();
        }
    }

    /// <summary>Adds a tenant's experiments, experiment runs and templates to an erasure graph.</summary>
    internal void AddLinks(string tenantId, ErasureGraph graph)
    {
        var data = _tenants.GetOrAdd(tenantId, static _ => new TenantData());
        lock (_gate)
        {
            graph.Experiments.AddRange(data.Experiments.Values.Select(e => ExperimentLink.Of(e, e.Definition.ProjectId)));
            graph.ExperimentRuns.AddRange(data.Runs.Values.Select(ExperimentRunLink.Of));
            graph.Templates.AddRange(data.Templates.Values.Select(TemplateLink.Of));
        }
    }

    /// <summary>
    /// Deletes some of a tenant's experiments (with their experiment runs) and templates, or all of them when both sets are
    /// <see langword="null"/>; returns how many of each went (erasure).
    /// </summary>
    internal (long Experiments, long Runs, long Templates) Erase(string tenantId, IReadOnlySet<string>? experimentIds, IReadOnlySet<string>? templateIds)
    {
        var data = _tenants.GetOrAdd(tenantId, static _ => new TenantData());
        lock (_gate)
        {
            bool Erased(string id, IReadOnlySet<string>? ids) => experimentIds is null && templateIds is null || (ids?.Contains(id) ?? false);
            var experiments = data.Experiments.Keys.Where(id => Erased(id, experimentIds)).ToList();
            var runs = data.Runs.Keys.Where(k => Erased(k.ExperimentId, experimentIds)).ToList();
            var templates = data.Templates.Keys.Where(id => Erased(id, templateIds)).ToList();
            experiments.ForEach(id => data.Experiments.Remove(id));
            runs.ForEach(k => data.Runs.Remove(k));
            templates.ForEach(id => data.Templates.Remove(id));
            return (experiments.Count, runs.Count, templates.Count);
        }
    }

    // The current tenant's records (created empty on first use).
    private TenantData Data => _tenants.GetOrAdd(tenant(), static _ => new TenantData());

    private sealed class TenantData
    {
        public Dictionary<string, Experiment> Experiments { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, ExperimentTemplate> Templates { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string ExperimentId, string RunId), ExperimentRun> Runs { get; } = [];
    }
}
