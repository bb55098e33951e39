using Npgsql;

namespace EvalKit.Storage.Postgres;

/// <content>
/// The shards of distributed runs. A claim is one statement: it picks the first claimable shard with
/// <c>FOR UPDATE SKIP LOCKED</c> (workers claiming at the same moment skip each other's rows instead of waiting) and
/// leases it; renewals and completions match the lease's claim number, so a lease that was taken over is dead.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private ShardStore? _shards;

    /// <inheritdoc/>
    public IRunShardStorage Shards => _shards ??= new ShardStore(this);

    private sealed class ShardStore(PostgresEvalKitStorage s) : IRunShardStorage
    {
        private const string Columns =
            "run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, worker_id, lease_expires_at, lease_expires_at_ns100, claims, completed_at, completed_at_ns100";

        /// <summary>A live lease: parameters $1 run, $2 index, $3 claim number, $4 worker, $5 tenant.</summary>
        private const string Held = "tenant_id = $5 AND run_id = $1 AND shard_index = $2 AND state = 1 AND claims = $3 AND worker_id = $4";

        public ValueTask<bool> CreateAsync(IReadOnlyList<RunShard> shards, CancellationToken cancellationToken = default)
        {
            var runId = ShardChecks.SameRun(shards);
            var tenant = s.Tenant;
            return s.InTransactionAsync("creating run shards", async (connection, transaction) =>
            {
                // Creators of the same run's shards take turns; the second finds the first's rows and stores nothing.
                await CommandAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, hashtext($2))", p =>
                {
                    p.Add(Int(PostgresSchema.LockClass));
                    p.Add(Text($"{s.Schema}.run_shards:{tenant}:{runId}"));
                }, cancellationToken).ConfigureAwait(false);
                var exists = await ScalarAsync(
                    connection, transaction, $"SELECT EXISTS (SELECT 1 FROM {s._s}.run_shards WHERE tenant_id = $1 AND run_id = $2)", p => TenantAnd(p, tenant, runId), cancellationToken).ConfigureAwait(false);
                if (exists is true)
                {
                    return false;
                }

                var ordered = shards.OrderBy(x => x.Index).ToArray();
                await CommandAsync(
                    connection,
                    transaction,
                    $"""
                    INSERT INTO {s._s}.run_shards (tenant_id, run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, claims)
                    SELECT $6, $1, i, f, t, z, 0, 0 FROM unnest($2::integer[], $3::bigint[], $4::bigint[], $5::boolean[]) AS shard (i, f, t, z)
                    """,
                    p =>
                    {
                        p.Add(Text(runId));
                        p.Add(Array(ordered.Select(x => x.Index).ToArray(), NpgsqlTypes.NpgsqlDbType.Integer));
                        p.Add(Array(ordered.Select(x => x.FromOrdinal).ToArray(), NpgsqlTypes.NpgsqlDbType.Bigint));
                        p.Add(Array(ordered.Select(x => x.ToOrdinal).ToArray(), NpgsqlTypes.NpgsqlDbType.Bigint));
                        p.Add(Array(ordered.Select(x => x.Finalizes).ToArray(), NpgsqlTypes.NpgsqlDbType.Boolean));
                        p.Add(Text(tenant));
                    },
                    cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken);
        }

        public async ValueTask<ShardLease?> TryClaimAsync(string? runId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            ShardChecks.Claim(workerId, leaseDuration);
            var expires = now + leaseDuration;
            var tenant = s.Tenant;
            var shard = await s.QuerySingleAsync(
                "claiming a run shard",
                $"""
                UPDATE {s._s}.run_shards AS t
                SET state = 1, worker_id = $2, lease_expires_at = $3, lease_expires_at_ns100 = $4, claims = t.claims + 1
                FROM (
                    SELECT c.run_id, c.shard_index FROM {s._s}.run_shards AS c
                    WHERE c.tenant_id = $7 AND ($1::text IS NULL OR c.run_id = $1)
                      AND (c.state = 0 OR (c.state = 1 AND (c.lease_expires_at, c.lease_expires_at_ns100) < ($5, $6)))
                      AND (NOT c.finalizes OR NOT EXISTS (
                          SELECT 1 FROM {s._s}.run_shards AS o WHERE o.tenant_id = c.tenant_id AND o.run_id = c.run_id AND NOT o.finalizes AND o.state <> 2))
                    ORDER BY c.run_id, c.shard_index
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                ) AS pick
                WHERE t.tenant_id = $7 AND t.run_id = pick.run_id AND t.shard_index = pick.shard_index
                RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "t." + c))}
                """,
                p =>
                {
                    p.Add(Text(runId));
                    p.Add(Text(workerId));
                    AddTime(p, expires);
                    AddTime(p, now);
                    p.Add(Text(tenant));
                },
                Read,
                cancellationToken).ConfigureAwait(false);
            return shard is null ? null : new ShardLease(shard, workerId, shard.Claims, expires);
        }

        public async ValueTask<ShardLease?> RenewAsync(ShardLease lease, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(lease);
            var expires = now + leaseDuration;
            var tenant = s.Tenant;
            var shard = await s.QuerySingleAsync(
                "renewing a shard lease",
                $"UPDATE {s._s}.run_shards SET lease_expires_at = $6, lease_expires_at_ns100 = $7 WHERE {Held} RETURNING {Columns}",
                p =>
                {
                    BindLease(p, lease, tenant);
                    AddTime(p, expires);
                },
                Read,
                cancellationToken).ConfigureAwait(false);
            return shard is null ? null : lease with { Shard = shard, ExpiresAt = expires };
        }

        public async ValueTask<bool> CompleteAsync(ShardLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(lease);
            var tenant = s.Tenant;
            return await s.ExecuteAsync(
                "completing a run shard",
                $"UPDATE {s._s}.run_shards SET state = 2, lease_expires_at = NULL, lease_expires_at_ns100 = NULL, completed_at = $6, completed_at_ns100 = $7 WHERE {Held}",
                p =>
                {
                    BindLease(p, lease, tenant);
                    AddTime(p, now);
                },
                cancellationToken).ConfigureAwait(false) == 1;
        }

        public async ValueTask<ShardCounts> CountAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            await foreach (var counts in s.QueryAsync(
                "counting run shards",
                $"SELECT count(*) FILTER (WHERE state = 0), count(*) FILTER (WHERE state = 1), count(*) FILTER (WHERE state = 2) FROM {s._s}.run_shards WHERE tenant_id = $1 AND run_id = $2",
                p => TenantAnd(p, tenant, runId),
                r => new ShardCounts((int)r.GetInt64(0), (int)r.GetInt64(1), (int)r.GetInt64(2)),
                cancellationToken).ConfigureAwait(false))
            {
                return counts;
            }

            return default;
        }

        public IAsyncEnumerable<RunShard> ListAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            return s.QueryAsync(
                "listing run shards",
                $"SELECT {Columns} FROM {s._s}.run_shards WHERE tenant_id = $1 AND run_id = $2 ORDER BY shard_index",
                p => TenantAnd(p, tenant, runId),
                Read,
                cancellationToken);
        }

        private static void BindLease(NpgsqlParameterCollection p, ShardLease lease, string tenant)
        {
            p.Add(Text(lease.Shard.RunId));
            p.Add(Int(lease.Shard.Index));
            p.Add(Int(lease.Claim));
            p.Add(Text(lease.WorkerId));
            p.Add(Text(tenant));
        }

        private static RunShard Read(NpgsqlDataReader r) => new()
        {
            RunId = ReadText(r, 0),
            Index = r.GetInt32(1),
            FromOrdinal = r.GetInt64(2),
            ToOrdinal = r.GetInt64(3),
            Finalizes = r.GetBoolean(4),
            State = (ShardState)r.GetInt16(5),
            WorkerId = ReadNullableText(r, 6),
            LeaseExpiresAt = r.IsDBNull(7) ? null : ReadTime(r, 7),
            Claims = r.GetInt32(9),
            CompletedAt = r.IsDBNull(10) ? null : ReadTime(r, 10),
        };
    }
}
