using System.Globalization;
using System.Text.Json;
using EvalKit.Erasure;
using EvalKit.Security;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// Erasure (see <see cref="IErasureStorage"/>): one write transaction on a connection with <c>PRAGMA secure_delete</c> on, so
/// that deleted content is overwritten with zeros; after the commit the write-ahead log is checkpointed and truncated, and
/// (unless <see cref="SqliteStorageOptions.VacuumAfterErasure"/> is off) the file is rebuilt with <c>VACUUM</c>, so that no
/// byte of an erased record remains in the database file or its log.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    // The counted tables (shared with the other SQL provider; see ErasureTables): every erasure then advances the tenant's
    // change epoch.
    private static readonly (string Table, Func<ErasureCounts, long, ErasureCounts> Count)[] CountedTables = ErasureTables.Counted;

    private ErasureStore? _erasure;

    /// <inheritdoc/>
    public IErasureStorage Erasure => _erasure ??= new ErasureStore(this);

    /// <summary>Runs an erasure in one write transaction with secure delete on, then clears the log (and vacuums).</summary>
    private async ValueTask<ErasureCounts> EraseAsync(
        string operation, Func<SqliteConnection, SqliteTransaction, string, ValueTask<ErasureCounts>> work, CancellationToken cancellationToken)
    {
        var tenant = Tenant;
        var connection = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await Execute(connection, "PRAGMA secure_delete = ON;", cancellationToken).ConfigureAwait(false);
                ErasureCounts counts;
                var transaction = connection.BeginTransaction(deferred: false);
                await using (transaction.ConfigureAwait(false))
                {
                    counts = await work(connection, transaction, tenant).ConfigureAwait(false);

                    // Every cached answer of the tenant depends on its epoch: moving it invalidates them in every process.
                    await AdvanceAsync(connection, transaction, tenant, [ChangeScope.Epoch], cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                Advanced(tenant, ChangeScope.Epoch);

                // Committed: the clean-up runs whatever the caller's token says, or old pages would stay in the log.
                if (_options.VacuumAfterErasure)
                {
                    await Execute(connection, "VACUUM;", CancellationToken.None).ConfigureAwait(false);
                }

                await TruncateLogAsync(connection).ConfigureAwait(false);
                return counts;
            }
            catch (SqliteException e)
            {
                throw Wrap(operation, e);
            }
            finally
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await Execute(connection, "PRAGMA secure_delete = OFF;", CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Copies the write-ahead log into the database and truncates it to zero bytes.</summary>
    /// <exception cref="StorageException">Another connection kept the log from being truncated.</exception>
    private async Task TruncateLogAsync(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) && reader.GetInt64(0) != 0)
            {
                throw new StorageException(
                    $"SQLite store '{_dataSource}': the erasure is committed, but the write-ahead log '{_dataSource}-wal' could not be truncated because other " +
                    "connections were busy, so older copies of the erased pages may remain in it until the next checkpoint; run PRAGMA wal_checkpoint(TRUNCATE) when the store is idle.");
            }
        }
    }

    /// <summary>Writes ids as a JSON array, for <c>json_each</c>.</summary>
    private static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(UnicodeText.Replace(value));
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, string tenant)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$tenant", tenant);
        return command;
    }

    private sealed class ErasureStore(SqliteEvalKitStorage s) : IErasureStorage
    {
        private const string AdvanceCounter =
            "INSERT INTO model_change_counter (tenant_id, value) VALUES ($tenant, 1) ON CONFLICT (tenant_id) DO UPDATE SET value = value + 1";

        public ValueTask<ErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default) =>
            s.EraseAsync("erasing a tenant", async (connection, transaction, tenant) =>
            {
                var tables = new List<string>();
                using (var list = Command(connection, transaction, """
                    SELECT m.name FROM sqlite_master m
                    WHERE m.type = 'table' AND m.name NOT IN ('audit_log', 'model_change_counter')
                        AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'tenant_id')
                    ORDER BY m.name
                    """, tenant))
                {
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
                    // The names come from the schema itself; quoted all the same.
                    using var delete = Command(connection, transaction, $"DELETE FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WHERE tenant_id = $tenant", tenant);
                    var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var (name, count) in CountedTables)
                    {
                        counts = name == table ? count(counts, deleted) : counts;
                    }
                }

                // The counter is kept and moves on: a registry's snapshot tagged with an old value is never served again.
                using (var advance = Command(connection, transaction, AdvanceCounter, tenant))
                {
                    await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using var scrub = Command(connection, transaction, "UPDATE audit_log SET record_id = $erased WHERE tenant_id = $tenant AND record_id IS NOT NULL AND record_id IS NOT $erased", tenant);
                scrub.Parameters.AddWithValue("$erased", AuditEntry.ErasedRecordId);
                return counts with { AuditEntriesScrubbed = await scrub.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) };
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

        private static async ValueTask<ErasureCounts> EraseLinkedAsync(
            SqliteConnection connection, SqliteTransaction transaction, string tenant, Func<ErasureGraph, ErasurePlan> planOf, CancellationToken cancellationToken)
        {
            var graph = await ReadGraphAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
            var plan = planOf(graph);
            var runs = JsonArray(plan.Runs);

            async Task<long> DeleteAsync(string sql, params (string Name, object? Value)[] parameters)
            {
                using var command = Command(connection, transaction, sql, tenant);
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                }

                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            static string Ids(HashSet<string> ids) => JsonArray(ids);
            const string InRuns = "IN (SELECT value FROM json_each($runs))";
            const string InIds = "IN (SELECT value FROM json_each($ids))";

            // Cached answers go first, while the erased results that may hold them are still there.
            var cached = await DeleteAsync(
                $"DELETE FROM response_cache WHERE tenant_id = $tenant AND (model_id = $model OR text IN (SELECT output FROM evaluation_results WHERE tenant_id = $tenant AND output IS NOT NULL AND run_id {InRuns}))",
                ("$model", plan.ModelId),
                ("$runs", runs)).ConfigureAwait(false);
            var counts = new ErasureCounts
            {
                CachedResponses = cached,
                CaseResults = await DeleteAsync($"DELETE FROM evaluation_results WHERE tenant_id = $tenant AND run_id {InRuns}", ("$runs", runs)).ConfigureAwait(false),
                Shards = await DeleteAsync($"DELETE FROM run_shards WHERE tenant_id = $tenant AND run_id {InRuns}", ("$runs", runs)).ConfigureAwait(false),
                MetricPoints = await DeleteAsync(
                    $"DELETE FROM model_metrics WHERE tenant_id = $tenant AND (model_id = $model OR run_id {InRuns})", ("$model", plan.ModelId), ("$runs", runs)).ConfigureAwait(false),
                Runs = await DeleteAsync($"DELETE FROM evaluation_runs WHERE tenant_id = $tenant AND id {InRuns}", ("$runs", runs)).ConfigureAwait(false),
                AbTests = await DeleteAsync($"DELETE FROM ab_tests WHERE tenant_id = $tenant AND id {InIds}", ("$ids", Ids(plan.AbTests))).ConfigureAwait(false),
                ExperimentRuns = await DeleteAsync($"DELETE FROM experiment_runs WHERE tenant_id = $tenant AND experiment_id {InIds}", ("$ids", Ids(plan.Experiments))).ConfigureAwait(false),
                Experiments = await DeleteAsync($"DELETE FROM experiments WHERE tenant_id = $tenant AND id {InIds}", ("$ids", Ids(plan.Experiments))).ConfigureAwait(false),
                ExperimentTemplates = await DeleteAsync($"DELETE FROM experiment_templates WHERE tenant_id = $tenant AND id {InIds}", ("$ids", Ids(plan.Templates))).ConfigureAwait(false),
                Benchmarks = await DeleteAsync($"DELETE FROM benchmark_suites WHERE tenant_id = $tenant AND id {InIds}", ("$ids", Ids(plan.Benchmarks))).ConfigureAwait(false),
                Cases = await DeleteAsync($"DELETE FROM evaluation_cases WHERE tenant_id = $tenant AND dataset_id {InIds}", ("$ids", Ids(plan.Datasets))).ConfigureAwait(false),
                Datasets = await DeleteAsync($"DELETE FROM evaluation_datasets WHERE tenant_id = $tenant AND id {InIds}", ("$ids", Ids(plan.Datasets))).ConfigureAwait(false),
                ModelRevisions = await DeleteAsync("DELETE FROM model_revisions WHERE tenant_id = $tenant AND model_id = $model", ("$model", plan.ModelId)).ConfigureAwait(false),
                Models = await DeleteAsync("DELETE FROM evaluation_models WHERE tenant_id = $tenant AND id = $model", ("$model", plan.ModelId)).ConfigureAwait(false),
                Projects = await DeleteAsync("DELETE FROM projects WHERE tenant_id = $tenant AND id = $project", ("$project", plan.ProjectId)).ConfigureAwait(false),
            };
            if (counts.Models > 0)
            {
                await DeleteAsync(AdvanceCounter).ConfigureAwait(false);
            }

            // The model's metrics counter goes with it (a counter created again starts at a random value, so no cached answer
            // stamped with the old one is served); a counter left behind would keep the model's id.
            await DeleteAsync("DELETE FROM change_counters WHERE tenant_id = $tenant AND scope = $scope", ("$scope", plan.ModelId is { } modelId ? ChangeScope.ModelMetrics(modelId).Name : null)).ConfigureAwait(false);

            var scrubbed = await DeleteAsync(
                $"UPDATE audit_log SET record_id = $erased WHERE tenant_id = $tenant AND record_id {InIds}",
                ("$erased", AuditEntry.ErasedRecordId),
                ("$ids", JsonArray(plan.AuditRecordIds))).ConfigureAwait(false);
            return counts with { AuditEntriesScrubbed = scrubbed };
        }

        /// <summary>Reads what links the tenant's records, inside the erasure's transaction.</summary>
        private static async Task<ErasureGraph> ReadGraphAsync(SqliteConnection connection, SqliteTransaction transaction, string tenant, CancellationToken cancellationToken)
        {
            var graph = new ErasureGraph();
            async Task ReadAsync(string sql, Action<SqliteDataReader> read)
            {
                using var command = Command(connection, transaction, sql, tenant);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        read(reader);
                    }
                }
            }

            static string? Nullable(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Text(r, i);

            await ReadAsync(
                "SELECT id, model_id, dataset_id, json_extract(data, '$.benchmarkId'), project_id FROM evaluation_runs WHERE tenant_id = $tenant",
                r => graph.Runs.Add(new RunLink(Text(r, 0), Text(r, 1), Text(r, 2), Nullable(r, 3), Nullable(r, 4)))).ConfigureAwait(false);
            await ReadAsync(
                "SELECT data, project_id FROM ab_tests WHERE tenant_id = $tenant",
                r => graph.AbTests.Add(AbTestLink.Of(JsonSerializer.Deserialize(r.GetString(0), Json.AbTest)!, Nullable(r, 1)))).ConfigureAwait(false);
            await ReadAsync(
                "SELECT data, project_id FROM experiments WHERE tenant_id = $tenant",
                r => graph.Experiments.Add(ExperimentLink.Of(JsonSerializer.Deserialize(r.GetString(0), Json.Experiment)!, Nullable(r, 1)))).ConfigureAwait(false);
            await ReadAsync(
                "SELECT data FROM experiment_runs WHERE tenant_id = $tenant",
                r => graph.ExperimentRuns.Add(ExperimentRunLink.Of(JsonSerializer.Deserialize(r.GetString(0), Json.ExperimentRun)!))).ConfigureAwait(false);
            await ReadAsync(
                "SELECT data FROM experiment_templates WHERE tenant_id = $tenant",
                r => graph.Templates.Add(TemplateLink.Of(JsonSerializer.Deserialize(r.GetString(0), Json.ExperimentTemplate)!))).ConfigureAwait(false);
            await ReadAsync(
                "SELECT id, dataset_id FROM benchmark_suites WHERE tenant_id = $tenant",
                r => graph.Benchmarks[Text(r, 0)] = Text(r, 1)).ConfigureAwait(false);
            return graph;
        }
    }
}
