using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// The shards of distributed runs. Every claim, renewal and completion is one statement (a claim: an UPDATE of the first
/// claimable row, RETURNING it), and SQLite runs one writer at a time, so two workers, in one process or several sharing
/// the file, never hold a live lease on the same shard.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    /// <inheritdoc/>
    public IRunShardStorage Shards => _shards ??= new ShardStore(this);

    private ShardStore? _shards;

    private sealed class ShardStore(SqliteEvalKitStorage s) : IRunShardStorage
    {
        private const string Columns = "run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, worker_id, lease_expires_at, claims, completed_at";

        // The finalizing shard is claimable only when no other shard of its run is not done.
        private const string Claimable = """
            (state = 0 OR (state = 1 AND lease_expires_at < $now))
            AND (finalizes = 0 OR NOT EXISTS (SELECT 1 FROM run_shards o WHERE o.tenant_id = run_shards.tenant_id AND o.run_id = run_shards.run_id AND o.finalizes = 0 AND o.state <> 2))
            """;

        public ValueTask<bool> CreateAsync(IReadOnlyList<RunShard> shards, CancellationToken cancellationToken = default)
        {
            var runId = ShardChecks.SameRun(shards);
            var tenant = s.Tenant;
            return s.InTransactionAsync(
                "creating run shards",
                async (connection, transaction) =>
                {
                    using (var exists = connection.CreateCommand())
                    {
                        exists.Transaction = transaction;
                        exists.CommandText = "SELECT EXISTS (SELECT 1 FROM run_shards WHERE tenant_id = $tenant AND run_id = $run)";
                        exists.Parameters.AddWithValue("$tenant", tenant);
                        exists.Parameters.AddWithValue("$run", runId);
                        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1)
                        {
                            return false;
                        }
                    }

                    using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO run_shards (tenant_id, run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, claims) VALUES ($tenant, $run, $index, $from, $to, $finalizes, 0, 0)";
                    insert.Parameters.AddWithValue("$tenant", tenant);
                    insert.Parameters.AddWithValue("$run", runId);
                    var index = insert.Parameters.Add("$index", SqliteType.Integer);
                    var from = insert.Parameters.Add("$from", SqliteType.Integer);
                    var to = insert.Parameters.Add("$to", SqliteType.Integer);
                    var finalizes = insert.Parameters.Add("$finalizes", SqliteType.Integer);
                    foreach (var shard in shards)
                    {
                        index.Value = shard.Index;
                        from.Value = shard.FromOrdinal;
                        to.Value = shard.ToOrdinal;
                        finalizes.Value = shard.Finalizes ? 1 : 0;
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return true;
                },
                cancellationToken);
        }

        public async ValueTask<ShardLease?> TryClaimAsync(string? runId, string workerId, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            ShardChecks.Claim(workerId, leaseDuration);
            var expires = now + leaseDuration;
            var shard = await s.QuerySingleAsync(
                "claiming a run shard",
                $"""
                UPDATE run_shards SET state = 1, worker_id = $worker, lease_expires_at = $expires, claims = claims + 1
                WHERE rowid = (
                    SELECT rowid FROM run_shards
                    WHERE tenant_id = $tenant AND ($run IS NULL OR run_id = $run) AND {Claimable}
                    ORDER BY run_id, shard_index LIMIT 1)
                RETURNING {Columns}
                """,
                p =>
                {
                    p.AddWithValue("$run", (object?)runId ?? DBNull.Value);
                    p.AddWithValue("$worker", workerId);
                    p.AddWithValue("$expires", Ticks(expires));
                    p.AddWithValue("$now", Ticks(now));
                },
                Read,
                cancellationToken).ConfigureAwait(false);
            return shard is null ? null : new ShardLease(shard, workerId, shard.Claims, expires);
        }

        public async ValueTask<ShardLease?> RenewAsync(ShardLease lease, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(lease);
            var expires = now + leaseDuration;
            var shard = await s.QuerySingleAsync(
                "renewing a shard lease",
                $"UPDATE run_shards SET lease_expires_at = $expires WHERE {Held} RETURNING {Columns}",
                p =>
                {
                    BindLease(p, lease);
                    p.AddWithValue("$expires", Ticks(expires));
                },
                Read,
                cancellationToken).ConfigureAwait(false);
            return shard is null ? null : lease with { Shard = shard, ExpiresAt = expires };
        }

        public async ValueTask<bool> CompleteAsync(ShardLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(lease);
            return await s.ExecuteAsync(
                "completing a run shard",
                $"UPDATE run_shards SET state = 2, lease_expires_at = NULL, completed_at = $at WHERE {Held}",
                p =>
                {
                    BindLease(p, lease);
                    p.AddWithValue("$at", Ticks(now));
                },
                cancellationToken).ConfigureAwait(false) == 1;
        }

        public async ValueTask<ShardCounts> CountAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            await foreach (var counts in s.QueryAsync(
                "counting run shards",
                "SELECT COUNT(*) FILTER (WHERE state = 0), COUNT(*) FILTER (WHERE state = 1), COUNT(*) FILTER (WHERE state = 2) FROM run_shards WHERE tenant_id = $tenant AND run_id = $run",
                p => p.AddWithValue("$run", runId),
                r => new ShardCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)),
                cancellationToken).ConfigureAwait(false))
            {
                return counts;
            }

            return default;
        }

        public IAsyncEnumerable<RunShard> ListAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            return s.QueryAsync(
                "listing run shards",
                $"SELECT {Columns} FROM run_shards WHERE tenant_id = $tenant AND run_id = $run ORDER BY shard_index",
                p => p.AddWithValue("$run", runId),
                Read,
                cancellationToken);
        }

        private const string Held = "tenant_id = $tenant AND run_id = $run AND shard_index = $index AND state = 1 AND claims = $claim AND worker_id = $worker";

        private static void BindLease(SqliteParameterCollection p, ShardLease lease)
        {
            p.AddWithValue("$run", lease.Shard.RunId);
            p.AddWithValue("$index", lease.Shard.Index);
            p.AddWithValue("$claim", lease.Claim);
            p.AddWithValue("$worker", lease.WorkerId);
        }

        private static RunShard Read(SqliteDataReader r) => new()
        {
            RunId = r.GetString(0),
            Index = r.GetInt32(1),
            FromOrdinal = r.GetInt64(2),
            ToOrdinal = r.GetInt64(3),
            Finalizes = r.GetInt64(4) != 0,
            State = (ShardState)r.GetInt32(5),
            WorkerId = r.IsDBNull(6) ? null : r.GetString(6),
            LeaseExpiresAt = r.IsDBNull(7) ? null : FromTicks(r.GetInt64(7)),
            Claims = r.GetInt32(8),
            CompletedAt = r.IsDBNull(9) ? null : FromTicks(r.GetInt64(9)),
        };
    }
}
