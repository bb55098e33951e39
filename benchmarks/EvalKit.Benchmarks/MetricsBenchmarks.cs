using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EvalKit.Metrics;
using EvalKit.Statistics;
using EvalKit.Storage;
using EvalKit.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EvalKit.Benchmarks;

/// <summary>
/// Hourly count, sum, min, max, p50, p95 and p99 over 1,000,000 latency points of one model (30 days, about 1,400 points
/// per hour) in a SQLite file that also holds 200,000 points of other series; the in-memory store is the baseline.
/// The <c>Alt*</c> benchmarks are the SQL shapes the SQLite store does not use, kept to show why: they compute the same
/// figures with <c>GROUP BY</c> plus <c>ORDER BY bucket, value</c>, with window functions, and with <c>GROUP BY</c> alone
/// (no percentiles). Data are seeded. Each operation is one whole aggregation.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class MetricsBenchmarks
{
    /// <summary>The number of points of the aggregated series.</summary>
    public const int Points = 1_000_000;

    private const string Model = "bench/model-a";
    private const string Name = MetricNames.LatencyMs;
    private const string Where = "tenant_id = 'default' AND model_id = $model AND name = $name AND timestamp >= $from AND timestamp < $to";
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddDays(30);

    private string _directory = string.Empty;
    private string _connectionString = string.Empty;
    private SqliteEvalKitStorage? _sqlite;
    private InMemoryEvalKitStorage? _memory;

    private static MetricAggregateQuery Query => new() { ModelId = Model, Name = Name, From = Start, To = End, Period = MetricPeriod.Hour };

    /// <summary>Writes the points into a fresh SQLite file (in batches of 50,000, one transaction each).</summary>
    /// <returns>A task that completes when the file is ready.</returns>
    [GlobalSetup(Targets = [nameof(SqliteHourlyPercentiles), nameof(SqliteHourlyCountSumMinMax), nameof(AltGroupByThenOrderByBucketValue), nameof(AltWindowFunctions), nameof(AltGroupByOnly)])]
    public async Task SetupSqliteAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "evalkit-metrics-bench-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_directory);
        _connectionString = $"Data Source={Path.Combine(_directory, "evalkit.db")}";
        _sqlite = new SqliteEvalKitStorage(_connectionString);
        foreach (var batch in Generate())
        {
            await _sqlite.Metrics.AppendAsync(batch);
        }

        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Fills the in-memory store with the same points.</summary>
    /// <returns>A task that completes when the store is ready.</returns>
    [GlobalSetup(Targets = [nameof(InMemoryHourlyPercentiles)])]
    public async Task SetupMemoryAsync()
    {
        _memory = new InMemoryEvalKitStorage();
        foreach (var batch in Generate())
        {
            await _memory.Metrics.AppendAsync(batch);
        }
    }

    /// <summary>Deletes the SQLite file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite?.Dispose();
        _memory?.Dispose();
        SqliteConnection.ClearAllPools();
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The in-memory store: binary search of the range, then bucket by bucket sort and percentiles.</summary>
    /// <returns>The number of buckets.</returns>
    [Benchmark(Baseline = true)]
    public async Task<int> InMemoryHourlyPercentiles() => (await _memory!.Metrics.AggregateAsync(Query)).Count;

    /// <summary>The SQLite store: one covering-index range scan in time order, bucket by bucket sort and percentiles in process.</summary>
    /// <returns>The number of buckets.</returns>
    [Benchmark]
    public async Task<int> SqliteHourlyPercentiles() => (await _sqlite!.Metrics.AggregateAsync(Query)).Count;

    /// <summary>The SQLite store without percentiles (count, sum, min, max), as rates use it.</summary>
    /// <returns>The number of buckets.</returns>
    [Benchmark]
    public async Task<int> SqliteHourlyCountSumMinMax() => (await _sqlite!.Metrics.AggregateAsync(Query with { IncludePercentiles = false })).Count;

    /// <summary>Not used: <c>GROUP BY</c> bucket for count/sum/min/max, then every value <c>ORDER BY bucket, value</c> for the percentiles.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark]
    public async Task<double> AltGroupByThenOrderByBucketValue()
    {
        await using var connection = await OpenAsync();
        double checksum = 0;
        await using (var group = Command(connection, $"SELECT timestamp - timestamp % $len AS b, COUNT(*), SUM(value), MIN(value), MAX(value) FROM model_metrics WHERE {Where} GROUP BY b ORDER BY b"))
        await using (var reader = await group.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                checksum += reader.GetInt64(1) + reader.GetDouble(2) + reader.GetDouble(3) + reader.GetDouble(4);
            }
        }

        await using var ordered = Command(connection, $"SELECT timestamp - timestamp % $len AS b, value FROM model_metrics WHERE {Where} ORDER BY b, value");
        await using var rows = await ordered.ExecuteReaderAsync();
        var bucket = new List<double>();
        var current = long.MinValue;
        while (await rows.ReadAsync())
        {
            var b = rows.GetInt64(0);
            if (b != current)
            {
                checksum += Percentiles(bucket);
                bucket.Clear();
                current = b;
            }

            bucket.Add(rows.GetDouble(1));
        }

        return checksum + Percentiles(bucket);
    }

    /// <summary>Not used: window functions rank each bucket's values; only the rows next to p50, p95 and p99 come back.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark]
    public async Task<double> AltWindowFunctions()
    {
        const string Ranked = $"""
            WITH ranked AS (
                SELECT timestamp - timestamp % $len AS b, value,
                       ROW_NUMBER() OVER (PARTITION BY timestamp - timestamp % $len ORDER BY value) - 1 AS r,
                       COUNT(*) OVER w AS n, SUM(value) OVER w AS s, MIN(value) OVER w AS lo, MAX(value) OVER w AS hi
                FROM model_metrics WHERE {Where}
                WINDOW w AS (PARTITION BY timestamp - timestamp % $len))
            SELECT b, r, n, s, lo, hi, value FROM ranked
            WHERE r IN (CAST(0.50 * (n - 1) AS INTEGER), CAST(0.50 * (n - 1) AS INTEGER) + 1,
                        CAST(0.95 * (n - 1) AS INTEGER), CAST(0.95 * (n - 1) AS INTEGER) + 1,
                        CAST(0.99 * (n - 1) AS INTEGER), CAST(0.99 * (n - 1) AS INTEGER) + 1)
            ORDER BY b, r
            """;
        await using var connection = await OpenAsync();
        await using var command = Command(connection, Ranked);
        await using var reader = await command.ExecuteReaderAsync();
        double checksum = 0;
        while (await reader.ReadAsync())
        {
            checksum += reader.GetDouble(6) + reader.GetInt64(2);
        }

        return checksum;
    }

    /// <summary>Not used: <c>GROUP BY</c> bucket alone (count/sum/min/max, no percentiles).</summary>
    /// <returns>A checksum.</returns>
    [Benchmark]
    public async Task<double> AltGroupByOnly()
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, $"SELECT timestamp - timestamp % $len AS b, COUNT(*), SUM(value), MIN(value), MAX(value) FROM model_metrics WHERE {Where} GROUP BY b ORDER BY b");
        await using var reader = await command.ExecuteReaderAsync();
        double checksum = 0;
        while (await reader.ReadAsync())
        {
            checksum += reader.GetInt64(1) + reader.GetDouble(2) + reader.GetDouble(3) + reader.GetDouble(4);
        }

        return checksum;
    }

    private static IEnumerable<List<MetricPoint>> Generate()
    {
        var random = new Random(1_000_000);
        var step = (End - Start).Ticks / Points;
        var batch = new List<MetricPoint>(50_000);
        for (var i = 0; i < Points; i++)
        {
            // Log-normal latencies around 200 ms, as live traffic has.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            batch.Add(new MetricPoint { ModelId = Model, Name = Name, Value = 200 * Math.Exp(0.5 * normal), Timestamp = Start.AddTicks(i * step) });
            if (i % 5 == 0)
            {
                // Other series in the same table: another model, and another metric of this model.
                batch.Add(i % 10 == 0
                    ? new MetricPoint { ModelId = "bench/model-b", Name = Name, Value = random.NextDouble(), Timestamp = Start.AddTicks(i * step) }
                    : new MetricPoint { ModelId = Model, Name = MetricNames.Cost, Value = random.NextDouble(), Timestamp = Start.AddTicks(i * step) });
            }

            if (batch.Count >= 50_000)
            {
                yield return batch;
                batch = new List<MetricPoint>(50_000);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static double Percentiles(List<double> sorted)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var values = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sorted);
        return Descriptive.PercentileOfSorted(values, 50) + Descriptive.PercentileOfSorted(values, 95) + Descriptive.PercentileOfSorted(values, 99);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$model", Model);
        command.Parameters.AddWithValue("$name", Name);
        command.Parameters.AddWithValue("$from", Start.UtcTicks);
        command.Parameters.AddWithValue("$to", End.UtcTicks);
        command.Parameters.AddWithValue("$len", TimeSpan.TicksPerHour);
        return command;
    }
}
