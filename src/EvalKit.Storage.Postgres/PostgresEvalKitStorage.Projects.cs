using System.Text.Json;
using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Projects;
using Npgsql;

namespace EvalKit.Storage.Postgres;

/// <content>
/// Projects (schema version 9): each project is its JSON document with its name and creation time beside it; runs, A/B
/// tests and experiments name their project in a <c>project_id</c> column, with a partial index per tenant.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private ProjectStore? _projects;

    /// <inheritdoc/>
    public IProjectStorage Projects => _projects ??= new ProjectStore(this);

    private sealed class ProjectStore(PostgresEvalKitStorage s) : IProjectStorage
    {
        private static readonly string[] Linked = ["evaluation_runs", "ab_tests", "experiments"];

        public ValueTask<bool> TryAddAsync(Project project, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(project);
            var tenant = s.Tenant;
            return s.TryInsertAsync(
                "creating a project",
                $"INSERT INTO {s._s}.projects (id, name, created_at, created_at_ns100, data, tenant_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, id) DO NOTHING",
                p => Bind(p, project, tenant),
                cancellationToken);
        }

        public ValueTask UpdateAsync(Project project, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(project);
            var tenant = s.Tenant;
            return s.UpdateExistingAsync(
                "project",
                project.Id,
                $"UPDATE {s._s}.projects SET name = $2, created_at = $3, created_at_ns100 = $4, data = $5 WHERE tenant_id = $6 AND id = $1",
                p => Bind(p, project, tenant),
                cancellationToken);
        }

        public ValueTask<Project?> GetAsync(string projectId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadSingleAsync("reading a project", $"SELECT data FROM {s._s}.projects WHERE tenant_id = $1 AND id = $2", p => TenantAnd(p, tenant, projectId), Read, cancellationToken);
        }

        public IAsyncEnumerable<Project> ListAsync(CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                "listing projects",
                $"SELECT data FROM {s._s}.projects WHERE tenant_id = $1 ORDER BY created_at DESC, created_at_ns100 DESC, id DESC",
                p => p.Add(Text(tenant)),
                Read,
                cancellationToken);
        }

        public ValueTask<ProjectDeleteResult> DeleteAsync(string projectId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(projectId);
            var tenant = s.Tenant;
            return s.InTransactionAsync("deleting a project", async (connection, transaction) =>
            {
                // Locks the project's row first: a concurrent update or delete of it waits for this transaction.
                var exists = await ScalarAsync(
                    connection, transaction, $"SELECT 1 FROM {s._s}.projects WHERE tenant_id = $1 AND id = $2 FOR UPDATE", p => TenantAnd(p, tenant, projectId), cancellationToken).ConfigureAwait(false);
                if (exists is null)
                {
                    return ProjectDeleteResult.NotFound;
                }

                var counts = new long[Linked.Length];
                var ids = new List<string>[Linked.Length];
                for (var i = 0; i < Linked.Length; i++)
                {
                    ids[i] = [];
                    counts[i] = (long)(await ScalarAsync(
                        connection, transaction, $"SELECT count(*) FROM {s._s}.{Linked[i]} WHERE tenant_id = $1 AND project_id = $2", p => TenantAnd(p, tenant, projectId), cancellationToken).ConfigureAwait(false))!;
                    if (counts[i] == 0)
                    {
                        continue;
                    }

                    using var command = new NpgsqlCommand(
                        $"SELECT id FROM {s._s}.{Linked[i]} WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at DESC, created_at_ns100 DESC, id DESC LIMIT $3", connection, transaction);
                    TenantAnd(command.Parameters, tenant, projectId);
                    command.Parameters.Add(Int(ProjectDeleteResult.MaxListed));
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            ids[i].Add(ReadText(reader, 0));
                        }
                    }
                }

                if (counts.Sum() > 0)
                {
                    return ProjectDeleteResult.Referenced(counts[0], ids[0], counts[1], ids[1], counts[2], ids[2]);
                }

                await CommandAsync(connection, transaction, $"DELETE FROM {s._s}.projects WHERE tenant_id = $1 AND id = $2", p => TenantAnd(p, tenant, projectId), cancellationToken).ConfigureAwait(false);
                return ProjectDeleteResult.Deleted;
            }, cancellationToken);
        }

        public IAsyncEnumerable<EvaluationRun> ListRunsAsync(string projectId, CancellationToken cancellationToken = default) =>
            List("runs", "evaluation_runs", projectId, r => JsonSerializer.Deserialize(r.GetString(0), JsonContext.EvaluationRun)!, cancellationToken);

        public IAsyncEnumerable<AbTest> ListAbTestsAsync(string projectId, CancellationToken cancellationToken = default) =>
            List("A/B tests", "ab_tests", projectId, r => JsonSerializer.Deserialize(r.GetString(0), JsonContext.AbTest)!, cancellationToken);

        public IAsyncEnumerable<Experiment> ListExperimentsAsync(string projectId, CancellationToken cancellationToken = default) =>
            List("experiments", "experiments", projectId, r => JsonSerializer.Deserialize(r.GetString(0), JsonContext.Experiment)!, cancellationToken);

        private IAsyncEnumerable<T> List<T>(string kind, string table, string projectId, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                $"listing a project's {kind}",
                $"SELECT data FROM {s._s}.{table} WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at DESC, created_at_ns100 DESC, id DESC",
                p => TenantAnd(p, tenant, projectId),
                read,
                cancellationToken);
        }

        private static Project Read(NpgsqlDataReader r) => JsonSerializer.Deserialize(r.GetString(0), JsonContext.Project)!;

        private static void Bind(NpgsqlParameterCollection p, Project project, string tenant)
        {
            p.Add(Text(project.Id));
            p.Add(Text(project.Name));
            AddTime(p, project.CreatedAt);
            p.Add(Json(JsonSerializer.Serialize(project, JsonContext.Project)));
            p.Add(Text(tenant));
        }
    }
}
