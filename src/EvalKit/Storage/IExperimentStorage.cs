using EvalKit.Experiments;

namespace EvalKit.Storage;

/// <summary>
/// Stores experiments, experiment templates and experiment runs (the link between an experiment's variant and the
/// evaluation run that executes it). Evaluation runs and their results live in <see cref="IRunStorage"/> and
/// <see cref="IResultStorage"/>.
/// </summary>
public interface IExperimentStorage
{
    /// <summary>Adds an experiment unless one with the same id exists.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id is taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="experiment"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask<bool> TryAddAsync(Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored experiment.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="experiment"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotFoundException">No experiment has that id.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask UpdateAsync(Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The experiment, or <see langword="null"/>.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Lists every experiment, newest first (ties by id, descending).</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The experiments.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a template, or replaces the one with the same id.</summary>
    /// <param name="template">The template.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask SaveTemplateAsync(ExperimentTemplate template, CancellationToken cancellationToken = default);

    /// <summary>Gets a template.</summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The template, or <see langword="null"/>.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default);

    /// <summary>Lists every template, ordered by id (ordinal).</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The templates.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a template; experiments created from it keep their copy of its definition.</summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when a template was deleted; <see langword="false"/> when none has that id.</returns>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask<bool> DeleteTemplateAsync(string templateId, CancellationToken cancellationToken = default);

    /// <summary>Adds an experiment run, or replaces the one with the same (experiment id, run id).</summary>
    /// <param name="run">The experiment run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask SaveRunAsync(ExperimentRun run, CancellationToken cancellationToken = default);

    /// <summary>Lists an experiment's runs ordered by <see cref="ExperimentRun.VariantIndex"/>, then run id (ordinal).</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The runs; empty when the experiment has none or does not exist.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default);
}
