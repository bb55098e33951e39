using System.Text.Json;
using EvalKit.Experiments;
using Npgsql;

namespace EvalKit.Storage.Postgres;

/// <content>
/// Experiments, templates and experiment runs: each record is its JSON in a <c>data</c> column, with the columns that
/// lists sort or filter on beside it.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private ExperimentStore? _experiments;

    /// <inheritdoc/>
    public IExperimentStorage Experiments => _experiments ??= new ExperimentStore(this);

    private sealed class ExperimentStore(PostgresEvalKitStorage s) : IExperimentStorage
    {
        public ValueTask<bool> TryAddAsync(Experiment experiment, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(experiment);
            var tenant = s.Tenant;
            return s.TryInsertAsync(
                "creating an experiment",
                $"INSERT INTO {s._s}.experiments (id, name, status, created_at, created_at_ns100, data, tenant_id, project_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, id) DO NOTHING",
                p => Bind(p, experiment, tenant),
                cancellationToken);
        }

        public ValueTask UpdateAsync(Experiment experiment, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(experiment);
            var tenant = s.Tenant;
            return s.UpdateExistingAsync(
                "experiment",
                experiment.Id,
                $"UPDATE {s._s}.experiments SET name = $2, status = $3, created_at = $4, created_at_ns100 = $5, data = $6, project_id = $8 WHERE tenant_id = $7 AND id = $1",
                p => Bind(p, experiment, tenant),
                cancellationToken);
        }

        public ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadSingleAsync(
                "reading an experiment", $"SELECT data FROM {s._s}.experiments WHERE tenant_id = $1 AND id = $2", p => TenantAnd(p, tenant, experimentId), ReadExperiment, cancellationToken);
        }

        public IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                "listing experiments",
                $"SELECT data FROM {s._s}.experiments WHERE tenant_id = $1 ORDER BY created_at DESC, created_at_ns100 DESC, id DESC",
                p => p.Add(Text(tenant)),
                ReadExperiment,
                cancellationToken);
        }

        public async ValueTask SaveTemplateAsync(ExperimentTemplate template, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(template);
            var tenant = s.Tenant;
            await s.ExecuteAsync(
                "saving an experiment template",
                $"""
                INSERT INTO {s._s}.experiment_templates (tenant_id, id, updated_at, data) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id, id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data
                """,
                p =>
                {
                    TenantAnd(p, tenant, template.Id);
                    p.Add(Timestamp(template.UpdatedAt));
                    p.Add(Json(JsonSerializer.Serialize(template, JsonContext.ExperimentTemplate)));
                },
                cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadSingleAsync(
                "reading an experiment template",
                $"SELECT data FROM {s._s}.experiment_templates WHERE tenant_id = $1 AND id = $2",
                p => TenantAnd(p, tenant, templateId),
                ReadTemplate,
                cancellationToken);
        }

        public IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                "listing experiment templates", $"SELECT data FROM {s._s}.experiment_templates WHERE tenant_id = $1 ORDER BY id", p => p.Add(Text(tenant)), ReadTemplate, cancellationToken);
        }

        public async ValueTask<bool> DeleteTemplateAsync(string templateId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return await s.ExecuteAsync(
                "deleting an experiment template",
                $"DELETE FROM {s._s}.experiment_templates WHERE tenant_id = $1 AND id = $2",
                p => TenantAnd(p, tenant, templateId),
                cancellationToken).ConfigureAwait(false) == 1;
        }

        public async ValueTask SaveRunAsync(ExperimentRun run, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(run);
            var tenant = s.Tenant;
            await s.ExecuteAsync(
                "saving an experiment run",
                $"""
                INSERT INTO {s._s}.experiment_runs (experiment_id, run_id, variant_index, status, data, tenant_id) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (tenant_id, experiment_id, run_id) DO UPDATE SET variant_index = excluded.variant_index, status = excluded.status, data = excluded.data
                """,
                p =>
                {
                    p.Add(Text(run.ExperimentId));
                    p.Add(Text(run.RunId));
                    p.Add(Int(run.VariantIndex));
                    p.Add(Text(run.Status.ToString()));
                    p.Add(Json(JsonSerializer.Serialize(run, JsonContext.ExperimentRun)));
                    p.Add(Text(tenant));
                },
                cancellationToken).ConfigureAwait(false);
        }

        public IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                "listing experiment runs",
                $"SELECT data FROM {s._s}.experiment_runs WHERE tenant_id = $1 AND experiment_id = $2 ORDER BY variant_index, run_id",
                p => TenantAnd(p, tenant, experimentId),
                r => JsonSerializer.Deserialize(r.GetString(0), JsonContext.ExperimentRun)!,
                cancellationToken);
        }

        private static Experiment ReadExperiment(NpgsqlDataReader r) => JsonSerializer.Deserialize(r.GetString(0), JsonContext.Experiment)!;

        private static ExperimentTemplate ReadTemplate(NpgsqlDataReader r) => JsonSerializer.Deserialize(r.GetString(0), JsonContext.ExperimentTemplate)!;

        private static void Bind(NpgsqlParameterCollection p, Experiment experiment, string tenant)
        {
            p.Add(Text(experiment.Id));
            p.Add(Text(experiment.Definition.Name));
            p.Add(Text(experiment.Status.ToString()));
            AddTime(p, experiment.CreatedAt);
            p.Add(Json(JsonSerializer.Serialize(experiment, JsonContext.Experiment)));
            p.Add(Text(tenant));
            p.Add(Text(experiment.Definition.ProjectId));
        }
    }
}
