using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// The change counters (table <c>change_counters</c>, migration 11). Run records advance theirs through triggers, so every
/// writer of <c>evaluation_runs</c> does (imports, retention, erasure); metric points advance theirs in the appending
/// transaction. A new counter starts at a random value and then counts up.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    /// <summary>Advances the counter named <c>$scope</c> of <c>$tenant</c> (or creates it at a random value).</summary>
    internal const string AdvanceCounterSql =
        "INSERT INTO change_counters (tenant_id, scope, value) VALUES ($tenant, $scope, random() >> 2) ON CONFLICT (tenant_id, scope) DO UPDATE SET value = value + 1";

    private ChangeCounterStore? _changeCounters;

    /// <inheritdoc/>
    public IChangeCounterStorage ChangeCounters => _changeCounters ??= new ChangeCounterStore(this);

    /// <summary>Raises <see cref="IChangeCounterStorage.Advanced"/> after a committed write.</summary>
    private void Advanced(string tenant, params ChangeScope[] scopes) => ((ChangeCounterStore)ChangeCounters).Raise(tenant, scopes);

    /// <summary>Advances counters inside a write transaction.</summary>
    private static async ValueTask AdvanceAsync(SqliteConnection connection, SqliteTransaction transaction, string tenant, IEnumerable<ChangeScope> scopes, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AdvanceCounterSql;
        command.Parameters.AddWithValue("$tenant", tenant);
        var scope = command.Parameters.Add("$scope", SqliteType.Text);
        foreach (var item in scopes)
        {
            scope.Value = item.Name;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class ChangeCounterStore(SqliteEvalKitStorage s) : IChangeCounterStorage
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

            var found = await ReadFoundAsync(scopes, cancellationToken).ConfigureAwait(false);
            if (!found.ContainsKey(ChangeScope.Epoch.Name) && scopes.Contains(ChangeScope.Epoch))
            {
                // The tenant's epoch is created on first read, so that every cached answer is stamped with a value that a
                // deleted (erased) epoch can never have again.
                await s.ExecuteAsync(
                    "creating the tenant's change epoch",
                    "INSERT INTO change_counters (tenant_id, scope, value) VALUES ($tenant, 'epoch', random() >> 2) ON CONFLICT (tenant_id, scope) DO NOTHING",
                    _ => { },
                    cancellationToken).ConfigureAwait(false);
                found = await ReadFoundAsync(scopes, cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < scopes.Count; i++)
            {
                values[i] = found.GetValueOrDefault(scopes[i].Name);
            }

            return values;
        }

        public void Raise(string tenant, ChangeScope[] scopes) => Advanced?.Invoke(s, new ChangeCountersAdvancedEventArgs(tenant, scopes));

        private async ValueTask<Dictionary<string, long>> ReadFoundAsync(IReadOnlyList<ChangeScope> scopes, CancellationToken cancellationToken)
        {
            var names = string.Join(", ", Enumerable.Range(0, scopes.Count).Select(i => "$s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            await foreach (var (scope, value) in s.QueryAsync(
                "reading change counters",
                $"SELECT scope, value FROM change_counters WHERE tenant_id = $tenant AND scope IN ({names})",
                p =>
                {
                    for (var i = 0; i < scopes.Count; i++)
                    {
                        p.AddWithValue("$s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), scopes[i].Name);
                    }
                },
                r => (r.GetString(0), r.GetInt64(1)),
                cancellationToken).ConfigureAwait(false))
            {
                found[scope] = value;
            }

            return found;
        }
    }
}
