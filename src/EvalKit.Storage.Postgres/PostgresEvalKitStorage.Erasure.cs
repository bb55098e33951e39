using System.Text.Json;
using EvalKit.Erasure;
using EvalKit.Security;
using Npgsql;
using NpgsqlTypes;

namespace EvalKit.Storage.Postgres;

/// <content>
/// Erasure (see <see cref="IErasureStorage"/>): every delete of one erasure, and the scrubbing of older audit entries, in one
/// transaction on the primary. PostgreSQL keeps deleted rows' old versions in the table files until <c>VACUUM</c> (or
/// autovacuum) reclaims them; no query sees them after the commit, but their bytes stay on disk until then.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    // The counted tables (shared with the other SQL provider; see ErasureTables): every erasure then advances the tenant's
    // change epoch.
    private static readonly (string Table, Func<ErasureCounts, long, ErasureCounts> Count)[] CountedTables = ErasureTables.Counted;

    private ErasureStore? _erasure;

    /// <inheritdoc/>
    public IErasureStorage Erasure => _erasure ??= new ErasureStore(this);

    private async ValueTask<ErasureCounts> EraseAsync(
        string operation, Func<NpgsqlConnection, NpgsqlTransaction, string, ValueTask<ErasureCounts>> work, CancellationToken cancellationToken)
    {
        var tenant = Tenant;
        var counts = await InTransactionAsync(operation, async (connection, transaction) =>
        {
            var counts = await work(connection, transaction, tenant).ConfigureAwait(false);

            // Every cached answer of the tenant depends on its epoch: moving it invalidates them in every process.
            await AdvanceAsync(connection, transaction, tenant, [ChangeScope.Epoch], cancellationToken).ConfigureAwait(false);
            return counts;
        }, cancellationToken).ConfigureAwait(false);
        Advanced(tenant, ChangeScope.Epoch);
        return counts;
    }

    private static NpgsqlParameter TextArray(IEnumerable<string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.Select(v => PostgresValues.Encode(v)!).ToArray() };

    private sealed class ErasureStore(PostgresEvalKitStorage s) : IErasureStorage
    {
        public ValueTask<ErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default) =>
            s.EraseAsync("erasing a tenant", async (connection, transaction, tenant) =>
            {
                // The tables of the schema with a tenant column; partitions are reached through their parent.
                var tables = new List<string>();
                using (var list = new NpgsqlCommand(
                    """
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                        AND c.relname NOT IN ('audit_log', 'model_change_counter')
                        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                    ORDER BY c.relname
                    """,
                    connection,
                    transaction))
                {
                    list.Parameters.Add(Text(s.Schema));
                    var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            tables.Add(reader.GetString(0));
                        }
                    }
                }

                var counts = ErasureCounts.None;
                foreach (var table in tables)
                {
                    // The names come from the catalog itself; quoted all the same.
                    var deleted = await CommandAsync(
                        connection, transaction, $"DELETE FROM {s._s}.\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WHERE tenant_id = $1", p => p.Add(Text(tenant)), cancellationToken).ConfigureAwait(false);
                    foreach (var (name, count) in CountedTables)
                    {
                        counts = name == table ? count(counts, deleted) : counts;
                    }
                }

                // The counter is kept and moves on: a registry's snapshot tagged with an old value is never served again.
                await AdvanceModelCounterAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
                var scrubbed = await CommandAsync(
                    connection,
                    transaction,
                    $"UPDATE {s._s}.audit_log SET record_id = $2 WHERE tenant_id = $1 AND record_id IS NOT NULL AND record_id <> $2",
                    p =>
                    {
                        p.Add(Text(tenant));
                        p.Add(Text(AuditEntry.ErasedRecordId));
                    },
                    cancellationToken).ConfigureAwait(false);
                return counts with { AuditEntriesScrubbed = scrubbed };
            }, cancellationToken);

        public ValueTask<ErasureCounts> EraseProjectAsync(string projectId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
            return s.EraseAsync("erasing a project", (connection, transaction, tenant) =>
                EraseLinkedAsync(connection, transaction, tenant, graph => ErasurePlanner.ForProject(graph, projectId), cancellationToken), cancellationToken);
        }

        public ValueTask<ErasureCounts> EraseModelAsync(string modelId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
            return s.EraseAsync("erasing a model", (connection, transaction, tenant) =>
                EraseLinkedAsync(connection, transaction, tenant, graph => ErasurePlanner.ForModel(graph, modelId), cancellationToken), cancellationToken);
        }

        private Task<int> AdvanceModelCounterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CancellationToken cancellationToken) =>
            CommandAsync(
                connection,
                transaction,
                $"INSERT INTO {s._s}.model_change_counter AS c (tenant_id, value) VALUES ($1, 1) ON CONFLICT (tenant_id) DO UPDATE SET value = c.value + 1",
                p => p.Add(Text(tenant)),
                cancellationToken);

        private async ValueTask<ErasureCounts> EraseLinkedAsync(
            NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Func<ErasureGraph, ErasurePlan> planOf, CancellationToken cancellationToken)
        {
            var graph = await ReadGraphAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
            var plan = planOf(graph);
            var runs = plan.Runs.ToArray();

            Task<int> ExecuteAsync(string sql, params NpgsqlParameter[] parameters) =>
                CommandAsync(connection, transaction, sql, p =>
                {
                    p.Add(Text(tenant));
                    foreach (var parameter in parameters)
                    {
                        p.Add(parameter);
                    }
                }, cancellationToken);

            NpgsqlParameter Model() => Text(plan.ModelId);
            var t = s._s;

            // Cached answers go first, while the erased results that may hold them are still there.
            var counts = new ErasureCounts
            {
                CachedResponses = await ExecuteAsync(
                    $"DELETE FROM {t}.response_cache WHERE tenant_id = $1 AND (model_id = $2 OR text IN (SELECT output FROM {t}.evaluation_results WHERE tenant_id = $1 AND run_id = ANY($3) AND output IS NOT NULL))",
                    Model(),
                    TextArray(runs)).ConfigureAwait(false),
            };
            counts = counts with
            {
                CaseResults = await ExecuteAsync($"DELETE FROM {t}.evaluation_results WHERE tenant_id = $1 AND run_id = ANY($2)", TextArray(runs)).ConfigureAwait(false),
                Shards = await ExecuteAsync($"DELETE FROM {t}.run_shards WHERE tenant_id = $1 AND run_id = ANY($2)", TextArray(runs)).ConfigureAwait(false),
                MetricPoints = await ExecuteAsync($"DELETE FROM {t}.model_metrics WHERE tenant_id = $1 AND (model_id = $2 OR run_id = ANY($3))", Model(), TextArray(runs)).ConfigureAwait(false),
                Runs = await ExecuteAsync($"DELETE FROM {t}.evaluation_runs WHERE tenant_id = $1 AND id = ANY($2)", TextArray(runs)).ConfigureAwait(false),
                AbTests = await ExecuteAsync($"DELETE FROM {t}.ab_tests WHERE tenant_id = $1 AND id = ANY($2)", TextArray(plan.AbTests)).ConfigureAwait(false),
                ExperimentRuns = await ExecuteAsync($"DELETE FROM {t}.experiment_runs WHERE tenant_id = $1 AND experiment_id = ANY($2)", TextArray(plan.Experiments)).ConfigureAwait(false),
                Experiments = await ExecuteAsync($"DELETE FROM {t}.experiments WHERE tenant_id = $1 AND id = ANY($2)", TextArray(plan.Experiments)).ConfigureAwait(false),
                ExperimentTemplates = await ExecuteAsync($"DELETE FROM {t}.experiment_templates WHERE tenant_id = $1 AND id = ANY($2)", TextArray(plan.Templates)).ConfigureAwait(false),
                Benchmarks = await ExecuteAsync($"DELETE FROM {t}.benchmark_suites WHERE tenant_id = $1 AND id = ANY($2)", TextArray(plan.Benchmarks)).ConfigureAwait(false),
                Cases = await ExecuteAsync($"DELETE FROM {t}.evaluation_cases WHERE tenant_id = $1 AND dataset_id = ANY($2)", TextArray(plan.Datasets)).ConfigureAwait(false),
                Datasets = await ExecuteAsync($"DELETE FROM {t}.evaluation_datasets WHERE tenant_id = $1 AND id = ANY($2)", TextArray(plan.Datasets)).ConfigureAwait(false),
                ModelRevisions = await ExecuteAsync($"DELETE FROM {t}.model_revisions WHERE tenant_id = $1 AND model_id = $2", Model()).ConfigureAwait(false),
                Models = await ExecuteAsync($"DELETE FROM {t}.evaluation_models WHERE tenant_id = $1 AND id = $2", Model()).ConfigureAwait(false),
                Projects = await ExecuteAsync($"DELETE FROM {t}.projects WHERE tenant_id = $1 AND id = $2", Text(plan.ProjectId)).ConfigureAwait(false),
            };
            if (counts.Models > 0)
            {
                await AdvanceModelCounterAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
            }

            // The model's metrics counter goes with it (a counter created again starts at a random value, so no cached answer
            // stamped with the old one is served); a counter left behind would keep the model's id.
            if (plan.ModelId is { } modelId)
            {
                await ExecuteAsync($"DELETE FROM {t}.change_counters WHERE tenant_id = $1 AND scope = $2", Text(ChangeScope.ModelMetrics(modelId).Name)).ConfigureAwait(false);
            }

            var scrubbed = await ExecuteAsync(
                $"UPDATE {t}.audit_log SET record_id = $2 WHERE tenant_id = $1 AND record_id = ANY($3)",
                Text(AuditEntry.ErasedRecordId),
                TextArray(plan.AuditRecordIds)).ConfigureAwait(false);
            return counts with { AuditEntriesScrubbed = scrubbed };
        }

        /// <summary>Reads what links the tenant's records, inside the erasure's transaction.</summary>
        private async Task<ErasureGraph> ReadGraphAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CancellationToken cancellationToken)
        {
            var graph = new ErasureGraph();
            async Task ReadAsync(string sql, Action<NpgsqlDataReader> read)
            {
                using var command = new NpgsqlCommand(sql, connection, transaction);
                command.Parameters.Add(Text(tenant));
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        read(reader);
                    }
                }
            }

            var t = s._s;
            await ReadAsync(
                $"SELECT id, model_id, dataset_id, data->>'benchmarkId', project_id FROM {t}.evaluation_runs WHERE tenant_id = $1",
                r => graph.Runs.Add(new RunLink(ReadText(r, 0), ReadText(r, 1), ReadText(r, 2), r.IsDBNull(3) ? null : r.GetString(3), ReadNullableText(r, 4)))).ConfigureAwait(false);
            await ReadAsync(
                $"SELECT data, project_id FROM {t}.ab_tests WHERE tenant_id = $1",
                r => graph.AbTests.Add(AbTestLink.Of(JsonSerializer.Deserialize(r.GetString(0), JsonContext.AbTest)!, ReadNullableText(r, 1)))).ConfigureAwait(false);
            await ReadAsync(
                $"SELECT data, project_id FROM {t}.experiments WHERE tenant_id = $1",
                r => graph.Experiments.Add(ExperimentLink.Of(JsonSerializer.Deserialize(r.GetString(0), JsonContext.Experiment)!, ReadNullableText(r, 1)))).ConfigureAwait(false);
            await ReadAsync(
                $"SELECT data FROM {t}.experiment_runs WHERE tenant_id = $1",
                r => graph.ExperimentRuns.Add(ExperimentRunLink.Of(JsonSerializer.Deserialize(r.GetString(0), JsonContext.ExperimentRun)!))).ConfigureAwait(false);
            await ReadAsync(
                $"SELECT data FROM {t}.experiment_templates WHERE tenant_id = $1",
                r => graph.Templates.Add(TemplateLink.Of(JsonSerializer.Deserialize(r.GetString(0), JsonContext.ExperimentTemplate)!))).ConfigureAwait(false);
            await ReadAsync(
                $"SELECT id, dataset_id FROM {t}.benchmark_suites WHERE tenant_id = $1",
                r => graph.Benchmarks[ReadText(r, 0)] = ReadText(r, 1)).ConfigureAwait(false);
            return graph;
        }
    }
}
