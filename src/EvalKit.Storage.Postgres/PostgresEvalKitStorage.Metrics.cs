using System.Text.Json;
using EvalKit.Metrics;
using Npgsql;
using NpgsqlTypes;

namespace EvalKit.Storage.Postgres;

/// <content>
/// The metric store over the month-partitioned <c>model_metrics</c>. Range reads and aggregates name a tenant, a model and
/// a metric and bound "timestamp", so they prune partitions and scan <c>ix_model_metrics_series</c> (which leads with the
/// tenant); aggregates run in SQL and return one row per bucket.
/// </content>
public sealed partial class PostgresEvalKitStorage
{
    /// <summary>The origin of bucket boundaries: 0001-01-01T00:00Z, a Monday, where <see cref="DateTimeOffset"/>'s ticks start.</summary>
    private const string BucketOrigin = "TIMESTAMPTZ '0001-01-01 00:00:00+00'";

    private sealed class MetricStore(PostgresEvalKitStorage s) : IMetricStorage
    {
        private const string Columns = "model_id, name, value, \"timestamp\", timestamp_ns100, run_id, tags";

        /// <summary>The percentiles an aggregate reports, as fractions (the same doubles <c>Descriptive</c> computes from 50, 95 and 99).</summary>
        private static readonly double[] Percentiles = [50 / 100.0, 95 / 100.0, 99 / 100.0];

