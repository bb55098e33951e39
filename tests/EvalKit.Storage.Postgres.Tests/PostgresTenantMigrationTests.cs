using EvalKit.Metrics;
using EvalKit.Security;
using Npgsql;

namespace EvalKit.Storage.Postgres.Tests;

/// <summary>
/// Migration 7 (tenants) over a schema written at version 6: records move to the tenant "default", every primary key leads
/// with the tenant, and the metric points stay in their monthly partitions.
/// </summary>
public sealed class PostgresTenantMigrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset March = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private PostgresTestSchema? _db;

    private PostgresTestSchema Db => _db ?? throw new InvalidOperationException("The schema is created in InitializeAsync.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _db = new PostgresTestSchema();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASchemaAtVersion6_IsMigrated_AndItsRecordsAppearInTheDefaultTenant()
    {
        var s = $"\"{Db.Name}\"";
        await ExecuteAsync($"CREATE SCHEMA {s}; CREATE TABLE {s}.schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL);");
        foreach (var (version, _, sql) in PostgresSchema.For(Db.Name).Where(m => m.Version <= 6))
        {
            await ExecuteAsync(sql + $"; INSERT INTO {s}.schema_version VALUES ({version}, 'old', now());");
        }

        await ExecuteAsync(
            $$"""
            INSERT INTO {{s}}.evaluation_models (id, revision, provider, status, updated_at, data)
                VALUES ('gpt-4o', 1, NULL, 'Active', now(), '{"id":"gpt-4o","revision":1,"displayName":"old"}');
            INSERT INTO {{s}}.model_revisions (model_id, revision, updated_at, data, changed_by, change_kind, description, changes)
                VALUES ('gpt-4o', 1, now(), '{"id":"gpt-4o","revision":1}', 'alice', 'Registered', 'registered', '[]');
            UPDATE {{s}}.model_change_counter SET value = 7;
            INSERT INTO {{s}}.evaluation_results (run_id, case_ordinal, repetition, case_id, scores, retry_count, cached, completed_at, completed_at_ns100)
                VALUES ('r1', 0, 0, 'case-0', '[]', 0, false, now(), 0), ('r1', 1, 0, 'case-1', '[]', 0, false, now(), 0);
            INSERT INTO {{s}}.response_cache (key, model_id, text, created_at, created_at_ns100) VALUES ('key', 'gpt-4o', 'cached answer', now(), 0);
            INSERT INTO {{s}}.run_shards (run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, claims) VALUES ('r1', 0, 0, 2, false, 0, 0), ('r1', 1, 0, 0, true, 0, 0);
            SELECT {{s}}.ensure_model_metrics_partitions(ARRAY['2026-03-01T00:00:00Z'::timestamptz]);
            INSERT INTO {{s}}.model_metrics (model_id, name, value, "timestamp", timestamp_ns100) VALUES
                ('gpt-4o', 'latency_ms', 10, '2026-03-10T12:01:00Z', 0), ('gpt-4o', 'latency_ms', 30, '2026-03-10T12:02:00Z', 0);
            """);

        await using var storage = Db.Open();
        (await storage.GetAppliedMigrationsAsync(Ct)).Should().Equal(Enumerable.Range(1, PostgresEvalKitStorage.LatestSchemaVersion));

        (await storage.Models.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("old");
        (await storage.Models.GetRevisionsAsync("gpt-4o", Ct).ToListAsync(Ct)).Should().ContainSingle().Which.ChangedBy.Should().Be("alice");
        (await storage.Models.GetChangeCounterAsync(Ct)).Should().Be(7, "the default tenant's counter carries on");
        (await storage.Results.CountAsync("r1", Ct)).Total.Should().Be(2);
        (await storage.ResponseCache.GetAsync("key", Ct))!.Text.Should().Be("cached answer");
        (await storage.Shards.CountAsync("r1", Ct)).Pending.Should().Be(2);
        var bucket = (await storage.Metrics.AggregateAsync(
            new MetricAggregateQuery { ModelId = "gpt-4o", Name = "latency_ms", From = March.AddHours(-1), To = March.AddHours(1), Period = MetricPeriod.Hour }, Ct)).Should().ContainSingle().Subject;
        bucket.Count.Should().Be(2);
        bucket.Sum.Should().Be(40);

        using (EvalKitTenant.Use("acme"))
        {
            (await storage.Models.GetAsync("gpt-4o", Ct)).Should().BeNull();
            (await storage.Models.GetChangeCounterAsync(Ct)).Should().Be(0);
            (await storage.Results.CountAsync("r1", Ct)).Total.Should().Be(0);
            (await storage.Metrics.QueryAsync("gpt-4o", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct)).Should().BeEmpty();
            (await storage.Shards.TryClaimAsync(null, "w", March, TimeSpan.FromMinutes(1), Ct)).Should().BeNull();
            await storage.Metrics.AppendAsync([new MetricPoint { ModelId = "gpt-4o", Name = "latency_ms", Value = 99, Timestamp = March }], Ct);
        }

        (await Db.ScalarAsync($"SELECT count(*) FROM {s}.model_metrics_p202603 WHERE tenant_id = 'default'")).Should().Be(2L, "the old points stayed in their month's partition");
        (await Db.ScalarAsync($"SELECT count(*) FROM {s}.model_metrics_p202603 WHERE tenant_id = 'acme'")).Should().Be(1L);
        (await Db.ScalarAsync($"SELECT count(*) FROM {s}.model_metrics_default")).Should().Be(0L);

        // Every primary key and unique constraint of EvalKit's tables leads with the tenant, and no tenant column keeps a
        // default: every write names its tenant.
        string[] tables =
        [
            "evaluation_models", "model_revisions", "model_change_counter", "evaluation_datasets", "evaluation_cases", "benchmark_suites", "evaluation_runs",
            "evaluation_results", "response_cache", "ab_tests", "experiments", "experiment_templates", "experiment_runs", "run_shards",
        ];
        var keys = await Db.StringsAsync(
            """
            SELECT t.relname || ':' || a.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype IN ('p', 'u') AND t.relnamespace = $1::regnamespace
            """,
            Db.Name);
        var ours = keys.Where(k => tables.Contains(k[..k.IndexOf(':', StringComparison.Ordinal)])).ToList();
        ours.Select(k => k[..k.IndexOf(':', StringComparison.Ordinal)]).Distinct().Should().BeEquivalentTo(tables);
        ours.Should().OnlyContain(k => k.EndsWith(":tenant_id", StringComparison.Ordinal));
        var defaults = await Db.StringsAsync(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'tenant_id' AND column_default IS NOT NULL", Db.Name);
        defaults.Where(t => tables.Contains(t) || t.StartsWith("model_metrics", StringComparison.Ordinal)).Should().BeEmpty();
        (await Db.StringsAsync("SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'ix_model_metrics_series'", Db.Name))
            .Should().ContainSingle().Which.Should().Contain("(tenant_id, model_id, name, \"timestamp\")");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
