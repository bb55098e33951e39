using System.Globalization;
using System.Text;
using EvalKit.Security;
using Npgsql;

namespace EvalKit.Storage.Postgres;

/// <content>
/// The audit log (table <c>audit_log</c>: append-only, a trigger refuses updates) and the bulk deletes of retention. Audit
/// statements name their tenant explicitly (the entry's, or the one asked for); retention deletes act on the tenant of the
/// operation, like every other store.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private AuditStore? _audit;
    private RetentionStore? _retention;

    /// <inheritdoc/>
    public IAuditStorage Audit => _audit ??= new AuditStore(this);

    /// <inheritdoc/>
    public IRetentionStorage Retention => _retention ??= new RetentionStore(this);

    private sealed class AuditStore(PostgresEvalKitStorage s) : IAuditStorage
    {
        private const string Columns = "id, tenant_id, occurred_at, occurred_at_ns100, actor, operation, record_type, record_id, outcome, error_type, count";

        public async ValueTask<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            AuditChecks.Entry(entry, nameof(entry));
            var connection = await s.ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    var id = await ScalarAsync(
                        connection,
                        null,
                        $"""
                        INSERT INTO {s._s}.audit_log (tenant_id, occurred_at, occurred_at_ns100, actor, operation, record_type, record_id, outcome, error_type, count)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        RETURNING id
                        """,
                        p =>
                        {
                            p.Add(Text(entry.TenantId));
                            AddTime(p, entry.OccurredAt);
                            p.Add(Text(entry.Actor));
                            p.Add(Text(entry.Operation));
                            p.Add(Text(entry.RecordType));
                            p.Add(Text(entry.RecordId));
                            p.Add(Text(entry.Outcome.ToString()));
                            p.Add(Text(entry.ErrorType));
                            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint, Value = (object?)entry.Count ?? DBNull.Value });
                        },
                        cancellationToken).ConfigureAwait(false);
                    return Convert.ToInt64(id, CultureInfo.InvariantCulture);
                }
                catch (NpgsqlException e)
                {
                    throw s.Wrap("appending an audit entry", e);
                }
            }
        }

        public async ValueTask<AuditPage> QueryAsync(string tenantId, AuditQuery query, CancellationToken cancellationToken = default)
        {
            AuditChecks.Query(tenantId, query);

            // Only the filters present go into the statement, so that the planner walks the (tenant, time, id) index backwards.
            var sql = new StringBuilder($"SELECT {Columns} FROM {s._s}.audit_log WHERE tenant_id = $1");
            var binds = new List<Action<NpgsqlParameterCollection>> { p => p.Add(Text(tenantId)) };
            var next = 2;
            void Filter(string condition, int parameters, Action<NpgsqlParameterCollection> bind)
            {
                var numbers = Enumerable.Range(next, parameters).Select(n => (object)n).ToArray();
                sql.Append(" AND ").Append(string.Format(CultureInfo.InvariantCulture, condition, numbers));
                binds.Add(bind);
                next += parameters;
            }

            if (query.From is { } from)
            {
                Filter("(occurred_at, occurred_at_ns100) >= (${0}, ${1})", 2, p => AddTime(p, from));
            }

            if (query.To is { } to)
            {
                Filter("(occurred_at, occurred_at_ns100) < (${0}, ${1})", 2, p => AddTime(p, to));
            }

            if (query.Actor is { } actor)
            {
                Filter("actor = ${0}", 1, p => p.Add(Text(actor)));
            }

            if (query.Operation is { } operation)
            {
                Filter("operation = ${0}", 1, p => p.Add(Text(operation)));
            }

            if (query.RecordType is { } type)
            {
                Filter("record_type = ${0}", 1, p => p.Add(Text(type)));
            }

            if (query.RecordId is { } record)
            {
                Filter("record_id = ${0}", 1, p => p.Add(Text(record)));
            }

            if (query.Outcome is { } outcome)
            {
                Filter("outcome = ${0}", 1, p => p.Add(Text(outcome.ToString())));
            }

            if (query.After is { } after)
            {
                Filter(
                    "(occurred_at, occurred_at_ns100, id) < (${0}, ${1}, ${2})",
                    3,
                    p =>
                    {
                        AddTime(p, after.OccurredAt);
                        p.Add(Bigint(after.Id));
                    });
            }

            sql.Append(CultureInfo.InvariantCulture, $" ORDER BY occurred_at DESC, occurred_at_ns100 DESC, id DESC LIMIT ${next}");
            binds.Add(p => p.Add(Int(query.PageSize + 1)));
            var entries = new List<AuditEntry>(Math.Min(query.PageSize + 1, 128));
            await foreach (var entry in s.ReadQueryAsync(
                "reading the audit log",
                sql.ToString(),
                p =>
                {
                    foreach (var bind in binds)
                    {
                        bind(p);
                    }
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
            return await s.ExecuteAsync(
                "deleting old audit entries",
                $"DELETE FROM {s._s}.audit_log WHERE tenant_id = $1 AND occurred_at <= $2 AND (occurred_at, occurred_at_ns100) < ($2, $3)",
                p =>
                {
                    p.Add(Text(tenantId));
                    AddTime(p, before);
                },
                cancellationToken).ConfigureAwait(false);
        }

        private static AuditEntry Read(NpgsqlDataReader r) => new()
        {
            Id = r.GetInt64(0),
            TenantId = ReadText(r, 1),
            OccurredAt = ReadTime(r, 2),
            Actor = ReadText(r, 4),
            Operation = ReadText(r, 5),
            RecordType = ReadText(r, 6),
            RecordId = ReadNullableText(r, 7),
            Outcome = Enum.Parse<AuditOutcome>(ReadText(r, 8)),
            ErrorType = ReadNullableText(r, 9),
            Count = r.IsDBNull(10) ? null : r.GetInt64(10),
        };
    }

    private sealed class RetentionStore(PostgresEvalKitStorage s) : IRetentionStorage
    {
        public async ValueTask<long> DeleteResultsAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            var deleted = await s.InTransactionAsync(
                "deleting a run's results",
                async (connection, transaction) =>
                {
                    long count = await CommandAsync(
                        connection, transaction, $"DELETE FROM {s._s}.evaluation_results WHERE tenant_id = $1 AND run_id = $2", p => TenantAnd(p, tenant, runId), cancellationToken).ConfigureAwait(false);
                    if (count > 0)
                    {
                        await s.AdvanceAsync(connection, transaction, tenant, [ChangeScope.Run(runId)], cancellationToken).ConfigureAwait(false);
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
                    long results = await CommandAsync(
                        connection, transaction, $"DELETE FROM {s._s}.evaluation_results WHERE tenant_id = $1 AND run_id = $2", p => TenantAnd(p, tenant, runId), cancellationToken).ConfigureAwait(false);
                    await CommandAsync(
                        connection, transaction, $"DELETE FROM {s._s}.run_shards WHERE tenant_id = $1 AND run_id = $2", p => TenantAnd(p, tenant, runId), cancellationToken).ConfigureAwait(false);
                    await CommandAsync(
                        connection, transaction, $"DELETE FROM {s._s}.evaluation_runs WHERE tenant_id = $1 AND id = $2", p => TenantAnd(p, tenant, runId), cancellationToken).ConfigureAwait(false);
                    return results;
                },
                cancellationToken).ConfigureAwait(false);

            // The trigger dropped the run's counter and moved the tenant's run list and epoch (migration 10).
            s.Advanced(tenant, ChangeScope.Run(runId), ChangeScope.Runs, ChangeScope.Epoch);
            return deleted;
        }

        public async ValueTask<long> DeleteCachedResponsesOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
        {
            var tenant = s.Tenant;
            return await s.ExecuteAsync(
                "deleting old cached responses",
                $"DELETE FROM {s._s}.response_cache WHERE tenant_id = $1 AND created_at <= $2 AND (created_at, created_at_ns100) < ($2, $3)",
                p =>
                {
                    p.Add(Text(tenant));
                    AddTime(p, before);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }
}
