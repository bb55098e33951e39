using System.Globalization;
using System.Runtime.CompilerServices;
using EvalKit.Evaluation;
using EvalKit.Security;
using EvalKit.Storage;

namespace EvalKit.Projects;

/// <summary>
/// The project service (see <see cref="IProjectService"/>): projects, their budgets and their dashboard summaries, over the
/// store of the current tenant. Creating, renaming, deleting a project and changing its budget are authorized and audited
/// by the <see cref="OperationGuard"/>. Thread-safe.
/// </summary>
public sealed class ProjectService : IProjectService
{
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly OperationGuard _guard;

    /// <summary>Initializes a new instance of the <see cref="ProjectService"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock: creation and update times, budget periods and the summary's days.</param>
    /// <param name="guard">Authorizes and audits the writes; one that allows everything (and audits) when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public ProjectService(IEvalKitStorage storage, TimeProvider timeProvider, OperationGuard? guard = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _time = timeProvider;
        _guard = guard ?? new OperationGuard(storage, timeProvider);
    }

    /// <inheritdoc/>
    public async ValueTask<Project> CreateAsync(ProjectDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<string>();
        CheckName(definition.Name, problems);
        if (definition.Description is { Length: > Project.MaxDescriptionLength })
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The description has {definition.Description.Length} characters; at most {Project.MaxDescriptionLength} are allowed."));
        }

        if (definition.Id is not null && !IsValidId(definition.Id))
        {
            problems.Add($"'{definition.Id}' is not a valid project id: use 1 to {Project.MaxIdLength} letters, digits, '-', '_', '.', ':' or '@'.");
        }

        try
        {
            definition.Budget?.Validate(nameof(definition));
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The project definition is invalid: {string.Join(" ", problems)}", nameof(definition));
        }

        return await _guard.RunAsync(
            EvalKitOperationKinds.ProjectCreate,
            EvalKitRecordTypes.Project,
            definition.Id,
            async () =>
            {
                await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var project = new Project
                {
                    Id = definition.Id ?? Guid.CreateVersion7(now).ToString("n"),
                    Name = definition.Name,
                    Description = definition.Description,
                    Budget = definition.Budget,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                return await _storage.Projects.TryAddAsync(project, cancellationToken).ConfigureAwait(false)
                    ? project
                    : throw new ArgumentException($"The project definition is invalid: the project id '{project.Id}' is already taken.", nameof(definition));
            },
            project => project.Id,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Project?> GetAsync(string projectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Project> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var project in _storage.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return project;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<Project> RenameAsync(string projectId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        var problems = new List<string>();
        CheckName(name, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0], nameof(name));
        }

        return await UpdateAsync(EvalKitOperationKinds.ProjectRename, projectId, p => p with { Name = name }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Project> SetBudgetAsync(string projectId, ProjectBudget? budget, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        budget?.Validate(nameof(budget));
        return await UpdateAsync(EvalKitOperationKinds.ProjectBudgetSet, projectId, p => p with { Budget = budget }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string projectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        return await _guard.RunAsync(
            EvalKitOperationKinds.ProjectDelete,
            EvalKitRecordTypes.Project,
            projectId,
            async () =>
            {
                await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
                var result = await _storage.Projects.DeleteAsync(projectId, cancellationToken).ConfigureAwait(false);
                return result.Status switch
                {
                    ProjectDeleteStatus.Deleted => true,
                    ProjectDeleteStatus.NotFound => false,
                    _ => throw new ProjectInUseException(projectId, result),
                };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<EvaluationRun> ListRunsAsync(string projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var run in _storage.Projects.ListRunsAsync(projectId, cancellationToken).ConfigureAwait(false))
        {
            yield return run;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<BudgetStatus> GetBudgetStatusAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var project = await LoadAsync(projectId, cancellationToken).ConfigureAwait(false);
        return await ProjectSpending.StatusAsync(_storage, project, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ProjectSummary> GetSummaryAsync(string projectId, ProjectSummaryOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProjectSummaryOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.RecentRuns, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.RecentRuns, 1000, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SpendDays, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SpendDays, 3660, nameof(options));
        var project = await LoadAsync(projectId, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        var runs = new List<EvaluationRun>();
        await foreach (var run in _storage.Projects.ListRunsAsync(projectId, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }

        // Spending by day over the window (today included), and all time.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = today.AddDays(1 - options.SpendDays);
        var days = new Dictionary<DateOnly, DailySpend>();
        await foreach (var row in _storage.Usage.AggregateAsync(
            new UsageQuery { ProjectId = projectId, From = Midnight(first), To = Midnight(today.AddDays(1)), ByDay = true }, cancellationToken).ConfigureAwait(false))
        {
            var day = row.Day!.Value;
            var spend = days.GetValueOrDefault(day) ?? new DailySpend(day, 0, 0, 0);
            var line = CostAccounting.Add(new CostLine(), row);
            days[day] = spend with
            {
                Cost = spend.Cost + line.Cost,
                UnknownCostCalls = spend.UnknownCostCalls + line.UnknownCostCalls,
                Calls = spend.Calls + line.Evaluation.Calls + line.Judge.Calls + line.Embedding.Calls,
            };
        }

        var total = new CostLine { ProjectId = projectId };
        await foreach (var row in _storage.Usage.AggregateAsync(new UsageQuery { ProjectId = projectId }, cancellationToken).ConfigureAwait(false))
        {
            total = CostAccounting.Add(total, row);
        }

        return new ProjectSummary
        {
            Project = project,
            RunCount = runs.Count,
            RecentRuns = [.. runs.Take(options.RecentRuns)],
            BestModels = Leaders(runs),
            SpendByDay = [.. Enumerable.Range(0, options.SpendDays).Select(i => first.AddDays(i)).Select(d => days.GetValueOrDefault(d) ?? new DailySpend(d, 0, 0, 0))],
            TotalSpend = total,
            Budget = await ProjectSpending.StatusAsync(_storage, project, now, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Tells whether a string is a valid project id.</summary>
    /// <param name="projectId">The candidate.</param>
    /// <returns><see langword="true"/> for 1 to <see cref="Project.MaxIdLength"/> letters, digits, '-', '_', '.', ':' or '@'.</returns>
    internal static bool IsValidId(string? projectId) =>
        !string.IsNullOrEmpty(projectId) && projectId.Length <= Project.MaxIdLength
        && projectId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@');

    // The best model per benchmark (or dataset): each model's latest completed run with a summary of its primary metric,
    // ranked by that metric's mean (higher is better).
    private static List<BenchmarkLeader> Leaders(List<EvaluationRun> newestFirst)
    {
        var leaders = new List<BenchmarkLeader>();
        var groups = newestFirst
            .Where(r => r.Status == RunStatus.Completed && r.PrimaryMetric is not null && r.Summary?.Metrics.ContainsKey(r.PrimaryMetric) == true)
            .GroupBy(r => (r.BenchmarkId, r.DatasetId, r.PrimaryMetric));
        foreach (var group in groups.OrderBy(g => g.Key.BenchmarkId, StringComparer.Ordinal).ThenBy(g => g.Key.DatasetId, StringComparer.Ordinal).ThenBy(g => g.Key.PrimaryMetric, StringComparer.Ordinal))
        {
            var ranked = group
                .GroupBy(r => r.ModelId, StringComparer.Ordinal)
                .Select(byModel => byModel.First())
                .Select(r => (Run: r, Metric: r.Summary!.Metrics[r.PrimaryMetric!]))
                .OrderByDescending(c => c.Metric.Mean)
                .ThenBy(c => c.Run.ModelId, StringComparer.Ordinal)
                .ToList();
            var (run, metric) = ranked[0];
            leaders.Add(new BenchmarkLeader
            {
                BenchmarkId = group.Key.BenchmarkId,
                DatasetId = group.Key.DatasetId,
                Metric = group.Key.PrimaryMetric!,
                ModelId = run.ModelId,
                RunId = run.Id,
                Mean = metric.Mean,
                ConfidenceInterval = metric.ConfidenceInterval,
                N = metric.N,
                Contenders = ranked.Count,
                OverlapsRunnerUp = ranked.Count > 1 && metric.ConfidenceInterval.Lower <= ranked[1].Metric.ConfidenceInterval.Upper,
            });
        }

        return leaders;
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static void CheckName(string? name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("The project has no name.");
        }
        else if (name.Length > Project.MaxNameLength)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The project name has {name.Length} characters; at most {Project.MaxNameLength} are allowed."));
        }
    }

    private async ValueTask<Project> LoadAsync(string projectId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("project", projectId);
    }

    private async ValueTask<Project> UpdateAsync(string kind, string projectId, Func<Project, Project> change, CancellationToken cancellationToken) =>
        await _guard.RunAsync(
            kind,
            EvalKitRecordTypes.Project,
            projectId,
            async () =>
            {
                var project = change(await LoadAsync(projectId, cancellationToken).ConfigureAwait(false)) with { UpdatedAt = _time.GetUtcNow() };
                await _storage.Projects.UpdateAsync(project, cancellationToken).ConfigureAwait(false);
                return project;
            },
            cancellationToken).ConfigureAwait(false);
}
