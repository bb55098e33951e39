using Npgsql;

namespace EvalKit.Storage.Postgres;

/// <content>
/// The change counters (table <c>change_counters</c>, migration 10). Run records advance theirs through a trigger, so every
/// writer of <c>evaluation_runs</c> does (imports, retention, erasure); metric points advance theirs in the appending
/// transaction, as its last statement, so that the counter's row is locked only until the commit. A new counter starts at a
/// random value and then counts up. Counters are always read from the primary.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private ChangeCounterStore? _changeCounters;

    /// <inheritdoc/>
    public IChangeCounterStorage ChangeCounters => _changeCounters ??= new ChangeCounterStore(this);

    /// <summary>Advances counters of a tenant (or creates them at a random value) inside a write transaction.</summary>
    private async ValueTask AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, IReadOnlyList<ChangeScope> scopes, CancellationToken cancellationToken)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        // One statement for every scope, in a fixed order, so that two appenders lock the counters' rows in the same order.
        var names = scopes.Select(x => PostgresValues.Encode(x.Name)!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await CommandAsync(
            connection,
            transaction,
            $"""
            INSERT INTO {_s}.change_counters AS c (tenant_id, scope, value)
            SELECT $1, scope, (random() * 4611686018427387903)::bigint FROM unnest($2::text[]) AS scope
            ON CONFLICT (tenant_id, scope) DO UPDATE SET value = c.value + 1
            """,
            p =>
            {
                p.Add(Text(tenant));
                p.Add(Array(names, NpgsqlTypes.NpgsqlDbType.Text));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises <see cref="IChangeCounterStorage.Advanced"/> after a committed write.</summary>
    private void Advanced(string tenant, params ChangeScope[] scopes) => ((ChangeCounterStore)ChangeCounters).Raise(tenant, scopes);

    private sealed class ChangeCounterStore(PostgresEvalKitStorage s) : IChangeCounterStorage
    {
        public event EventHandler<ChangeCountersAdvancedEventArgs>? Advanced;

        public async ValueTask<IReadOnlyList<long>> ReadAsync(IReadOnlyList<ChangeScope> scopes, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(scopes);
            var values = new long[scopes.Count];
            if (scopes.Count == 0)
            {
                return values;
            }

            // Counters decide whether a cached answer is stale: a lagging replica must never answer.
            using var primary = ReadConsistency.RequirePrimary();
            var tenant = s.Tenant;
            var names = scopes.Select(x => PostgresValues.Encode(x.Name)!).ToArray();
            var wantsEpoch = scopes.Contains(ChangeScope.Epoch);
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            await foreach (var (scope, value) in s.QueryAsync(
                "reading change counters",
                wantsEpoch
                    // The tenant's epoch is created on first read, so that every cached answer is stamped with a value that a
                    // deleted (erased) epoch can never have again.
                    ? $"""
                      WITH epoch AS (
                          INSERT INTO {s._s}.change_counters (tenant_id, scope, value)
                          SELECT $1, 'epoch', (random() * 4611686018427387903)::bigint
                          WHERE NOT EXISTS (SELECT 1 FROM {s._s}.change_counters WHERE tenant_id = $1 AND scope = 'epoch')
                          ON CONFLICT (tenant_id, scope) DO NOTHING
                          RETURNING scope, value)
                      SELECT scope, value FROM {s._s}.change_counters WHERE tenant_id = $1 AND scope = ANY($2)
                      UNION ALL SELECT scope, value FROM epoch
                      """
                    : $"SELECT scope, value FROM {s._s}.change_counters WHERE tenant_id = $1 AND scope = ANY($2)",
                p =>
                {
                    p.Add(Text(tenant));
                    p.Add(Array(names, NpgsqlTypes.NpgsqlDbType.Text));
                },
                r => (r.GetString(0), r.GetInt64(1)),
                cancellationToken).ConfigureAwait(false))
            {
                found[scope] = value;
            }

            for (var i = 0; i < scopes.Count; i++)
            {
                values[i] = found.GetValueOrDefault(names[i]);
            }

            return values;
        }

        public void Raise(string tenant, ChangeScope[] scopes) => Advanced?.Invoke(s, new ChangeCountersAdvancedEventArgs(tenant, scopes));
    }
}
