using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using EvalKit.Projects;
using Npgsql;
using NpgsqlTypes;

namespace EvalKit.Storage.Postgres;

/// <content>
/// Usage aggregates (cost accounting, budgets): the server sums each run's results (costs are <c>numeric</c>, summed
/// exactly) and the usage that scorers recorded in the scores JSON, so that only one row per run (and day) leaves it.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    private UsageStore? _usage;

    /// <inheritdoc/>
    public IUsageStorage Usage => _usage ??= new UsageStore(this);

    private sealed class UsageStore(PostgresEvalKitStorage s) : IUsageStorage
    {
        // A result counts as a call when its model call returned an answer that did not come from the cache.
        private const string Call = "error_category IS NULL AND NOT cached";

        public async IAsyncEnumerable<RunUsage> AggregateAsync(UsageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(query);
            query.Validate(nameof(query));
            var tenant = s.Tenant;
            var day = query.ByDay ? "(completed_at AT TIME ZONE 'UTC')::date" : "NULL::date";
            var evaluation = $"""
                SELECT run_id, {day}, NULL::text,
                    count(*) FILTER (WHERE {Call}),
                    count(*) FILTER (WHERE error_category IS NULL AND cached),
                    count(*) FILTER (WHERE error_category IS NOT NULL),
                    COALESCE(sum(input_tokens) FILTER (WHERE {Call}), 0)::bigint,
                    COALESCE(sum(output_tokens) FILTER (WHERE {Call}), 0)::bigint,
                    COALESCE(sum(cost) FILTER (WHERE {Call}), 0),
                    count(*) FILTER (WHERE {Call} AND cost IS NULL),
                    count(*) FILTER (WHERE {Call} AND input_tokens IS NULL AND output_tokens IS NULL)
                FROM {s._s}.evaluation_results
                WHERE tenant_id = $1{Filters(query, string.Empty)}
                GROUP BY 1, 2
                """;

            // Scores that recorded usage: a cheap text test skips the others before any JSON is parsed.
            var calls = "COALESCE((u.value ->> 'calls')::bigint, 1)";
            var scorers = $"""
                SELECT r.run_id, {(query.ByDay ? "(r.completed_at AT TIME ZONE 'UTC')::date" : "NULL::date")}, u.value ->> 'kind',
                    sum({calls})::bigint,
                    0::bigint,
                    0::bigint,
                    COALESCE(sum((u.value ->> 'inputTokens')::bigint), 0)::bigint,
                    COALESCE(sum((u.value ->> 'outputTokens')::bigint), 0)::bigint,
                    COALESCE(sum((u.value ->> 'cost')::numeric), 0),
                    COALESCE(sum({calls}) FILTER (WHERE u.value -> 'cost' IS NULL), 0)::bigint,
                    COALESCE(sum({calls}) FILTER (WHERE u.value -> 'inputTokens' IS NULL AND u.value -> 'outputTokens' IS NULL), 0)::bigint
                FROM {s._s}.evaluation_results AS r
                    CROSS JOIN LATERAL json_array_elements(r.scores) AS sc(value)
                    CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(sc.value -> 'usage') = 'array' THEN sc.value -> 'usage' ELSE '[]'::json END) AS u(value)
                WHERE r.tenant_id = $1 AND strpos(r.scores::text, '"usage"') > 0{Filters(query, "r.")}
                GROUP BY 1, 2, 3
                """;

            var rows = new Dictionary<(string Run, DateOnly? Day), RunUsage>();
            foreach (var (sql, operation) in new[] { (evaluation, "aggregating usage"), (scorers, "aggregating scorer usage") })
            {
                await foreach (var (run, d, kind, totals) in s.ReadQueryAsync(operation, sql, p => Bind(p, tenant, query), Read, cancellationToken).ConfigureAwait(false))
                {
                    var row = rows.GetValueOrDefault((run, d)) ?? new RunUsage { RunId = run, Day = d };
                    rows[(run, d)] = kind switch
                    {
                        null => row with { Evaluation = row.Evaluation + totals },
                        nameof(Scoring.ScoreUsageKind.Embedding) => row with { Embedding = row.Embedding + totals },
                        _ => row with { Judge = row.Judge + totals },
                    };
                }
            }

            foreach (var row in rows.Values)
            {
                yield return row;
            }
        }

        // Columns: run, day, kind, calls, cached, failed, input, output, cost, unknown-cost calls, calls without usage.
        private static (string Run, DateOnly? Day, string? Kind, UsageTotals Totals) Read(NpgsqlDataReader r) =>
            (ReadText(r, 0),
             r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1),
             r.IsDBNull(2) ? null : r.GetString(2),
             new UsageTotals
             {
                 Calls = r.GetInt64(3),
                 CachedCalls = r.GetInt64(4),
                 FailedCalls = r.GetInt64(5),
                 InputTokens = r.GetInt64(6),
                 OutputTokens = r.GetInt64(7),
                 Cost = r.GetDecimal(8),
                 UnknownCostCalls = r.GetInt64(9),
                 CallsWithoutUsage = r.GetInt64(10),
             });

        // Parameters: $1 tenant, $2 project, $3 model, $4 run ids, $5 and $6 from, $7 and $8 to (the time and its 100 ns ticks
        // below the microsecond; each bound, used only when set).
        private string Filters(UsageQuery query, string alias)
        {
            var sql = new StringBuilder();
            if (query.ProjectId is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}run_id IN (SELECT id FROM {s._s}.evaluation_runs WHERE tenant_id = $1 AND project_id = $2)");
            }

            if (query.ModelId is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}run_id IN (SELECT id FROM {s._s}.evaluation_runs WHERE tenant_id = $1 AND model_id = $3)");
            }

            if (query.RunIds is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}run_id = ANY($4)");
            }

            if (query.From is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND ({alias}completed_at, {alias}completed_at_ns100) >= ($5, $6)");
            }

            if (query.To is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND ({alias}completed_at, {alias}completed_at_ns100) < ($7, $8)");
            }

            return sql.ToString();
        }

        private static void AddBound(NpgsqlParameterCollection p, DateTimeOffset? bound)
        {
            if (bound is { } value)
            {
                AddTime(p, value);
            }
            else
            {
                p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = DBNull.Value });
                p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = DBNull.Value });
            }
        }

        private static void Bind(NpgsqlParameterCollection p, string tenant, UsageQuery query)
        {
            p.Add(Text(tenant));
            p.Add(Text(query.ProjectId));
            p.Add(Text(query.ModelId));
            p.Add(Array((query.RunIds ?? []).Select(PostgresValues.Encode).ToArray(), NpgsqlDbType.Text));
            AddBound(p, query.From);
            AddBound(p, query.To);
        }
    }
}
