using EvalKit.Experiments;

namespace EvalKit.Storage;

/// <summary>The in-memory store of experiments, templates and experiment runs (part of <see cref="InMemoryEvalKitStorage"/>).</summary>
internal sealed class InMemoryExperimentStorage : IExperimentStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Experiment> _experiments = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ExperimentTemplate> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ExperimentId, string RunId), ExperimentRun> _runs = [];

    public ValueTask<bool> TryAddAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        lock (_gate)
        {
            return ValueTask.FromResult(_experiments.TryAdd(experiment.Id, experiment));
        }
    }

    public ValueTask UpdateAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        lock (_gate)
        {
            if (!_experiments.ContainsKey(experiment.Id))
            {
                throw new NotFoundException("experiment", experiment.Id);
            }

            _experiments[experiment.Id] = experiment;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_experiments.GetValueOrDefault(experimentId));
        }
    }

    public IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _experiments.Values.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToArray().ToAsyncEnumerable();
        }
    }

    public ValueTask SaveTemplateAsync(ExperimentTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        lock (_gate)
        {
            _templates[template.Id] = template;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_templates.GetValueOrDefault(templateId));
        }
    }

    public IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _templates.Values.ToArray().ToAsyncEnumerable();
        }
    }

    public ValueTask<bool> DeleteTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_templates.Remove(templateId));
        }
    }

    public ValueTask SaveRunAsync(ExperimentRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            _runs[(run.ExperimentId, run.RunId)] = run;
        }

        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _runs.Values.Where(r => r.ExperimentId == experimentId)
                .OrderBy(r => r.VariantIndex).ThenBy(r => r.RunId, StringComparer.Ordinal).ToArray().ToAsyncEnumerable();
        }
    }
}
