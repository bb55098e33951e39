using EvalKit.Evaluation;

namespace EvalKit.Projects;

/// <summary>
/// Projects: create, read, rename and delete them, set their budgets, and summarize them for dashboards. Runs, A/B tests
/// and experiments join a project through their <c>ProjectId</c>; list a project's A/B tests and experiments with
/// <see cref="Comparisons.IAbTestService.ListAsync(string, CancellationToken)"/> and
/// <see cref="Experiments.IExperimentService.ListAsync(string, CancellationToken)"/>. Writes are authorized and audited.
/// </summary>
public interface IProjectService
{
    /// <summary>Creates a project.</summary>
    /// <param name="definition">Its name, and optionally its id, description and budget.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The project.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name, id, description or budget is invalid, or the id is taken.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied it.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask<Project> CreateAsync(ProjectDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Gets a project.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The project, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is null or blank.</exception>
    ValueTask<Project?> GetAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists the projects, newest first.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The projects.</returns>
    IAsyncEnumerable<Project> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Renames a project.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="name">The new name.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The renamed project.</returns>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="NotFoundException">No project has that id.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied it.</exception>
    ValueTask<Project> RenameAsync(string projectId, string name, CancellationToken cancellationToken = default);

    /// <summary>Sets or removes a project's budget; it applies to runs that start, resume or go on from now.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="budget">The budget, or <see langword="null"/> to remove it.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The project.</returns>
    /// <exception cref="ArgumentException">The budget is invalid.</exception>
    /// <exception cref="NotFoundException">No project has that id.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied it.</exception>
    ValueTask<Project> SetBudgetAsync(string projectId, ProjectBudget? budget, CancellationToken cancellationToken = default);

    /// <summary>Deletes a project that nothing belongs to.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when deleted; <see langword="false"/> when no project has that id.</returns>
    /// <exception cref="ProjectInUseException">Runs, A/B tests or experiments belong to the project; the message names them.</exception>
    /// <exception cref="EvalKitAuthorizationException">The authorization policy denied it.</exception>
    ValueTask<bool> DeleteAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists a project's runs, newest first.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The runs; empty when the project has none or does not exist.</returns>
    IAsyncEnumerable<EvaluationRun> ListRunsAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Tells where a project stands against its budget in the current period.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The status; spending is reported for a project without a budget too (all time).</returns>
    /// <exception cref="NotFoundException">No project has that id.</exception>
    ValueTask<BudgetStatus> GetBudgetStatusAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Summarizes a project for a dashboard in one call: recent runs, the best model per benchmark with its interval, spending by day.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="options">How much to include; <see cref="ProjectSummaryOptions"/>'s defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="NotFoundException">No project has that id.</exception>
    Task<ProjectSummary> GetSummaryAsync(string projectId, ProjectSummaryOptions? options = null, CancellationToken cancellationToken = default);
}
