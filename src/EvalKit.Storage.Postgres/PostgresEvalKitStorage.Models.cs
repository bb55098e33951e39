using System.Text.Json;
using EvalKit.Registry;
using Npgsql;

namespace EvalKit.Storage.Postgres;

/// <content>
/// The model store: the current revision of each model, every revision record (who, when, what changed), and the model
/// change counter, advanced in the transaction of every write that changes something.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private sealed class ModelStore(PostgresEvalKitStorage s) : IModelStorage
    {
        public ValueTask<bool> TryAddAsync(ModelRevision revision, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(revision);
            var data = JsonSerializer.Serialize(revision.Model, JsonContext.ModelDescriptor);
            var tenant = s.Tenant;
            return s.InTransactionAsync("registering a model", async (connection, transaction) =>
            {
                var inserted = await CommandAsync(
                    connection,
                    transaction,
                    $"""
                    INSERT INTO {s._s}.evaluation_models (id, revision, provider, status, updated_at, data, tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (tenant_id, id) DO NOTHING
                    """,
                    p =>
                    {
                        Bind(p, revision.Model, data);
                        p.Add(Text(tenant));
                    },
                    cancellationToken).ConfigureAwait(false);
                if (inserted == 0)
                {
                    return false;
                }

                await InsertRevisionAsync(connection, transaction, tenant, revision, data, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken);
        }

        public ValueTask<bool> TryUpdateAsync(ModelRevision revision, int expectedRevision, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(revision);
            var data = JsonSerializer.Serialize(revision.Model, JsonContext.ModelDescriptor);
            var tenant = s.Tenant;
            return s.InTransactionAsync("updating a model", async (connection, transaction) =>
            {
                // Under read committed a concurrent writer's UPDATE waits for this one and then re-checks the revision,
                // so of two writers based on the same revision exactly one wins.
                var updated = await CommandAsync(
                    connection,
                    transaction,
                    $"UPDATE {s._s}.evaluation_models SET revision = $2, provider = $3, status = $4, updated_at = $5, data = $6 WHERE tenant_id = $8 AND id = $1 AND revision = $7",
                    p =>
                    {
                        Bind(p, revision.Model, data);
                        p.Add(Int(expectedRevision));
                        p.Add(Text(tenant));
                    },
                    cancellationToken).ConfigureAwait(false);
                if (updated == 0)
                {
                    return false;
                }

                await InsertRevisionAsync(connection, transaction, tenant, revision, data, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken);
        }

        public ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.QuerySingleAsync(
                "reading a model", $"SELECT data FROM {s._s}.evaluation_models WHERE tenant_id = $1 AND id = $2", p => TenantAnd(p, tenant, modelId), ReadModel, cancellationToken);
        }

        public IAsyncEnumerable<ModelDescriptor> ListAsync(CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.QueryAsync("listing models", $"SELECT data FROM {s._s}.evaluation_models WHERE tenant_id = $1 ORDER BY id", p => p.Add(Text(tenant)), ReadModel, cancellationToken);
        }

        public IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                "reading a model's history",
                $"SELECT data FROM {s._s}.model_revisions WHERE tenant_id = $1 AND model_id = $2 ORDER BY revision",
                p => TenantAnd(p, tenant, modelId),
                ReadModel,
                cancellationToken);
        }

        public IAsyncEnumerable<ModelRevision> GetRevisionsAsync(string modelId, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return s.ReadQueryAsync(
                "reading a model's revisions",
                $"SELECT data, changed_by, change_kind, description, changes FROM {s._s}.model_revisions WHERE tenant_id = $1 AND model_id = $2 ORDER BY revision",
                p => TenantAnd(p, tenant, modelId),
                r => new ModelRevision
                {
                    Model = ReadModel(r),
                    ChangedBy = ReadText(r, 1),
                    Kind = Enum.Parse<ModelChangeKind>(r.GetString(2)),
                    Description = ReadText(r, 3),
                    Changes = JsonSerializer.Deserialize(r.GetString(4), JsonContext.IReadOnlyListModelFieldChange)!,
                },
                cancellationToken);
        }

        public ValueTask<ModelDeleteResult> DeleteAsync(string modelId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(modelId);
            var tenant = s.Tenant;
            return s.InTransactionAsync("deleting a model", async (connection, transaction) =>
            {
                // Locks the model's row first: a concurrent update or delete of it waits for this transaction.
                var exists = await ScalarAsync(
                    connection, transaction, $"SELECT 1 FROM {s._s}.evaluation_models WHERE tenant_id = $1 AND id = $2 FOR UPDATE", p => TenantAnd(p, tenant, modelId), cancellationToken).ConfigureAwait(false);
                if (exists is null)
                {
                    return ModelDeleteResult.NotFound;
                }

                var runCount = (long)(await ScalarAsync(
                    connection, transaction, $"SELECT count(*) FROM {s._s}.evaluation_runs WHERE tenant_id = $1 AND model_id = $2", p => TenantAnd(p, tenant, modelId), cancellationToken).ConfigureAwait(false))!;
                if (runCount > 0)
                {
                    var runIds = new List<string>();
                    using var command = new NpgsqlCommand(
                        $"SELECT id FROM {s._s}.evaluation_runs WHERE tenant_id = $1 AND model_id = $2 ORDER BY created_at DESC, created_at_ns100 DESC, id DESC LIMIT $3", connection, transaction);
                    TenantAnd(command.Parameters, tenant, modelId);
                    command.Parameters.Add(Int(ModelDeleteResult.MaxListedRuns));
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            runIds.Add(ReadText(reader, 0));
                        }
                    }

                    return ModelDeleteResult.Referenced(runCount, runIds);
                }

                await CommandAsync(connection, transaction, $"DELETE FROM {s._s}.model_revisions WHERE tenant_id = $1 AND model_id = $2", p => TenantAnd(p, tenant, modelId), cancellationToken).ConfigureAwait(false);
                await CommandAsync(connection, transaction, $"DELETE FROM {s._s}.evaluation_models WHERE tenant_id = $1 AND id = $2", p => TenantAnd(p, tenant, modelId), cancellationToken).ConfigureAwait(false);
                await AdvanceCounterAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
                return ModelDeleteResult.Deleted;
            }, cancellationToken);
        }

        public async ValueTask<long> GetChangeCounterAsync(CancellationToken cancellationToken = default)
        {
            // A tenant that never wrote a model has no row yet: its counter is 0.
            var tenant = s.Tenant;
            await foreach (var value in s.QueryAsync(
                "reading the model change counter",
                $"SELECT value FROM {s._s}.model_change_counter WHERE tenant_id = $1",
                p => p.Add(Text(tenant)),
                r => r.GetInt64(0),
                cancellationToken).ConfigureAwait(false))
            {
                return value;
            }

            return 0;
        }

        private static ModelDescriptor ReadModel(NpgsqlDataReader r) => JsonSerializer.Deserialize(r.GetString(0), JsonContext.ModelDescriptor)!;

        private static void Bind(NpgsqlParameterCollection p, ModelDescriptor model, string data)
        {
            p.Add(Text(model.Id));
            p.Add(Int(model.Revision));
            p.Add(Text(model.Provider));
            p.Add(Text(model.Status.ToString()));
            p.Add(Timestamp(model.UpdatedAt));
            p.Add(Json(data));
        }

        /// <summary>Writes the revision record and advances the change counter, inside the caller's transaction.</summary>
        private async Task InsertRevisionAsync(
            NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, ModelRevision revision, string data, CancellationToken cancellationToken)
        {
            await CommandAsync(
                connection,
                transaction,
                $"""
                INSERT INTO {s._s}.model_revisions (model_id, revision, updated_at, data, changed_by, change_kind, description, changes, tenant_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                p =>
                {
                    p.Add(Text(revision.ModelId));
                    p.Add(Int(revision.Revision));
                    p.Add(Timestamp(revision.ChangedAt));
                    p.Add(Json(data));
                    p.Add(Text(revision.ChangedBy));
                    p.Add(Text(revision.Kind.ToString()));
                    p.Add(Text(revision.Description));
                    p.Add(Json(JsonSerializer.Serialize(revision.Changes, JsonContext.IReadOnlyListModelFieldChange)));
                    p.Add(Text(tenant));
                },
                cancellationToken).ConfigureAwait(false);
            await AdvanceCounterAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
        }

        // The tenant's change counter: its row appears with the tenant's first model write.
        private Task<int> AdvanceCounterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CancellationToken cancellationToken) =>
            CommandAsync(
                connection,
                transaction,
                $"INSERT INTO {s._s}.model_change_counter AS c (tenant_id, value) VALUES ($1, 1) ON CONFLICT (tenant_id) DO UPDATE SET value = c.value + 1",
                p => p.Add(Text(tenant)),
                cancellationToken);
    }
}
