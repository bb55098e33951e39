using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Projects;

namespace EvalKit.Storage;

/// <summary>
/// Stores projects, and finds the runs, A/B tests and experiments that belong to one (by their <c>project_id</c> column).
/// Like every store, it works on the records of the current tenant.
/// </summary>
public interface IProjectStorage
{
    /// <summary>Adds a project unless one with the same id exists.</summary>
    /// <param name="project">The project.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id is taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="project"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask<bool> TryAddAsync(Project project, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored project.</summary>
    /// <param name="project">The project.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="project"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotFoundException">No project has that id.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask UpdateAsync(Project project, CancellationToken cancellationToken = default);

    /// <summary>Gets a project.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The project, or <see langword="null"/>.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    ValueTask<Project?> GetAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists every project, newest first (ties by id, descending).</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The projects.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<Project> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a project unless a run, an A/B test or an experiment belongs to it; the check and the delete run in one
    /// transaction.
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What happened: deleted, not found, or refused with the linked records.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="projectId"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask<ProjectDeleteResult> DeleteAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists the runs of a project, newest first (ties by id, descending).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The runs; empty when the project has none or does not exist.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<EvaluationRun> ListRunsAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists the A/B tests of a project, newest first (ties by id, descending).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The tests; empty when the project has none or does not exist.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<AbTest> ListAbTestsAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists the experiments of a project, newest first (ties by id, descending).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The experiments; empty when the project has none or does not exist.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<Experiment> ListExperimentsAsync(string projectId, CancellationToken cancellationToken = default);
}
