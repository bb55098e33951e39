using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Projects;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// Projects (schema version 10): each project is its JSON in a <c>data</c> column with its name and creation time beside it;
/// runs, A/B tests and experiments name their project in a <c>project_id</c> column, indexed per tenant.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    private ProjectStore? _projects;

    /// <inheritdoc/>
    public IProjectStorage Projects => _projects ??= new ProjectStore(this);

    private sealed class ProjectStore(SqliteEvalKitStorage s) : IProjectStorage
    {
        // The records that belong to a project, and how each lists them: newest first.
        private static readonly (string Table, string Kind)[] Linked = [("evaluation_runs", "runs"), ("ab_tests", "A/B tests"), ("experiments", "experiments")];

        public ValueTask<bool> TryAddAsync(Project project, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(project);
            return s.TryInsertAsync(
                "creating a project",
                "INSERT OR IGNORE INTO projects (tenant_id, id, name, created_at, data) VALUES ($tenant, $id, $name, $at, $data)",
                p => Bind(p, project),
                cancellationToken);
        }

        public ValueTask UpdateAsync(Project project, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(project);
            return s.UpdateExistingAsync(
                "project",
                project.Id,
                "UPDATE projects SET name = $name, created_at = $at, data = $data WHERE tenant_id = $tenant AND id = $id",
                p => Bind(p, project),
                cancellationToken);
        }

        public ValueTask<Project?> GetAsync(string projectId, CancellationToken cancellationToken = default) =>
            s.QuerySingleAsync("reading a project", "SELECT data FROM projects WHERE tenant_id = $tenant AND id = $id", p => p.AddWithValue("$id", projectId), Read, cancellationToken);

        public IAsyncEnumerable<Project> ListAsync(CancellationToken cancellationToken = default) =>
            s.QueryAsync("listing projects", "SELECT data FROM projects WHERE tenant_id = $tenant ORDER BY created_at DESC, id DESC", _ => { }, Read, cancellationToken);

        public ValueTask<ProjectDeleteResult> DeleteAsync(string projectId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(projectId);
            var tenant = s.Tenant;

            // One write transaction: a record that joins the project meanwhile waits for it, so the check cannot go stale.
            return s.InTransactionAsync("deleting a project", async (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.Parameters.AddWithValue("$tenant", tenant);
                command.Parameters.AddWithValue("$id", projectId);
                command.Parameters.AddWithValue("$limit", ProjectDeleteResult.MaxListed);
                command.CommandText = "SELECT COUNT(*) FROM projects WHERE tenant_id = $tenant AND id = $id";
                if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
                {
                    return ProjectDeleteResult.NotFound;
                }

                var counts = new long[Linked.Length];
                var ids = new List<string>[Linked.Length];
                for (var i = 0; i < Linked.Length; i++)
                {
                    command.CommandText = $"SELECT COUNT(*) FROM {Linked[i].Table} WHERE tenant_id = $tenant AND project_id = $id";
                    counts[i] = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    ids[i] = [];
                    if (counts[i] == 0)
                    {
                        continue;
                    }

                    command.CommandText = $"SELECT id FROM {Linked[i].Table} WHERE tenant_id = $tenant AND project_id = $id ORDER BY created_at DESC, id DESC LIMIT $limit";
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            ids[i].Add(Text(reader, 0));
                        }
                    }
                }

                if (counts.Sum() > 0)
                {
                    return ProjectDeleteResult.Referenced(counts[0], ids[0], counts[1], ids[1], counts[2], ids[2]);
                }

                command.CommandText = "DELETE FROM projects WHERE tenant_id = $tenant AND id = $id";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return ProjectDeleteResult.Deleted;
            }, cancellationToken);
        }

        public IAsyncEnumerable<EvaluationRun> ListRunsAsync(string projectId, CancellationToken cancellationToken = default) =>
            s.QueryAsync(
                "listing a project's runs",
                "SELECT data FROM evaluation_runs WHERE tenant_id = $tenant AND project_id = $project ORDER BY created_at DESC, id DESC",
                p => p.AddWithValue("$project", projectId),
                r => JsonSerializer.Deserialize(r.GetString(0), Json.EvaluationRun)!,
                cancellationToken);

        public IAsyncEnumerable<AbTest> ListAbTestsAsync(string projectId, CancellationToken cancellationToken = default) =>
            s.QueryAsync(
                "listing a project's A/B tests",
                "SELECT data FROM ab_tests WHERE tenant_id = $tenant AND project_id = $project ORDER BY created_at DESC, id DESC",
                p => p.AddWithValue("$project", projectId),
                r => JsonSerializer.Deserialize(r.GetString(0), Json.AbTest)!,
                cancellationToken);

        public IAsyncEnumerable<Experiment> ListExperimentsAsync(string projectId, CancellationToken cancellationToken = default) =>
            s.QueryAsync(
                "listing a project's experiments",
                "SELECT data FROM experiments WHERE tenant_id = $tenant AND project_id = $project ORDER BY created_at DESC, id DESC",
                p => p.AddWithValue("$project", projectId),
                r => JsonSerializer.Deserialize(r.GetString(0), Json.Experiment)!,
                cancellationToken);

        private static Project Read(SqliteDataReader r) => JsonSerializer.Deserialize(r.GetString(0), Json.Project)!;

        private static void Bind(SqliteParameterCollection p, Project project)
        {
            p.AddWithValue("$id", project.Id);
            AddText(p, "$name", project.Name);
            p.AddWithValue("$at", Ticks(project.CreatedAt));
            p.AddWithValue("$data", JsonSerializer.Serialize(project, Json.Project));
        }
    }
}
