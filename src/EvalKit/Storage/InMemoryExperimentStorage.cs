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

    // The current tenant's records (created empty on first use).
    private TenantData Data => _tenants.GetOrAdd(tenant(), static _ => new TenantData());

    private sealed class TenantData
    {
        public Dictionary<string, Experiment> Experiments { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, ExperimentTemplate> Templates { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string ExperimentId, string RunId), ExperimentRun> Runs { get; } = [];
    }
}
