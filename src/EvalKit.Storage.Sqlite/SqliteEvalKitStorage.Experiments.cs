using System.Text.Json;
using EvalKit.Experiments;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// Experiments, templates and experiment runs (schema version 6): each record is its JSON in a <c>data</c> column, with the
/// columns that lists sort or filter on beside it.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    private ExperimentStore? _experiments;

    /// <inheritdoc/>
    public IExperimentStorage Experiments => _experiments ??= new ExperimentStore(this);

    private sealed class ExperimentStore(SqliteEvalKitStorage s) : IExperimentStorage
    {
        public ValueTask<bool> TryAddAsync(Experiment experiment, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(experiment);
            return s.TryInsertAsync(
                "creating an experiment",
                "INSERT OR IGNORE INTO experiments (tenant_id, id, name, status, created_at, data, project_id) VALUES ($tenant, $id, $name, $status, $at, $data, $project)",
                p => Bind(p, experiment),
                cancellationToken);
        }

        public ValueTask UpdateAsync(Experiment experiment, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(experiment);
            return s.UpdateExistingAsync(
                "experiment",
                experiment.Id,
                "UPDATE experiments SET name = $name, status = $status, created_at = $at, data = $data, project_id = $project WHERE tenant_id = $tenant AND id = $id",
                p => Bind(p, experiment),
                cancellationToken);
        }

        public ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default) =>
            s.QuerySingleAsync("reading an experiment", "SELECT data FROM experiments WHERE tenant_id = $tenant AND id = $id", p => p.AddWithValue("$id", experimentId), ReadExperiment, cancellationToken);

        public IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default) =>
            s.QueryAsync("listing experiments", "SELECT data FROM experiments WHERE tenant_id = $tenant ORDER BY created_at DESC, id DESC", _ => { }, ReadExperiment, cancellationToken);

        public async ValueTask SaveTemplateAsync(ExperimentTemplate template, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(template);
            await s.ExecuteAsync(
                "saving an experiment template",
                "INSERT INTO experiment_templates (tenant_id, id, updated_at, data) VALUES ($tenant, $id, $at, $data) ON CONFLICT (tenant_id, id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data",
                p =>
                {
                    p.AddWithValue("$id", template.Id);
                    p.AddWithValue("$at", Ticks(template.UpdatedAt));
                    p.AddWithValue("$data", JsonSerializer.Serialize(template, Json.ExperimentTemplate));
                },
                cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default) =>
            s.QuerySingleAsync("reading an experiment template", "SELECT data FROM experiment_templates WHERE tenant_id = $tenant AND id = $id", p => p.AddWithValue("$id", templateId), ReadTemplate, cancellationToken);

        public IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default) =>
            s.QueryAsync("listing experiment templates", "SELECT data FROM experiment_templates WHERE tenant_id = $tenant ORDER BY id", _ => { }, ReadTemplate, cancellationToken);

        public async ValueTask<bool> DeleteTemplateAsync(string templateId, CancellationToken cancellationToken = default) =>
            await s.ExecuteAsync("deleting an experiment template", "DELETE FROM experiment_templates WHERE tenant_id = $tenant AND id = $id", p => p.AddWithValue("$id", templateId), cancellationToken).ConfigureAwait(false) == 1;

        public async ValueTask SaveRunAsync(ExperimentRun run, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(run);
            await s.ExecuteAsync(
                "saving an experiment run",
                """
                INSERT INTO experiment_runs (tenant_id, experiment_id, run_id, variant_index, status, data) VALUES ($tenant, $experiment, $run, $index, $status, $data)
                ON CONFLICT (tenant_id, experiment_id, run_id) DO UPDATE SET variant_index = excluded.variant_index, status = excluded.status, data = excluded.data
                """,
                p =>
                {
                    p.AddWithValue("$experiment", run.ExperimentId);
                    p.AddWithValue("$run", run.RunId);
                    p.AddWithValue("$index", run.VariantIndex);
                    p.AddWithValue("$status", run.Status.ToString());
                    p.AddWithValue("$data", JsonSerializer.Serialize(run, Json.ExperimentRun));
                },
                cancellationToken).ConfigureAwait(false);
        }

        public IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default) =>
            s.QueryAsync(
                "listing experiment runs",
                "SELECT data FROM experiment_runs WHERE tenant_id = $tenant AND experiment_id = $experiment ORDER BY variant_index, run_id",
                p => p.AddWithValue("$experiment", experimentId),
                r => JsonSerializer.Deserialize(r.GetString(0), Json.ExperimentRun)!,
                cancellationToken);

        private static Experiment ReadExperiment(SqliteDataReader r) => JsonSerializer.Deserialize(r.GetString(0), Json.Experiment)!;

        private static ExperimentTemplate ReadTemplate(SqliteDataReader r) => JsonSerializer.Deserialize(r.GetString(0), Json.ExperimentTemplate)!;

        private static void Bind(SqliteParameterCollection p, Experiment experiment)
        {
            p.AddWithValue("$id", experiment.Id);
            AddText(p, "$name", experiment.Definition.Name);
            p.AddWithValue("$status", experiment.Status.ToString());
            p.AddWithValue("$at", Ticks(experiment.CreatedAt));
            p.AddWithValue("$data", JsonSerializer.Serialize(experiment, Json.Experiment));
            p.AddWithValue("$project", Db(experiment.Definition.ProjectId));
        }
    }
}
