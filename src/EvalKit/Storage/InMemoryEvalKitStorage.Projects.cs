using System.Collections.Concurrent;
using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Projects;

namespace EvalKit.Storage;

/// <content>Projects, and the usage aggregates of cost accounting, kept per tenant like the other records.</content>
public sealed partial class InMemoryEvalKitStorage
{
    private readonly ConcurrentDictionary<string, Dictionary<string, Project>> _projects = new(StringComparer.Ordinal);
    private ProjectStore? _projectStore;
    private UsageStore? _usageStore;

    /// <inheritdoc/>
    public IProjectStorage Projects => _projectStore ??= new ProjectStore(this);

    /// <inheritdoc/>
    public IUsageStorage Usage => _usageStore ??= new UsageStore(this);

    private Dictionary<string, Project> TenantProjects => _projects.GetOrAdd(Tenant, static _ => new Dictionary<string, Project>(StringComparer.Ordinal));

    private static IEnumerable<T> NewestFirst<T>(IEnumerable<T> items, Func<T, DateTimeOffset> createdAt, Func<T, string> id) =>
        items.OrderByDescending(createdAt).ThenByDescending(id, StringComparer.Ordinal);

    private sealed class ProjectStore(InMemoryEvalKitStorage s) : IProjectStorage
    {
        public ValueTask<bool> TryAddAsync(Project project, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(project);
            project = UnicodeText.Scrub(project, EvalKit.Serialization.EvalKitJsonContext.Default.Project);
            var projects = s.TenantProjects;
            lock (s._gate)
            {
                return ValueTask.FromResult(projects.TryAdd(project.Id, project));
            }
        }

        public ValueTask UpdateAsync(Project project, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(project);
            project = UnicodeText.Scrub(project, EvalKit.Serialization.EvalKitJsonContext.Default.Project);
            var projects = s.TenantProjects;
            lock (s._gate)
            {
                if (!projects.ContainsKey(project.Id))
                {
                    throw new NotFoundException("project", project.Id);
                }

                projects[project.Id] = project;
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<Project?> GetAsync(string projectId, CancellationToken cancellationToken = default)
        {
            var projects = s.TenantProjects;
            lock (s._gate)
            {
                return ValueTask.FromResult(projects.GetValueOrDefault(projectId));
            }
        }

        public IAsyncEnumerable<Project> ListAsync(CancellationToken cancellationToken = default)
        {
            var projects = s.TenantProjects;
            lock (s._gate)
            {
                return NewestFirst(projects.Values, p => p.CreatedAt, p => p.Id).ToArray().ToAsyncEnumerable();
            }
        }

        public async ValueTask<ProjectDeleteResult> DeleteAsync(string projectId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(projectId);
            var experiments = await ExperimentsOfAsync(projectId, cancellationToken).ConfigureAwait(false);
            var projects = s.TenantProjects;
            return s.Locked(t =>
            {
                if (!projects.ContainsKey(projectId))
                {
                    return ProjectDeleteResult.NotFound;
                }

                var runs = RunsOf(t, projectId);
                var tests = TestsOf(t, projectId);
                if (runs.Length + tests.Length + experiments.Length > 0)
                {
                    return ProjectDeleteResult.Referenced(
                        runs.Length, runs.Select(r => r.Id), tests.Length, tests.Select(a => a.Id), experiments.Length, experiments.Select(e => e.Id));
                }

                projects.Remove(projectId);
                return ProjectDeleteResult.Deleted;
            });
        }

        public IAsyncEnumerable<EvaluationRun> ListRunsAsync(string projectId, CancellationToken cancellationToken = default) =>
            s.Locked(t => RunsOf(t, projectId)).ToAsyncEnumerable();

        public IAsyncEnumerable<AbTest> ListAbTestsAsync(string projectId, CancellationToken cancellationToken = default) =>
            s.Locked(t => TestsOf(t, projectId)).ToAsyncEnumerable();

        public async IAsyncEnumerable<Experiment> ListExperimentsAsync(string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var experiment in await ExperimentsOfAsync(projectId, cancellationToken).ConfigureAwait(false))
            {
                yield return experiment;
            }
        }

        private static EvaluationRun[] RunsOf(TenantData t, string projectId) =>
            [.. NewestFirst(t.Runs.Values.Where(r => r.ProjectId == projectId), r => r.CreatedAt, r => r.Id)];

        private static AbTest[] TestsOf(TenantData t, string projectId) =>
            [.. NewestFirst(t.AbTests.Values.Where(a => a.Definition.ProjectId == projectId), a => a.CreatedAt, a => a.Id)];

        private async ValueTask<Experiment[]> ExperimentsOfAsync(string projectId, CancellationToken cancellationToken)
        {
            var experiments = new List<Experiment>();
            await foreach (var experiment in s.Experiments.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (experiment.Definition.ProjectId == projectId)
                {
                    experiments.Add(experiment);
                }
            }

            return [.. experiments];
        }
    }

    private sealed class UsageStore(InMemoryEvalKitStorage s) : IUsageStorage
    {
        public IAsyncEnumerable<RunUsage> AggregateAsync(UsageQuery query, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(query);
            query.Validate(nameof(query));
            var runIds = query.RunIds is null ? null : new HashSet<string>(query.RunIds, StringComparer.Ordinal);

            // Copy the matching results under the lock; aggregate outside it.
            var results = s.Locked(t =>
            {
                var selected = new List<Evaluation.CaseResult>();
                foreach (var (runId, byKey) in t.Results)
                {
                    var run = t.Runs.GetValueOrDefault(runId);
                    if ((runIds is not null && !runIds.Contains(runId))
                        || (query.ProjectId is not null && run?.ProjectId != query.ProjectId)
                        || (query.ModelId is not null && run?.ModelId != query.ModelId))
                    {
                        continue;
                    }

                    selected.AddRange(byKey.Values.Where(r => (query.From is not { } from || r.CompletedAt >= from) && (query.To is not { } to || r.CompletedAt < to)));
                }

                return selected;
            });
            return UsageMath.Aggregate(results, query.ByDay).ToAsyncEnumerable();
        }
    }
}
