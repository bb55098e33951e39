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
            return s.TryInsertAsync(
                "creating an experiment",
                $"INSERT INTO {s._s}.experiments (id, name, status, created_at, created_at_ns100, data) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                p => Bind(p, experiment),
                cancellationToken);
        }

        public ValueTask UpdateAsync(Experiment experiment, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(experiment);
            return s.UpdateExistingAsync(
                "experiment",
                experiment.Id,
                $"UPDATE {s._s}.experiments SET name = $2, status = $3, created_at = $4, created_at_ns100 = $5, data = $6 WHERE id = $1",
                p => Bind(p, experiment),
                cancellationToken);
        }

        public ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default) =>
            s.QuerySingleAsync("reading an experiment", $"SELECT data FROM {s._s}.experiments WHERE id = $1", p => p.Add(Text(experimentId)), ReadExperiment, cancellationToken);

        public IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default) =>
            s.QueryAsync(
                "listing experiments",
                $"SELECT data FROM {s._s}.experiments ORDER BY created_at DESC, created_at_ns100 DESC, id DESC",
                _ => { },
                ReadExperiment,
                cancellationToken);

        public async ValueTask SaveTemplateAsync(ExperimentTemplate template, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(template);
            await s.ExecuteAsync(
                "saving an experiment template",
                $"INSERT INTO {s._s}.experiment_templates (id, updated_at, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data",
                p =>
                {
                    p.Add(Text(template.Id));
                    p.Add(Timestamp(template.UpdatedAt));
                    p.Add(Json(JsonSerializer.Serialize(template, JsonContext.ExperimentTemplate)));
                },
                cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default) =>
            s.QuerySingleAsync("reading an experiment template", $"SELECT data FROM {s._s}.experiment_templates WHERE id = $1", p => p.Add(Text(templateId)), ReadTemplate, cancellationToken);

        public IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default) =>
            s.QueryAsync("listing experiment templates", $"SELECT data FROM {s._s}.experiment_templates ORDER BY id", _ => { }, ReadTemplate, cancellationToken);

        public async ValueTask<bool> DeleteTemplateAsync(string templateId, CancellationToken cancellationToken = default) =>
            await s.ExecuteAsync(
                "deleting an experiment template", $"DELETE FROM {s._s}.experiment_templates WHERE id = $1", p => p.Add(Text(templateId)), cancellationToken).ConfigureAwait(false) == 1;

        public async ValueTask SaveRunAsync(ExperimentRun run, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(run);
            await s.ExecuteAsync(
                "saving an experiment run",
                $"""
                INSERT INTO {s._s}.experiment_runs (experiment_id, run_id, variant_index, status, data) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (experiment_id, run_id) DO UPDATE SET variant_index = excluded.variant_index, status = excluded.status, data = excluded.data
                """,
                p =>
                {
                    p.Add(Text(run.ExperimentId));
                    p.Add(Text(run.RunId));
                    p.Add(Int(run.VariantIndex));
                    p.Add(Text(run.Status.ToString()));
                    p.Add(Json(JsonSerializer.Serialize(run, JsonContext.ExperimentRun)));
                },
                cancellationToken).ConfigureAwait(false);
        }

        public IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default) =>
            s.QueryAsync(
                "listing experiment runs",
                $"SELECT data FROM {s._s}.experiment_runs WHERE experiment_id = $1 ORDER BY variant_index, run_id",
                p => p.Add(Text(experimentId)),
                r => JsonSerializer.Deserialize(r.GetString(0), JsonContext.ExperimentRun)!,
                cancellationToken);

        private static Experiment ReadExperiment(NpgsqlDataReader r) => JsonSerializer.Deserialize(r.GetString(0), JsonContext.Experiment)!;

        private static ExperimentTemplate ReadTemplate(NpgsqlDataReader r) => JsonSerializer.Deserialize(r.GetString(0), JsonContext.ExperimentTemplate)!;

        private static void Bind(NpgsqlParameterCollection p, Experiment experiment)
        {
            p.Add(Text(experiment.Id));
            p.Add(Text(experiment.Definition.Name));
            p.Add(Text(experiment.Status.ToString()));
            AddTime(p, experiment.CreatedAt);
            p.Add(Json(JsonSerializer.Serialize(experiment, JsonContext.Experiment)));
        }
    }
}
