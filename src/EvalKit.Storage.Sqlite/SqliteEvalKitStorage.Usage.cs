using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EvalKit.Projects;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// Usage aggregates (cost accounting, budgets): the store sums each run's results, and the usage that scorers recorded in
/// the scores JSON, so that only one row per run (and day) leaves it. Costs are stored as decimal text and summed by
/// <c>evalkit_sum_decimal</c>, an aggregate function registered on the connection, so that no cost passes through a
/// binary floating point number.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    private UsageStore? _usage;

    /// <inheritdoc/>
    public IUsageStorage Usage => _usage ??= new UsageStore(this);

    private sealed class UsageStore(SqliteEvalKitStorage s) : IUsageStorage
    {
        private const long TicksPerDay = TimeSpan.TicksPerDay;

        // A result counts as a call when its model call returned an answer that did not come from the cache.
        private const string Call = "error_category IS NULL AND cached = 0";

        public async IAsyncEnumerable<RunUsage> AggregateAsync(UsageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(query);
            query.Validate(nameof(query));
            var tenant = s.Tenant;
            var rows = new Dictionary<(string Run, long? Day), RunUsage>();
            var connection = await s.ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                connection.CreateAggregate(
                    "evalkit_sum_decimal",
                    0m,
                    static (decimal sum, string value) => sum + decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                    static sum => sum.ToString(CultureInfo.InvariantCulture),
                    isDeterministic: true);
                var day = query.ByDay ? $"completed_at / {TicksPerDay}" : "NULL";
                var evaluation = $"""
                    SELECT run_id, {day},
                        SUM(CASE WHEN {Call} THEN 1 ELSE 0 END),
                        SUM(CASE WHEN error_category IS NULL AND cached <> 0 THEN 1 ELSE 0 END),
                        SUM(CASE WHEN error_category IS NOT NULL THEN 1 ELSE 0 END),
                        SUM(CASE WHEN {Call} THEN COALESCE(input_tokens, 0) ELSE 0 END),
                        SUM(CASE WHEN {Call} THEN COALESCE(output_tokens, 0) ELSE 0 END),
                        evalkit_sum_decimal(CASE WHEN {Call} THEN COALESCE(cost, '0') ELSE '0' END),
                        SUM(CASE WHEN {Call} AND cost IS NULL THEN 1 ELSE 0 END),
                        SUM(CASE WHEN {Call} AND input_tokens IS NULL AND output_tokens IS NULL THEN 1 ELSE 0 END)
                    FROM evaluation_results
                    WHERE tenant_id = $tenant{Filters(query, string.Empty)}
                    GROUP BY 1, 2
                    """;
                await foreach (var (run, d, totals, _) in ReadRowsAsync(connection, "aggregating usage", evaluation, tenant, query, kind: false, cancellationToken).ConfigureAwait(false))
                {
                    rows[(run, d)] = new RunUsage { RunId = run, Day = DayOf(d), Evaluation = totals };
                }

                // Scores that recorded usage: a cheap text test skips the others before any JSON is parsed.
                var calls = "COALESCE(u.value ->> '$.calls', 1)";
                var scorers = $"""
                    SELECT r.run_id, {(query.ByDay ? $"r.completed_at / {TicksPerDay}" : "NULL")}, u.value ->> '$.kind',
                        SUM({calls}),
                        0,
                        0,
                        SUM(COALESCE(u.value ->> '$.inputTokens', 0)),
                        SUM(COALESCE(u.value ->> '$.outputTokens', 0)),
                        evalkit_sum_decimal(COALESCE(u.value -> '$.cost', '0')),
                        SUM(CASE WHEN u.value -> '$.cost' IS NULL THEN {calls} ELSE 0 END),
                        SUM(CASE WHEN u.value -> '$.inputTokens' IS NULL AND u.value -> '$.outputTokens' IS NULL THEN {calls} ELSE 0 END)
                    FROM evaluation_results AS r, json_each(r.scores) AS sc, json_each(sc.value, '$.usage') AS u
                    WHERE r.tenant_id = $tenant AND instr(r.scores, '"usage"') > 0{Filters(query, "r.")}
                    GROUP BY 1, 2, 3
                    """;
                await foreach (var (run, d, totals, kind) in ReadRowsAsync(connection, "aggregating scorer usage", scorers, tenant, query, kind: true, cancellationToken).ConfigureAwait(false))
                {
                    var row = rows.GetValueOrDefault((run, d)) ?? new RunUsage { RunId = run, Day = DayOf(d) };
                    rows[(run, d)] = kind == nameof(Scoring.ScoreUsageKind.Embedding)
                        ? row with { Embedding = row.Embedding + totals }
                        : row with { Judge = row.Judge + totals };
                }
            }

            foreach (var row in rows.Values)
            {
                yield return row;
            }
        }

        private static DateOnly? DayOf(long? day) => day is { } d ? DateOnly.FromDayNumber(checked((int)d)) : null;

        private static string Filters(UsageQuery query, string alias)
        {
            var sql = new StringBuilder();
            if (query.ProjectId is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}run_id IN (SELECT id FROM evaluation_runs WHERE tenant_id = $tenant AND project_id = $project)");
            }

            if (query.ModelId is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}run_id IN (SELECT id FROM evaluation_runs WHERE tenant_id = $tenant AND model_id = $model)");
            }

            if (query.RunIds is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}run_id IN (SELECT value FROM json_each($runs))");
            }

            if (query.From is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}completed_at >= $from");
            }

            if (query.To is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}completed_at < $to");
            }

            return sql.ToString();
        }

        private static void Bind(SqliteParameterCollection p, string tenant, UsageQuery query)
        {
            p.AddWithValue("$tenant", tenant);
            if (query.ProjectId is not null)
            {
                AddText(p, "$project", query.ProjectId);
            }

            if (query.ModelId is not null)
            {
                AddText(p, "$model", query.ModelId);
            }

            if (query.RunIds is { } runIds)
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartArray();
                    foreach (var id in runIds)
                    {
                        writer.WriteStringValue(id);
                    }

                    writer.WriteEndArray();
                }

                p.AddWithValue("$runs", Encoding.UTF8.GetString(buffer.ToArray()));
            }

            if (query.From is { } from)
            {
                p.AddWithValue("$from", Ticks(from));
            }

            if (query.To is { } to)
            {
                p.AddWithValue("$to", Ticks(to));
            }
        }

        // Columns: run, day, [kind,] calls, cached, failed, input, output, cost, unknown-cost calls, calls without usage.
        // The kind column is there for scorer usage (judge or embedding); the evaluation query has none.
        private async IAsyncEnumerable<(string Run, long? Day, UsageTotals Totals, string? Kind)> ReadRowsAsync(
            SqliteConnection connection, string operation, string sql, string tenant, UsageQuery query, bool kind, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            Bind(command.Parameters, tenant, query);
            SqliteDataReader reader;
            try
            {
                reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw s.Wrap(operation, e);
            }

            await using (reader.ConfigureAwait(false))
            {
                var o = kind ? 3 : 2;
                while (true)
                {
                    try
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (SqliteException e)
                    {
                        throw s.Wrap(operation, e);
                    }

                    var totals = new UsageTotals
                    {
                        Calls = reader.GetInt64(o),
                        CachedCalls = reader.GetInt64(o + 1),
                        FailedCalls = reader.GetInt64(o + 2),
                        InputTokens = reader.GetInt64(o + 3),
                        OutputTokens = reader.GetInt64(o + 4),
                        Cost = decimal.Parse(reader.GetString(o + 5), NumberStyles.Float, CultureInfo.InvariantCulture),
                        UnknownCostCalls = reader.GetInt64(o + 6),
                        CallsWithoutUsage = reader.GetInt64(o + 7),
                    };
                    yield return (Text(reader, 0), reader.IsDBNull(1) ? null : reader.GetInt64(1), totals, kind ? reader.GetString(2) : null);
                }
            }
        }
    }
}
