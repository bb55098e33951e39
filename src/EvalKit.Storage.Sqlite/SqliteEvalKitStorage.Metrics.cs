using System.Globalization;
using System.Text;
using System.Text.Json;
using EvalKit.Metrics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// The metric store. Range reads and aggregates go through the covering index
/// <c>ix_model_metrics_series (tenant_id, model_id, name, timestamp, value)</c>: an aggregate is one index range scan that returns
/// (timestamp, value) in time order, so buckets arrive one after the other and each is sorted in process for its
/// percentiles. This measured faster than letting SQLite group or sort (docs/metrics.md): <c>GROUP BY</c> on the bucket
/// and <c>ORDER BY bucket, value</c> both need a temporary B-tree over every row, and window functions need several.
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    /// <summary>The index the metric range reads and aggregates use.</summary>
    internal const string MetricSeriesIndex = "ix_model_metrics_series";

    /// <summary>The aggregate query for a filter of <paramref name="tagCount"/> tags (parameters $tenant, $model, $name, $from, $to, $tk0, $tv0, ...).</summary>
    internal static string MetricAggregateSql(int tagCount) =>
        "SELECT timestamp, value FROM model_metrics WHERE tenant_id = $tenant AND model_id = $model AND name = $name AND timestamp >= $from AND timestamp < $to"
        + TagFilterSql(tagCount) + " ORDER BY timestamp";

    private static string TagFilterSql(int tagCount)
    {
        var sql = new StringBuilder();
        for (var i = 0; i < tagCount; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM json_each(model_metrics.tags) AS t WHERE t.key = $tk{i} AND t.value = $tv{i})");
        }

        return sql.ToString();
    }

    private static void BindTags(SqliteParameterCollection parameters, IReadOnlyDictionary<string, string> tags)
    {
        var i = 0;
        foreach (var (key, value) in tags)
        {
            parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"$tk{i}"), key);
            parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"$tv{i}"), value);
            i++;
        }
    }

    /// <summary>Runs the aggregate query through SQLitePCL; <see langword="null"/> when the database is locked before the first row.</summary>
    internal static IReadOnlyList<MetricBucket>? ScanDirect(SqliteConnection connection, string tenant, MetricAggregateQuery query, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, MetricAggregateSql(query.Tags.Count), out sqlite3_stmt statement);
        Check(db, rc);
        using (statement)
        {
            Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$tenant"), tenant));
            Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$model"), query.ModelId));
            Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$name"), query.Name));
            Check(db, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$from"), Ticks(query.From)));
            Check(db, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$to"), Ticks(query.To)));
            var i = 0;
            foreach (var (key, value) in query.Tags)
            {
                Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, string.Create(CultureInfo.InvariantCulture, $"$tk{i}")), key));
                Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, string.Create(CultureInfo.InvariantCulture, $"$tv{i}")), value));
                i++;
            }

            var accumulator = new MetricBucketAccumulator(query.Period, query.IncludePercentiles);
            var rows = 0L;
            while (true)
            {
                rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_ROW)
                {
                    if ((++rows & 0xFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    accumulator.Add(raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_double(statement, 1));
                }
                else if (rc == raw.SQLITE_DONE)
                {
                    return accumulator.Complete();
                }
                else if (rows == 0 && rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                {
                    return null;
                }
                else
                {
                    Check(db, rc);
                }
            }
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    /// <summary>Runs the aggregate query through a <see cref="SqliteDataReader"/>, which waits for locks up to the busy timeout.</summary>
    internal static async ValueTask<IReadOnlyList<MetricBucket>> ScanWithReaderAsync(SqliteConnection connection, string tenant, MetricAggregateQuery query, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = MetricAggregateSql(query.Tags.Count);
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$model", query.ModelId);
        command.Parameters.AddWithValue("$name", query.Name);
        command.Parameters.AddWithValue("$from", Ticks(query.From));
        command.Parameters.AddWithValue("$to", Ticks(query.To));
        BindTags(command.Parameters, query.Tags);
        var accumulator = new MetricBucketAccumulator(query.Period, query.IncludePercentiles);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                accumulator.Add(reader.GetInt64(0), reader.GetDouble(1));
            }
        }

        return accumulator.Complete();
    }

    private sealed class MetricStore(SqliteEvalKitStorage s) : IMetricStorage
    {
        public async ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
        {
            MetricValidation.Points(points, nameof(points));
            if (points.Count == 0)
            {
                return;
            }

            var tenant = s.Tenant;
            var scopes = points.Select(p => p.ModelId).Distinct(StringComparer.Ordinal).Select(ChangeScope.ModelMetrics).ToArray();
            await s.InTransactionAsync("appending metric points", async (connection, transaction) =>
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO model_metrics (tenant_id, model_id, name, value, timestamp, run_id, tags) VALUES ($tenant, $model, $name, $value, $at, $run, $tags)";
                insert.Parameters.AddWithValue("$tenant", tenant);
                var model = insert.Parameters.Add("$model", SqliteType.Text);
                var name = insert.Parameters.Add("$name", SqliteType.Text);
                var value = insert.Parameters.Add("$value", SqliteType.Real);
                var at = insert.Parameters.Add("$at", SqliteType.Integer);
                var run = insert.Parameters.Add("$run", SqliteType.Text);
                var tags = insert.Parameters.Add("$tags", SqliteType.Text);
                insert.Prepare();
                foreach (var point in points)
                {
                    model.Value = point.ModelId;
                    name.Value = point.Name;
                    value.Value = point.Value;
                    at.Value = Ticks(point.Timestamp);
                    run.Value = Db(point.RunId);
                    tags.Value = point.Tags.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(new Dictionary<string, string>(point.Tags), Json.DictionaryStringString);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await AdvanceAsync(connection, transaction, tenant, scopes, cancellationToken).ConfigureAwait(false);
                return points.Count;
            }, cancellationToken).ConfigureAwait(false);
            s.Advanced(tenant, scopes);
        }

        public IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            var sql = "SELECT model_id, name, value, timestamp, run_id, tags FROM model_metrics WHERE tenant_id = $tenant AND model_id = $model"
                + (query.Name is null ? string.Empty : " AND name = $name")
                + " AND timestamp >= $from AND timestamp < $to" + TagFilterSql(query.Tags.Count) + " ORDER BY timestamp, id";
            return s.QueryAsync(
                "querying metric points",
                sql,
                p =>
                {
                    p.AddWithValue("$model", query.ModelId);
                    if (query.Name is not null)
                    {
                        p.AddWithValue("$name", query.Name);
                    }

                    p.AddWithValue("$from", Ticks(query.From));
                    p.AddWithValue("$to", Ticks(query.To));
                    BindTags(p, query.Tags);
                },
                r => new MetricPoint
                {
                    ModelId = Text(r, 0),
                    Name = Text(r, 1),
                    Value = r.GetDouble(2),
                    Timestamp = FromTicks(r.GetInt64(3)),
                    RunId = r.IsDBNull(4) ? null : Text(r, 4),
                    Tags = r.IsDBNull(5) ? new Dictionary<string, string>() : JsonSerializer.Deserialize(r.GetString(5), Json.DictionaryStringString)!,
                },
                cancellationToken);
        }

        public async ValueTask<IReadOnlyList<MetricBucket>> AggregateAsync(MetricAggregateQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            if (query.From == query.To)
            {
                return [];
            }

            var tenant = s.Tenant;
            var connection = await s.ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    // SQLite runs synchronously anyway; reading the two columns through SQLitePCL directly halves the cost of a
                    // million-row scan compared with SqliteDataReader. If the database is locked before the first row (rare in WAL
                    // mode), the data reader, which waits for locks up to the busy timeout, does the work instead.
                    return ScanDirect(connection, tenant, query, cancellationToken)
                        ?? await ScanWithReaderAsync(connection, tenant, query, cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException e)
                {
                    throw s.Wrap("aggregating metric points", e);
                }
            }
        }

        public async ValueTask<long> DeleteOlderThanAsync(MetricDeleteQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            var sql = "DELETE FROM model_metrics WHERE tenant_id = $tenant AND timestamp < $before"
                + (query.ModelId is null ? string.Empty : " AND model_id = $model")
                + (query.Name is null ? string.Empty : " AND name = $name");
            var tenant = s.Tenant;
            var deleted = await s.InTransactionAsync(
                "deleting old metric points",
                async (connection, transaction) =>
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("$tenant", tenant);
                    command.Parameters.AddWithValue("$before", Ticks(query.Before));
                    if (query.ModelId is not null)
                    {
                        command.Parameters.AddWithValue("$model", query.ModelId);
                    }

                    if (query.Name is not null)
                    {
                        command.Parameters.AddWithValue("$name", query.Name);
                    }

                    long count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    if (count > 0)
                    {
                        // A delete across models moves the tenant's epoch: every answer about its metrics is recomputed.
                        await AdvanceAsync(connection, transaction, tenant, [ChangeScope.Epoch], cancellationToken).ConfigureAwait(false);
                    }

                    return count;
                },
                cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                s.Advanced(tenant, ChangeScope.Epoch);
            }

            return deleted;
        }
    }
}
