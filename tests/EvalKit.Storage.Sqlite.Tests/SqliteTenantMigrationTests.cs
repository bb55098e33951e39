using System.Globalization;
using System.Text.Json;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Serialization;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// Migration 8 (tenants) over a database written at schema version 7: every record moves to the tenant "default", keys and
/// indexes lead with the tenant, and nothing is lost.
/// </summary>
public sealed class SqliteTenantMigrationTests : IDisposable
{
    private static readonly EvalKitJsonContext Json = EvalKitJsonContext.Default;
    private static readonly DateTimeOffset Hour0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ADatabaseAtVersion7_IsMigrated_AndEveryRecordAppearsInTheDefaultTenant()
    {
        var model = TestData.Model("gpt-4o") with { DisplayName = "old" };
        var dataset = new DatasetInfo { Id = "qa@1", Name = "qa", Version = "1", ContentHash = "hash", CaseCount = 2, CreatedAt = TestData.Epoch };
        var benchmark = new Benchmark { Id = "suite", DatasetId = "qa@1", Scorers = ["exact_match"], PrimaryMetric = "exact_match" };
        var run = TestData.Run("r1", modelId: "gpt-4o", datasetId: "qa@1");
        CaseResult[] results = [TestData.Result("r1", 0), TestData.Result("r1", 1, failed: true)];
        var abTest = new AbTest
        {
            Id = "t1",
            Definition = new AbTestDefinition { Id = "t1", Name = "t1", ModelIds = ["gpt-4o", "other"], BenchmarkId = "suite" },
            Status = AbTestStatus.Created,
            CreatedAt = TestData.Epoch,
        };
        var experiment = ExperimentStorageTests.Experiment("e1");
        var template = new ExperimentTemplate { Id = "nightly", Definition = experiment.Definition, CreatedAt = TestData.Epoch, UpdatedAt = TestData.Epoch };
        var experimentRun = new ExperimentRun
        {
            ExperimentId = "e1", RunId = "r1", VariantIndex = 0, Label = "v0", BenchmarkId = "suite", ModelId = "gpt-4o", Status = RunStatus.Running, StartedAt = TestData.Epoch,
        };
        await WriteVersion7DatabaseAsync(model, dataset, benchmark, run, results, abTest, experiment, template, experimentRun);

        await using var storage = _db.Open();
        (await storage.GetAppliedMigrationsAsync(Ct)).Should().Equal(Enumerable.Range(1, SqliteEvalKitStorage.LatestSchemaVersion));

        // Without a scope, and in the default tenant's scope: everything as it was.
        foreach (var scope in new Func<IDisposable?>[] { () => null, () => EvalKitTenant.Use(EvalKitTenant.Default) })
        {
            using var scoped = scope();
            (await storage.Models.GetAsync("gpt-4o", Ct)).Should().Be(model);
            (await storage.Models.GetRevisionsAsync("gpt-4o", Ct).ToListAsync(Ct)).Should().ContainSingle().Which.ChangedBy.Should().Be("alice");
            (await storage.Models.GetChangeCounterAsync(Ct)).Should().Be(5, "the counter carries on from its value before the migration");
            (await storage.Datasets.GetAsync("qa@1", Ct)).Should().Be(dataset);
            (await storage.Datasets.ReadCasesAsync("qa@1", 0, Ct).ToListAsync(Ct)).Select(c => c.Case).Should().Equal(TestData.Cases(2));
            (await storage.Benchmarks.GetAsync("suite", Ct)).Should().BeEquivalentTo(benchmark);
            (await storage.Runs.ListAsync("gpt-4o", null, Ct).ToListAsync(Ct)).Should().ContainSingle().Which.Should().Be(run);
            (await storage.Results.ReadAsync("r1", Ct).ToListAsync(Ct)).Should().Equal(results);
            (await storage.Results.CountAsync("r1", Ct)).Should().Be(new ResultCounts(2, 1));
            var buckets = await storage.Metrics.AggregateAsync(
                new MetricAggregateQuery { ModelId = "gpt-4o", Name = "latency_ms", From = Hour0, To = Hour0.AddHours(1), Period = MetricPeriod.Hour }, Ct);
            buckets.Should().ContainSingle().Which.Should().Match<MetricBucket>(b => b.Count == 3 && b.Sum == 60 && b.P50 == 20);
            (await storage.ResponseCache.GetAsync("key", Ct))!.Text.Should().Be("cached answer");
            (await storage.AbTests.GetAsync("t1", Ct)).Should().Be(abTest);
            (await storage.Experiments.GetAsync("e1", Ct)).Should().Be(experiment);
            (await storage.Experiments.GetTemplateAsync("nightly", Ct))!.Id.Should().Be("nightly");
            (await storage.Experiments.ListRunsAsync("e1", Ct).ToListAsync(Ct)).Should().ContainSingle().Which.Should().Be(experimentRun);
            (await storage.Shards.CountAsync("r1", Ct)).Should().Be(new ShardCounts(2, 0, 1));
        }

        // Another tenant sees none of it, and may use the same ids.
        using (EvalKitTenant.Use("acme"))
        {
            (await storage.Models.GetAsync("gpt-4o", Ct)).Should().BeNull();
            (await storage.Models.GetChangeCounterAsync(Ct)).Should().Be(0);
            (await storage.Datasets.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
            (await storage.Results.CountAsync("r1", Ct)).Total.Should().Be(0);
            (await storage.Metrics.QueryAsync("gpt-4o", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct)).Should().BeEmpty();
            (await storage.ResponseCache.GetAsync("key", Ct)).Should().BeNull();
            (await storage.Shards.TryClaimAsync(null, "w", TestData.Epoch, TimeSpan.FromMinutes(1), Ct)).Should().BeNull();
            (await storage.Models.TryAddAsync(TestData.Model("gpt-4o"), Ct)).Should().BeTrue();
        }

        // The default tenant's pending shards are still claimable (in shard order), and its model is still its own.
        (await storage.Shards.TryClaimAsync(null, "w", TestData.Epoch, TimeSpan.FromMinutes(1), Ct))!.Shard.Index.Should().Be(1);
        (await storage.Models.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("old");
    }

    [Fact]
    public async Task Migration8_LeadsEveryKeyAndIndexWithTheTenant()
    {
        await using (var storage = _db.Open())
        {
            await storage.InitializeAsync(Ct);
        }

        string[] tables =
        [
            "evaluation_models", "model_revisions", "model_change_counter", "evaluation_datasets", "evaluation_cases", "benchmark_suites", "evaluation_runs",
            "evaluation_results", "model_metrics", "response_cache", "ab_tests", "experiments", "experiment_templates", "experiment_runs", "run_shards",
        ];
        foreach (var table in tables)
        {
            var primaryKey = await StringsAsync($"SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk");
            if (table != "model_metrics")
            {
                primaryKey.Should().NotBeEmpty(table).And.Subject.First().Should().Be("tenant_id", $"the key of {table} leads with the tenant");
            }

            (await StringsAsync($"SELECT name FROM pragma_table_info('{table}') WHERE name = 'tenant_id' AND \"notnull\" = 1")).Should().ContainSingle(table);
            foreach (var index in await StringsAsync($"SELECT name FROM pragma_index_list('{table}')"))
            {
                (await StringsAsync($"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno")).First().Should().Be("tenant_id", $"index {index} of {table} leads with the tenant");
            }
        }
    }

    private async Task WriteVersion7DatabaseAsync(
        ModelDescriptor model, DatasetInfo dataset, Benchmark benchmark, EvaluationRun run, CaseResult[] results, AbTest abTest,
        Experiment experiment, ExperimentTemplate template, ExperimentRun experimentRun)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await ExecuteAsync(
            connection,
            "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);"
            + string.Concat(SqliteSchema.Migrations.Where(m => m.Version <= 7).Select(m => m.Sql + $"\nINSERT INTO schema_version VALUES ({m.Version}, 'old', 0);")));

        var modelJson = JsonSerializer.Serialize(model, Json.ModelDescriptor);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO evaluation_models (id, revision, provider, status, updated_at, data) VALUES ($id, 1, 'local', 'Active', $at, $data);
            INSERT INTO model_revisions (model_id, revision, updated_at, data, changed_by, change_kind, description, changes) VALUES ($id, 1, $at, $data, 'alice', 'Registered', 'registered', '[]');
            UPDATE model_change_counter SET value = 5 WHERE id = 1;
            """,
            ("$id", model.Id), ("$at", model.UpdatedAt.UtcTicks), ("$data", modelJson));
        await ExecuteAsync(
            connection,
            "INSERT INTO evaluation_datasets (id, name, version, content_hash, case_count, description, created_at) VALUES ($id, $name, $version, $hash, $count, NULL, $at)",
            ("$id", dataset.Id), ("$name", dataset.Name), ("$version", dataset.Version), ("$hash", dataset.ContentHash), ("$count", dataset.CaseCount), ("$at", dataset.CreatedAt.UtcTicks));
        foreach (var (@case, ordinal) in TestData.Cases(2).Select((c, i) => (c, i)))
        {
            await ExecuteAsync(
                connection,
                "INSERT INTO evaluation_cases (dataset_id, ordinal, case_id, data) VALUES ('qa@1', $ordinal, $id, $data)",
                ("$ordinal", ordinal), ("$id", @case.Id), ("$data", JsonSerializer.Serialize(@case, Json.EvalCase)));
        }

        await ExecuteAsync(
            connection, "INSERT INTO benchmark_suites (id, dataset_id, data) VALUES ('suite', 'qa@1', $data)", ("$data", JsonSerializer.Serialize(benchmark, Json.Benchmark)));
        await ExecuteAsync(
            connection,
            "INSERT INTO evaluation_runs (id, model_id, dataset_id, status, created_at, data) VALUES ($id, $model, $ds, $status, $at, $data)",
            ("$id", run.Id), ("$model", run.ModelId), ("$ds", run.DatasetId), ("$status", run.Status.ToString()), ("$at", run.CreatedAt.UtcTicks), ("$data", JsonSerializer.Serialize(run, Json.EvaluationRun)));
        foreach (var r in results)
        {
            await ExecuteAsync(
                connection,
                """
                INSERT INTO evaluation_results (run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks, input_tokens, output_tokens, cost,
                    error_category, error_message, retry_count, cached, completed_at, ttft_ticks)
                VALUES ($run, $ordinal, $rep, $case, $group, $output, $scores, $latency, $in, $out, $cost, $category, $message, $retries, $cached, $at, NULL)
                """,
                ("$run", r.RunId), ("$ordinal", r.CaseOrdinal), ("$rep", r.Repetition), ("$case", r.CaseId), ("$group", r.Group), ("$output", r.Output),
                ("$scores", JsonSerializer.Serialize(r.Scores.ToList(), Json.ListScore)), ("$latency", r.Latency?.Ticks), ("$in", r.InputTokens), ("$out", r.OutputTokens),
                ("$cost", r.Cost?.ToString(CultureInfo.InvariantCulture)), ("$category", r.Error?.Category.ToString()), ("$message", r.Error?.Message),
                ("$retries", r.RetryCount), ("$cached", r.Cached ? 1 : 0), ("$at", r.CompletedAt.UtcTicks));
        }

        foreach (var (value, minute) in new[] { (10.0, 1), (20.0, 2), (30.0, 3) })
        {
            await ExecuteAsync(
                connection,
                "INSERT INTO model_metrics (model_id, name, value, timestamp, run_id, tags) VALUES ('gpt-4o', 'latency_ms', $value, $at, NULL, NULL)",
                ("$value", value), ("$at", Hour0.AddMinutes(minute).UtcTicks));
        }

        await ExecuteAsync(
            connection,
            """
            INSERT INTO response_cache (key, model_id, text, input_tokens, output_tokens, created_at) VALUES ('key', 'gpt-4o', 'cached answer', 3, 4, 0);
            INSERT INTO ab_tests (id, name, status, created_at, data) VALUES ('t1', 't1', 'Created', $abAt, $ab);
            INSERT INTO experiments (id, name, status, created_at, data) VALUES ('e1', 'e1', 'Created', $experimentAt, $experiment);
            INSERT INTO experiment_templates (id, updated_at, data) VALUES ('nightly', 0, $template);
            INSERT INTO experiment_runs (experiment_id, run_id, variant_index, status, data) VALUES ('e1', 'r1', 0, 'Running', $experimentRun);
            INSERT INTO run_shards (run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, worker_id, lease_expires_at, claims, completed_at) VALUES
                ('r1', 0, 0, 1, 0, 2, 'w0', NULL, 1, 0),
                ('r1', 1, 1, 2, 0, 0, NULL, NULL, 0, NULL),
                ('r1', 2, 0, 0, 1, 0, NULL, NULL, 0, NULL);
            """,
            ("$abAt", abTest.CreatedAt.UtcTicks),
            ("$ab", JsonSerializer.Serialize(abTest, Json.AbTest)),
            ("$experimentAt", experiment.CreatedAt.UtcTicks),
            ("$experiment", JsonSerializer.Serialize(experiment, Json.Experiment)),
            ("$template", JsonSerializer.Serialize(template, Json.ExperimentTemplate)),
            ("$experimentRun", JsonSerializer.Serialize(experimentRun, Json.ExperimentRun)));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<List<string>> StringsAsync(string sql)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