        public async ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
        {
            MetricValidation.Points(points, nameof(points));
            if (points.Count == 0)
            {
                return;
            }

            var tenant = s.Tenant;
            await s.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await s.EnsurePartitionsAsync([.. points.Select(p => PostgresValues.MonthOf(p.Timestamp))], cancellationToken).ConfigureAwait(false);

            // One COPY is one statement: all the points are stored or none, and PostgreSQL routes each row to its month's
            // partition. Points have no natural key (two equal observations are two points): they are appended, as in the
            // other providers; ids come from one sequence in COPY order, which orders points with equal times.
            var scopes = points.Select(p => p.ModelId).Distinct(StringComparer.Ordinal).Select(ChangeScope.ModelMetrics).ToArray();
            await s.InTransactionAsync("appending metric points", async (connection, transaction) =>
            {
                long written;
                var importer = await connection.BeginBinaryImportAsync($"COPY {s._s}.model_metrics (tenant_id, {Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
                await using (importer.ConfigureAwait(false))
                {
                    foreach (var point in points)
                    {
                        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(tenant, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await WriteTextAsync(importer, point.ModelId, cancellationToken).ConfigureAwait(false);
                        await WriteTextAsync(importer, point.Name, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(point.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                        await WriteTimeAsync(importer, point.Timestamp, cancellationToken).ConfigureAwait(false);
                        await WriteTextAsync(importer, point.RunId, cancellationToken).ConfigureAwait(false);
                        if (point.Tags.Count == 0)
                        {
                            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await importer.WriteAsync(TagsJson(point.Tags), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    written = (long)await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }

                // Last, so that the counters' rows stay locked only until the commit.
                await s.AdvanceAsync(connection, transaction, tenant, scopes, cancellationToken).ConfigureAwait(false);
                return written;
            }, cancellationToken).ConfigureAwait(false);
            s.Advanced(tenant, scopes);
        }

        public IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            var tenant = s.Tenant;
            var sql = $"""
                SELECT {Columns} FROM {s._s}.model_metrics
                WHERE {Filter(query.Name is not null, query.Tags.Count > 0)}
                ORDER BY "timestamp", timestamp_ns100, id
                """;
            return s.ReadQueryAsync(
                "querying metric points",
                sql,
                p => BindFilter(p, tenant, query.ModelId, query.Name, query.From, query.To, query.Tags),
                r => new MetricPoint
                {
                    ModelId = ReadText(r, 0),
                    Name = ReadText(r, 1),
                    Value = r.GetDouble(2),
                    Timestamp = ReadTime(r, 3),
                    RunId = ReadNullableText(r, 5),
                    Tags = r.IsDBNull(6) ? new Dictionary<string, string>() : ReadTags(r.GetString(6)),
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

            var length = MetricBuckets.Length(query.Period);
            var buckets = new List<MetricBucket>();
            var tenant = s.Tenant;
            await foreach (var bucket in s.ReadQueryAsync(
                "aggregating metric points",
                AggregateSql(query.Tags.Count > 0, query.IncludePercentiles),
                p =>
                {
                    BindFilter(p, tenant, query.ModelId, query.Name, query.From, query.To, query.Tags);
                    p.Add(new NpgsqlParameter<TimeSpan> { NpgsqlDbType = NpgsqlDbType.Interval, TypedValue = length });
                    if (query.IncludePercentiles)
                    {
                        p.Add(Array(Percentiles, NpgsqlDbType.Double));
                    }
                },
                r => ReadBucket(r, length, query.IncludePercentiles),
                cancellationToken).ConfigureAwait(false))
            {
                buckets.Add(bucket);
            }

            return buckets;
        }

        public async ValueTask<long> DeleteOlderThanAsync(MetricDeleteQuery query, CancellationToken cancellationToken = default)
        {
            MetricValidation.Query(query, nameof(query));
            var tenant = s.Tenant;
            var sql = $"""
                DELETE FROM {s._s}.model_metrics
                WHERE tenant_id = $1 AND "timestamp" <= $2 AND ("timestamp", timestamp_ns100) < ($2, $3)
                {(query.ModelId is null ? string.Empty : "AND model_id = $4")}
                {(query.Name is null ? string.Empty : query.ModelId is null ? "AND name = $4" : "AND name = $5")}
                """;
            var deleted = await s.InTransactionAsync(
                "deleting old metric points",
                async (connection, transaction) =>
                {
                    long count = await CommandAsync(
                        connection,
                        transaction,
                        sql,
                        p =>
                        {
                            p.Add(Text(tenant));
                            AddTime(p, query.Before);
                            if (query.ModelId is not null)
                            {
                                p.Add(Text(query.ModelId));
                            }

                            if (query.Name is not null)
                            {
                                p.Add(Text(query.Name));
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                    if (count > 0)
                    {
                        // A delete across models moves the tenant's epoch: every answer about its metrics is recomputed.
                        await s.AdvanceAsync(connection, transaction, tenant, [ChangeScope.Epoch], cancellationToken).ConfigureAwait(false);
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

        /// <summary>
        /// The WHERE clause of reads and aggregates, over parameters $1 tenant, $2 model, $3–$4 from, $5–$6 to, then $7 name
        /// and the tags (as a jsonb document that a point's tags must contain) when present. "timestamp" alone bounds the range
        /// so that the planner prunes partitions; the row comparisons with the ticks make the range exactly [from, to).
        /// </summary>
        private static string Filter(bool hasName, bool hasTags) =>
            $"""
            tenant_id = $1 AND model_id = $2 AND "timestamp" >= $3 AND "timestamp" <= $5
              AND ("timestamp", timestamp_ns100) >= ($3, $4) AND ("timestamp", timestamp_ns100) < ($5, $6)
              {(hasName ? "AND name = $7" : string.Empty)}
              {(hasTags ? (hasName ? "AND tags @> $8" : "AND tags @> $7") : string.Empty)}
            """;

        private static void BindFilter(
            NpgsqlParameterCollection p, string tenant, string modelId, string? name, DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, string> tags)
        {
            p.Add(Text(tenant));
            p.Add(Text(modelId));
            AddTime(p, from);
            AddTime(p, to);
            if (name is not null)
            {
                p.Add(Text(name));
            }

            if (tags.Count > 0)
            {
                p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = TagsJson(tags) });
            }
        }

        /// <summary>
        /// The aggregate: points bucketed with <c>date_bin</c> from <see cref="BucketOrigin"/> (buckets of whole minutes, so the
        /// ticks below the microsecond never move a point to another bucket), then count, sum, min and max per bucket, and
        /// for the percentiles the two neighbours that numpy's "linear" method interpolates between: the values at sorted
        /// positions floor(q·(n − 1)) and the one after, picked by <c>percentile_disc</c> in the same sort. The
        /// interpolation itself happens in <see cref="ReadBucket"/> with numpy's formula: <c>percentile_cont</c> computes
        /// lo + t·(hi − lo), which differs from numpy's in the last bit when t ≥ 0.5.
        /// </summary>
        private string AggregateSql(bool hasTags, bool percentiles)
        {
            var bucketParameter = hasTags ? "$9" : "$8";
            var points = $"""
                SELECT CASE WHEN isfinite("timestamp") THEN date_bin({bucketParameter}, "timestamp", {BucketOrigin}) ELSE {BucketOrigin} END AS bucket, value
                FROM {s._s}.model_metrics
                WHERE {Filter(hasName: true, hasTags)}
                """;
            if (!percentiles)
            {
                return $"""
                    SELECT bucket, count(*), sum(value), min(value), max(value)
                    FROM ({points}) AS points
                    GROUP BY bucket ORDER BY bucket
                    """;
            }

            var fractions = hasTags ? "$10" : "$9";
            return $"""
                SELECT bucket, n, sum(value), min(value), max(value),
                    percentile_disc(ARRAY(
                        SELECT (pick.i + 0.5) / n
                        FROM unnest({fractions}::double precision[]) WITH ORDINALITY AS q (fraction, position),
                            LATERAL (VALUES (floor(q.fraction * (n - 1)), 0), (least(floor(q.fraction * (n - 1)) + 1, n - 1), 1)) AS pick (i, side)
                        ORDER BY q.position, pick.side
                    )) WITHIN GROUP (ORDER BY value)
                FROM (SELECT bucket, value, count(*) OVER (PARTITION BY bucket) AS n FROM ({points}) AS points) AS counted
                GROUP BY bucket, n ORDER BY bucket
                """;
        }

        private static MetricBucket ReadBucket(NpgsqlDataReader r, TimeSpan length, bool percentiles)
        {
            var start = r.GetFieldValue<DateTimeOffset>(0).ToUniversalTime();
            var count = r.GetInt64(1);
            double? p50 = null, p95 = null, p99 = null;
            if (percentiles)
            {
                var neighbours = r.GetFieldValue<double[]>(5);
                p50 = Interpolate(count, Percentiles[0], neighbours[0], neighbours[1]);
                p95 = Interpolate(count, Percentiles[1], neighbours[2], neighbours[3]);
                p99 = Interpolate(count, Percentiles[2], neighbours[4], neighbours[5]);
            }

            return new MetricBucket
            {
                Start = start,
                End = start + length,
                Count = count,
                Sum = r.GetDouble(2),
                Min = r.GetDouble(3),
                Max = r.GetDouble(4),
                P50 = p50,
                P95 = p95,
                P99 = p99,
            };
        }

        /// <summary>numpy's "linear" percentile from the two sorted neighbours SQL picked (as <c>Descriptive.PercentileOfSorted</c>).</summary>
        private static double Interpolate(long count, double q, double lo, double hi)
        {
            var index = q * (count - 1);
            var below = Math.Floor(index);
            if (below >= count - 1)
            {
                return hi;
            }

            var fraction = index - below;
            var diff = hi - lo;
            return fraction >= 0.5 ? hi - (diff * (1 - fraction)) : lo + (diff * fraction);
        }

        /// <summary>Tags as a JSON object whose keys and values are encoded by <see cref="PostgresValues.Encode"/>: jsonb holds no NUL.</summary>
        private static string TagsJson(IReadOnlyDictionary<string, string> tags)
        {
            var encoded = new Dictionary<string, string>(tags.Count, StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                encoded[PostgresValues.Encode(key)!] = PostgresValues.Encode(value)!;
            }

            return JsonSerializer.Serialize(encoded, JsonContext.DictionaryStringString);
        }

        private static Dictionary<string, string> ReadTags(string json)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in JsonSerializer.Deserialize(json, JsonContext.DictionaryStringString)!)
            {
                tags[PostgresValues.Decode(key)] = PostgresValues.Decode(value);
            }

            return tags;
        }
    }
}
