using EvalKit.Metrics;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>The metric aggregate must read through the series index, in time order, without a sort of its own.</summary>
public sealed class SqliteMetricQueryPlanTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    private async Task SeedAsync()
    {
        await using var store = _db.Open();
        var points = new List<MetricPoint>();
        for (var i = 0; i < 2_000; i++)
        {
            points.Add(new MetricPoint { ModelId = i % 2 == 0 ? "a" : "b", Name = i % 3 == 0 ? "cost" : "latency_ms", Value = i % 97, Timestamp = Start.AddSeconds(i * 7) });
        }

        await store.Metrics.AppendAsync(points, Ct);
        await ExecuteAsync("ANALYZE");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<List<string>> PlanAsync(string sql, int tags)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$tenant", EvalKit.Security.EvalKitTenant.Default);
        command.Parameters.AddWithValue("$model", "a");
        command.Parameters.AddWithValue("$name", "latency_ms");
        command.Parameters.AddWithValue("$from", Start.UtcTicks);
        command.Parameters.AddWithValue("$to", Start.AddDays(1).UtcTicks);
        for (var i = 0; i < tags; i++)
        {
            command.Parameters.AddWithValue($"$tk{i}", "region");
            command.Parameters.AddWithValue($"$tv{i}", "eu");
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    [Fact]
    public async Task AggregateQuery_SearchesTheCoveringSeriesIndex_AndNeverSorts()
    {
        await SeedAsync();

        var plan = await PlanAsync(SqliteEvalKitStorage.MetricAggregateSql(tagCount: 0), 0);

        plan.Should().ContainSingle(step => step.StartsWith("SEARCH model_metrics USING COVERING INDEX " + SqliteEvalKitStorage.MetricSeriesIndex, StringComparison.Ordinal)
            && step.Contains("tenant_id=? AND model_id=? AND name=? AND timestamp>? AND timestamp<?", StringComparison.Ordinal));
        plan.Should().NotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal), "rows come out of the index in time order");
        plan.Should().NotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AggregateQueryWithTags_StillSearchesTheSeriesIndexInTimeOrder()
    {
        await SeedAsync();

        var plan = await PlanAsync(SqliteEvalKitStorage.MetricAggregateSql(tagCount: 2), 2);

        plan.Should().Contain(step => step.StartsWith("SEARCH model_metrics USING INDEX " + SqliteEvalKitStorage.MetricSeriesIndex, StringComparison.Ordinal));
        plan.Should().NotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrations_CreateTheSeriesIndex_AndDropTheIndexItReplaces()
    {
        await using (var store = _db.Open())
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'model_metrics' AND sql IS NOT NULL";
        var indexes = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            indexes[reader.GetString(0)] = reader.GetString(1);
        }

        indexes.Should().ContainSingle().Which.Key.Should().Be(SqliteEvalKitStorage.MetricSeriesIndex);
        indexes[SqliteEvalKitStorage.MetricSeriesIndex].Should().Contain("(tenant_id, model_id, name, timestamp, value)");
    }

    [Fact]
    public async Task Aggregate_OverAStoreWithManySeries_MatchesTheInMemoryStore()
    {
        await SeedAsync();
        var memory = new InMemoryEvalKitStorage();
        await using var sqlite = _db.Open();
        var all = new List<MetricPoint>();
        foreach (var model in new[] { "a", "b" })
        {
            await foreach (var point in sqlite.Metrics.QueryAsync(model, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct))
            {
                all.Add(point);
            }
        }

        await memory.Metrics.AppendAsync(all, Ct);
        foreach (var period in Enum.GetValues<MetricPeriod>())
        {
            var query = new MetricAggregateQuery { ModelId = "a", Name = "latency_ms", From = Start.AddMinutes(13), To = Start.AddHours(3), Period = period };

            var fromSqlite = await sqlite.Metrics.AggregateAsync(query, Ct);
            var fromMemory = await memory.Metrics.AggregateAsync(query, Ct);

            fromSqlite.Should().NotBeEmpty();
            fromSqlite.Should().BeEquivalentTo(fromMemory, o => o.WithStrictOrdering(), period.ToString());
        }
    }

    [Fact]
    public async Task DirectScanAndDataReader_GiveTheSameBuckets_WithAndWithoutTags()
    {
        await using (var store = _db.Open())
        {
            var tagged = new Dictionary<string, string> { ["region"] = "eu" };
            await store.Metrics.AppendAsync(
                [.. Enumerable.Range(0, 500).Select(i => new MetricPoint { ModelId = "a", Name = "latency_ms", Value = (i * 37) % 101, Timestamp = Start.AddMinutes(i * 3), Tags = i % 3 == 0 ? tagged : null! })],
                Ct);
        }

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        foreach (var tags in new[] { new Dictionary<string, string>(), new Dictionary<string, string> { ["region"] = "eu" } })
        {
            var query = new MetricAggregateQuery { ModelId = "a", Name = "latency_ms", From = Start.AddMinutes(10), To = Start.AddDays(1), Period = MetricPeriod.Hour, Tags = tags };

            var direct = SqliteEvalKitStorage.ScanDirect(connection, EvalKit.Security.EvalKitTenant.Default, query, Ct);
            var reader = await SqliteEvalKitStorage.ScanWithReaderAsync(connection, EvalKit.Security.EvalKitTenant.Default, query, Ct);

            direct.Should().NotBeNull().And.NotBeEmpty();
            direct.Should().BeEquivalentTo(reader, o => o.WithStrictOrdering());
            direct!.Sum(b => b.Count).Should().Be(tags.Count == 0 ? 476 : 158, "points 4 to 479 lie in the range, a third of them tagged");
        }
    }
}
