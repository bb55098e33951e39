using System.Globalization;
using System.Text;
using EvalKit.Security;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// The audit log (table <c>audit_log</c>: append-only, a trigger refuses updates) and the bulk deletes of retention. Audit
/// statements name their tenant explicitly (the entry's, or the one asked for); retention deletes act on the tenant of the
/// operation, like every other store.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    private AuditStore? _audit;
    private RetentionStore? _retention;

    /// <inheritdoc/>
    public IAuditStorage Audit => _audit ??= new AuditStore(this);

    /// <inheritdoc/>
    public IRetentionStorage Retention => _retention ??= new RetentionStore(this);

    private sealed class AuditStore(SqliteEvalKitStorage s) : IAuditStorage
    {
        private const string Columns = "id, tenant_id, occurred_at, actor, operation, record_type, record_id, outcome, error_type, count";

        public async ValueTask<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            AuditChecks.Entry(entry, nameof(entry));
            var connection = await s.ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO audit_log (tenant_id, occurred_at, actor, operation, record_type, record_id, outcome, error_type, count)
                    VALUES ($tenant, $at, $actor, $operation, $type, $record, $outcome, $error, $count)
                    RETURNING id
                    """;
                AddText(command.Parameters, "$tenant", entry.TenantId);
                command.Parameters.AddWithValue("$at", Ticks(entry.OccurredAt));
                AddText(command.Parameters, "$actor", entry.Actor);
                AddText(command.Parameters, "$operation", entry.Operation);
                AddText(command.Parameters, "$type", entry.RecordType);
                AddText(command.Parameters, "$record", entry.RecordId);
                AddText(command.Parameters, "$outcome", entry.Outcome.ToString());
                AddText(command.Parameters, "$error", entry.ErrorType);
                command.Parameters.AddWithValue("$count", Db(entry.Count));
                try
                {
                    return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }
                catch (SqliteException e)
                {
                    throw s.Wrap("appending an audit entry", e);
                }
            }
        }

        public async ValueTask<AuditPage> QueryAsync(string tenantId, AuditQuery query, CancellationToken cancellationToken = default)
        {
            AuditChecks.Query(tenantId, query);

            // Only the filters present go into the statement, so that SQLite walks the (tenant, time, id) index backwards.
            var sql = new StringBuilder($"SELECT {Columns} FROM audit_log WHERE tenant_id = $tenant");
            var binds = new List<Action<SqliteParameterCollection>>();
            void Filter(string condition, Action<SqliteParameterCollection> bind)
            {
                sql.Append(" AND ").Append(condition);
                binds.Add(bind);
            }

            if (query.From is { } from)
            {
                Filter("occurred_at >= $from", p => p.AddWithValue("$from", Ticks(from)));
            }

            if (query.To is { } to)
            {
                Filter("occurred_at < $to", p => p.AddWithValue("$to", Ticks(to)));
            }

            if (query.Actor is { } actor)
            {
                Filter("actor = $actor", p => AddText(p, "$actor", actor));
            }

            if (query.Operation is { } operation)
            {
                Filter("operation = $operation", p => AddText(p, "$operation", operation));
            }

            if (query.RecordType is { } type)
            {
                Filter("record_type = $type", p => AddText(p, "$type", type));
            }

            if (query.RecordId is { } record)
            {
                Filter("record_id = $record", p => AddText(p, "$record", record));
            }

            if (query.Outcome is { } outcome)
            {
                Filter("outcome = $outcome", p => AddText(p, "$outcome", outcome.ToString()));
            }

            if (query.After is { } after)
            {
                Filter(
                    "(occurred_at < $after_at OR (occurred_at = $after_at AND id < $after_id))",
                    p =>
                    {
                        p.AddWithValue("$after_at", Ticks(after.OccurredAt));
                        p.AddWithValue("$after_id", after.Id);
                    });
            }

            sql.Append(" ORDER BY occurred_at DESC, id DESC LIMIT $limit");
            var entries = new List<AuditEntry>(Math.Min(query.PageSize + 1, 128));
            await foreach (var entry in s.QueryAsync(
                "reading the audit log",
                sql.ToString(),
                tenantId,
                p =>
                {
                    foreach (var bind in binds)
                    {
                        bind(p);
                    }

                    p.AddWithValue("$limit", query.PageSize + 1);
                },
                Read,
                cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }

            return AuditChecks.Page(entries, query.PageSize);
        }

        public async ValueTask<long> DeleteOlderThanAsync(string tenantId, DateTimeOffset before, CancellationToken cancellationToken = default)
        {
            EvalKitTenant.Validate(tenantId, nameof(tenantId));
            var connection = await s.ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM audit_log WHERE tenant_id = $tenant AND occurred_at < $before";
                AddText(command.Parameters, "$tenant", tenantId);
                command.Parameters.AddWithValue("$before", Ticks(before));
                try
                {
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException e)
                {
                    throw s.Wrap("deleting old audit entries", e);
                }
            }
        }

        private static AuditEntry Read(SqliteDataReader r) => new()
        {
            Id = r.GetInt64(0),
            TenantId = Text(r, 1),
            OccurredAt = FromTicks(r.GetInt64(2)),
            Actor = Text(r, 3),
            Operation = Text(r, 4),
            RecordType = Text(r, 5),
            RecordId = r.IsDBNull(6) ? null : Text(r, 6),
            Outcome = Enum.Parse<AuditOutcome>(Text(r, 7)),
            ErrorType = r.IsDBNull(8) ? null : Text(r, 8),
            Count = r.IsDBNull(9) ? null : r.GetInt64(9),
        };
    }

    private sealed class RetentionStore(SqliteEvalKitStorage s) : IRetentionStorage
    {
        public async ValueTask<long> DeleteResultsAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            var deleted = await s.InTransactionAsync(
                "deleting a run's results",
                async (connection, transaction) =>
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "DELETE FROM evaluation_results WHERE tenant_id = $tenant AND run_id = $run";
                    command.Parameters.AddWithValue("$tenant", tenant);
                    command.Parameters.AddWithValue("$run", runId);
                    long count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    if (count > 0)
                    {
                        await AdvanceAsync(connection, transaction, tenant, [ChangeScope.Run(runId)], cancellationToken).ConfigureAwait(false);
                    }

                    return count;
                },
                cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                s.Advanced(tenant, ChangeScope.Run(runId));
            }

            return deleted;
        }

        public async ValueTask<long> DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            var deleted = await s.InTransactionAsync(
                "deleting a run",
                async (connection, transaction) =>
                {
                    long results = 0;
                    foreach (var table in (string[])["evaluation_results", "run_shards", "evaluation_runs"])
                    {
                        using var command = connection.CreateCommand();
                        command.Transaction = transaction;
                        command.CommandText = $"DELETE FROM {table} WHERE tenant_id = $tenant AND {(table == "evaluation_runs" ? "id" : "run_id")} = $run";
                        command.Parameters.AddWithValue("$tenant", tenant);
                        command.Parameters.AddWithValue("$run", runId);
                        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        results += table == "evaluation_results" ? deleted : 0;
                    }

                    return results;
                },
                cancellationToken).ConfigureAwait(false);

            // The delete trigger dropped the run's counter and moved the tenant's run list and epoch (migration 11).
            s.Advanced(tenant, ChangeScope.Run(runId), ChangeScope.Runs, ChangeScope.Epoch);
            return deleted;
        }

        public async ValueTask<long> DeleteCachedResponsesOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
            await s.ExecuteAsync(
                "deleting old cached responses",
                "DELETE FROM response_cache WHERE tenant_id = $tenant AND created_at < $before",
                p => p.AddWithValue("$before", Ticks(before)),
                cancellationToken).ConfigureAwait(false);
    }
}
