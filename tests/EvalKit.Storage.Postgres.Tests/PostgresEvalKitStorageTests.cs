using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EvalKit.Storage.Postgres.Tests;

public sealed class PostgresEvalKitStorageTests : IAsyncLifetime
{
    private PostgresTestSchema? _schema;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresTestSchema Db => _schema ??= new PostgresTestSchema();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _schema?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static MetricPoint Point(double value, DateTimeOffset at, string model = "m") =>
        new() { ModelId = model, Name = "latency_ms", Value = value, Timestamp = at };

    [Fact]
    public async Task Initialize_AppliesEveryMigrationOnce_IntoItsSchema()
    {
        await using (var first = Db.Open())
        {
            await first.InitializeAsync(Ct);
            (await first.GetAppliedMigrationsAsync(Ct)).Should().Equal(Enumerable.Range(1, PostgresEvalKitStorage.LatestSchemaVersion));
        }

        await using (var second = Db.Open())
        {
            await second.InitializeAsync(Ct);
            (await second.GetAppliedMigrationsAsync(Ct)).Should().HaveCount(PostgresEvalKitStorage.LatestSchemaVersion);
        }

        (await Db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = 'evaluation_results'", Db.Name)).Should().Be(1L);
        (await Db.ScalarAsync("SELECT partstrat::text FROM pg_partitioned_table WHERE partrelid = to_regclass(format('%I.model_metrics', $1::text))", Db.Name)).Should().Be("r");
    }

    [Fact]
    public async Task Initialize_EightInstancesStartingAtOnce_MigrateExactlyOnce()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => Db.Open()).ToList();
        try
        {
            // Without the advisory lock, the losers of the race fail on "relation already exists" or a duplicate version.
            await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.InitializeAsync(Ct), Ct)));

            (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".schema_version")).Should().Be((long)PostgresEvalKitStorage.LatestSchemaVersion);
            (await Db.ScalarAsync($"SELECT count(DISTINCT version) FROM \"{Db.Name}\".schema_version")).Should().Be((long)PostgresEvalKitStorage.LatestSchemaVersion);
            foreach (var store in stores)
            {
                (await store.Models.GetChangeCounterAsync(Ct)).Should().Be(0);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Initialize_SchemaFromANewerEvalKit_IsRefusedWithItsVersion()
    {
        await using (var store = Db.Open())
        {
            await store.InitializeAsync(Ct);
        }

        await Db.ScalarAsync($"INSERT INTO \"{Db.Name}\".schema_version (version, description, applied_at) VALUES (999, 'future', now())");

        await using var newer = Db.Open();
        var act = async () => await newer.InitializeAsync(Ct);
        await act.Should().ThrowAsync<StorageException>().WithMessage("*schema version 999*upgrade EvalKit*");
    }

    [Fact]
    public async Task Initialize_ServerThatCannotBeReached_ThrowsStorageExceptionNamingServerAndDatabase_NeverThePassword()
    {
        // A port that was free a moment ago: nothing listens there. No test server is needed.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        const string password = "pw-that-must-not-leak-7Hq2";
        await using var store = new PostgresEvalKitStorage(
            $"Host=127.0.0.1;Port={Invariant(port)};Database=evalkit_unreachable;Username=evalkit;Password={password};Timeout=5");

        var act = async () => await store.InitializeAsync(Ct);

        var error = (await act.Should().ThrowAsync<StorageException>()).Which;
        error.Message.Should().Contain($"127.0.0.1:{Invariant(port)}").And.Contain("evalkit_unreachable").And.Contain("cannot be opened");
        error.Message.Should().NotContain(password);
        error.ToString().Should().NotContain(password);
        error.InnerException.Should().BeAssignableTo<NpgsqlException>();
        store.Server.Should().Be($"127.0.0.1:{Invariant(port)}");
        store.Database.Should().Be("evalkit_unreachable");
    }

    [Theory]
    [InlineData("Public")]
    [InlineData("bad;name")]
    [InlineData("x\"; DROP SCHEMA public; --")]
    [InlineData("pg_catalog")]
    [InlineData("")]
    [InlineData("a_name_that_is_longer_than_the_sixty_three_bytes_postgresql_allows")]
    public void Constructor_SchemaNameThatIsNotAPlainIdentifier_Throws(string schema)
    {
        var act = () => new PostgresEvalKitStorage(new PostgresStorageOptions { ConnectionString = "Host=127.0.0.1", Schema = schema });

        act.Should().Throw<ArgumentException>().WithMessage("*schema name*");
    }

    [Fact]
    public void Constructor_InvalidConnectionStringOrOptions_Throw()
    {
        FluentActions.Invoking(() => new PostgresEvalKitStorage("Not a=connection=string;;==")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new PostgresEvalKitStorage("Hots=typo")).Should().Throw<ArgumentException>().WithMessage("*connection string is invalid*");
        FluentActions.Invoking(() => new PostgresEvalKitStorage(new PostgresStorageOptions())).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new PostgresEvalKitStorage(new PostgresStorageOptions { ConnectionString = "Host=x", MetricPartitionsAhead = -1 }))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new PostgresEvalKitStorage((NpgsqlDataSource)null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task CallerOwnedDataSource_IsNeverDisposedByTheStore()
    {
        await using var dataSource = NpgsqlDataSource.Create(Db.ConnectionString);
        await using (var store = new PostgresEvalKitStorage(dataSource, new PostgresStorageOptions { Schema = Db.Name }))
        {
            await store.Runs.TryAddAsync(TestData.Run("r1"), Ct);
        }

        // Disposed twice on purpose: the store's Dispose and DisposeAsync are idempotent and neither touches the data source.
        var again = new PostgresEvalKitStorage(dataSource, new PostgresStorageOptions { Schema = Db.Name });
        again.Dispose();
        await again.DisposeAsync();

        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{Db.Name}\".evaluation_runs", connection);
        (await command.ExecuteScalarAsync(Ct)).Should().Be(1L);
    }

    [Fact]
    public async Task OwnedDataSource_IsDisposedWithTheStore()
    {
        var store = Db.Open();
        await store.InitializeAsync(Ct);
        await store.DisposeAsync();

        var act = async () => await store.Runs.GetAsync("r1", Ct);

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task UsePostgresStorage_WithADataSourceFromTheContainer_UsesIt_AndLeavesItToItsOwner()
    {
        await using var dataSource = NpgsqlDataSource.Create(Db.ConnectionString);
        var services = new ServiceCollection();
        services.AddSingleton(dataSource);
        services.AddEvalKit().UsePostgresStorage(sp => sp.GetRequiredService<NpgsqlDataSource>(), o => o.Schema = Db.Name);
        await using (var provider = services.BuildServiceProvider())
        {
            var storage = provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<PostgresEvalKitStorage>().Which;
            storage.Schema.Should().Be(Db.Name);
            await storage.Runs.TryAddAsync(TestData.Run("r1"), Ct);
        }

        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{Db.Name}\".evaluation_runs", connection);
        (await command.ExecuteScalarAsync(Ct)).Should().Be(1L);
    }

    [Fact]
    public async Task UsePostgresStorage_ReplacesTheDefaultStore_AndEvaluationsLandInTheDatabase()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.RetryBaseDelay = TimeSpan.Zero).UsePostgresStorage(Db.ConnectionString, o => o.Schema = Db.Name);
        services.AddKeyedChatClient("local/model", FakeChatClient.Answering(_ => "0"));
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<PostgresEvalKitStorage>();
            await provider.GetRequiredService<EvalKit.Registry.IModelRegistry>().RegisterAsync(TestData.Model("local/model"), Ct);
            await provider.GetRequiredService<IDatasetStore>().ImportAsync(new Dataset("arith", "1", TestData.Cases(4)), Ct);
            var run = await provider.GetRequiredService<IEvaluationEngine>().EvaluateAsync(new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1" }, cancellationToken: Ct);
            run.Summary!.Metrics["exact_match"].Mean.Should().Be(0.25);
        }

        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".evaluation_results")).Should().Be(4L);
        (await Db.ScalarAsync($"SELECT status FROM \"{Db.Name}\".evaluation_runs")).Should().Be("Completed");
    }

    [Fact]
    public async Task AppendResults_BatchRetriedAfterItWasStored_WritesNoDuplicates()
    {
        await using var store = Db.Open();
        var batch = Enumerable.Range(0, 1_000).Select(i => TestData.Result("r", i / 2, i % 2)).ToList();

        (await store.Results.AppendAsync(batch, Ct)).Should().Be(1_000);
        (await store.Results.AppendAsync(batch, Ct)).Should().Be(0, "the retry of a batch that was stored writes nothing");
        var overlapping = Enumerable.Range(500, 1_000).Select(i => TestData.Result("r", i / 2, i % 2) with { Output = "retry" }).ToList();
        (await store.Results.AppendAsync(overlapping, Ct)).Should().Be(500);

        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".evaluation_results WHERE run_id = 'r'")).Should().Be(1_500L);
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".evaluation_results WHERE output = 'retry'")).Should().Be(500L, "stored results are never overwritten");
        var keys = await StoreKeysAsync(store, "r");
        keys.Should().HaveCount(1_500).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task AppendResults_KeyRepeatedInsideOneBatch_TheFirstWins()
    {
        await using var store = Db.Open();

        var written = await store.Results.AppendAsync([TestData.Result("r", 5) with { Output = "first" }, TestData.Result("r", 6), TestData.Result("r", 5) with { Output = "second" }], Ct);

        written.Should().Be(2);
        (await ReadAllAsync(store.Results.ReadAsync("r", Ct))).Single(r => r.CaseOrdinal == 5).Output.Should().Be("first");
    }

    [Fact]
    public async Task AppendResults_BatchThatFailsInTheServer_WritesNothing_AndItsRetryWritesItOnce()
    {
        await using var store = Db.Open();
        await store.InitializeAsync(Ct);
        // A trigger that rejects one row of the batch, after the COPY into the staging table succeeded.
        await Db.ScalarAsync($"""
            CREATE FUNCTION "{Db.Name}".reject_13() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.case_ordinal = 13 THEN RAISE EXCEPTION 'rejected by the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER reject_13 BEFORE INSERT ON "{Db.Name}".evaluation_results FOR EACH ROW EXECUTE FUNCTION "{Db.Name}".reject_13();
            """);
        var batch = Enumerable.Range(0, 100).Select(i => TestData.Result("r", i)).ToList();

        var act = async () => await store.Results.AppendAsync(batch, Ct);

        var error = (await act.Should().ThrowAsync<StorageException>()).Which;
        error.Message.Should().Contain("appending results").And.Contain(Db.Name);
        error.InnerException.Should().BeOfType<PostgresException>();
        (await store.Results.CountAsync("r", Ct)).Total.Should().Be(0, "a batch is stored whole or not at all");

        await Db.ScalarAsync($"DROP TRIGGER reject_13 ON \"{Db.Name}\".evaluation_results");
        (await store.Results.AppendAsync(batch, Ct)).Should().Be(100);
        (await store.Results.AppendAsync(batch, Ct)).Should().Be(0);
        (await store.Results.CountAsync("r", Ct)).Total.Should().Be(100);
    }

    [Fact]
    public async Task Text_WithNulAndTheEscapeCharacter_RoundTripsEverywhere_AndPlainTextIsStoredAsItIs()
    {
        await using var store = Db.Open();
        var odd = "a\0b \uE000 c\uE0000 \0\0 end\0";
        var result = TestData.Result(odd, 0) with { CaseId = odd, Group = odd, Output = odd, Error = new CaseError(ErrorCategory.Fatal, odd) };
        await store.Results.AppendAsync([result], Ct);
        await store.ResponseCache.AddAsync([new CachedResponse { Key = odd, ModelId = odd, Text = odd, CreatedAt = TestData.Epoch }], Ct);
        var point = new MetricPoint { ModelId = odd, Name = odd, Value = 1, Timestamp = TestData.Epoch, RunId = odd, Tags = new Dictionary<string, string> { [odd] = odd } };
        await store.Metrics.AppendAsync([point], Ct);
        var dataset = await store.Datasets.CreateAsync(new DatasetImport(odd, "1", new[] { TestData.Case(1) with { Id = odd } }.ToAsyncEnumerable(), TestData.Epoch, odd), Ct);
        await store.Runs.TryAddAsync(TestData.Run("plain run"), Ct);

        (await ReadAllAsync(store.Results.ReadAsync(odd, Ct))).Single().Should().Be(result);
        (await store.ResponseCache.GetAsync(odd, Ct))!.Text.Should().Be(odd);
        var query = new MetricQuery { ModelId = odd, Name = odd, From = TestData.Epoch, To = TestData.Epoch.AddTicks(1), Tags = new Dictionary<string, string> { [odd] = odd } };
        (await ReadAllAsync(store.Metrics.QueryAsync(query, Ct))).Should().Equal(point);
        (await store.Datasets.GetAsync(dataset.Id, Ct)).Should().Be(dataset);
        (await ReadAllAsync(store.Datasets.ReadCasesAsync(dataset.Id, 0, Ct))).Single().Case.Id.Should().Be(odd);

        (await Db.ScalarAsync($"SELECT id FROM \"{Db.Name}\".evaluation_runs")).Should().Be("plain run");
        (await Db.ScalarAsync($"SELECT output FROM \"{Db.Name}\".evaluation_results")).Should().Be(PostgresValues.Encode(odd));
    }

    [Fact]
    public async Task Times_RoundTripToTheTick_EvenBelowTheMicrosecondOfTimestamptz()
    {
        await using var store = Db.Open();
        var at = new DateTimeOffset(2026, 1, 7, 10, 0, 0, TimeSpan.FromHours(5)).AddTicks(1_234_567);
        var result = TestData.Result("r", 0) with { CompletedAt = at };
        await store.Results.AppendAsync([result], Ct);
        await store.Metrics.AppendAsync([Point(1, at), Point(2, at.AddTicks(1)), Point(3, at.AddTicks(-1))], Ct);

        (await ReadAllAsync(store.Results.ReadAsync("r", Ct))).Single().CompletedAt.UtcTicks.Should().Be(at.UtcTicks);
        var points = await ReadAllAsync(store.Metrics.QueryAsync("m", null, at, at.AddTicks(1), Ct));
        points.Should().ContainSingle().Which.Timestamp.UtcTicks.Should().Be(at.UtcTicks);
        (await ReadAllAsync(store.Metrics.QueryAsync("m", null, at.AddTicks(-1), at.AddTicks(2), Ct))).Select(p => p.Value).Should().Equal(3, 1, 2);
    }

    [Fact]
    public async Task Metrics_FarPastAndFarFuture_GetTheirOwnMonthlyPartitions_AndRoundTrip()
    {
        await using var store = Db.Open();
        var points = new[]
        {
            Point(1, new DateTimeOffset(1, 3, 15, 12, 0, 0, TimeSpan.Zero)),
            Point(2, new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999)),
            Point(3, new DateTimeOffset(2026, 1, 7, 10, 0, 0, TimeSpan.Zero)),
            Point(4, new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_998)),
            Point(5, DateTimeOffset.MinValue),
            Point(6, DateTimeOffset.MaxValue),
        };

        await store.Metrics.AppendAsync(points, Ct);

        var partitions = await Db.StringsAsync(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(format('%I.model_metrics', $1::text)) ORDER BY 1",
            Db.Name);
        partitions.Should().Contain(["model_metrics_p000103", "model_metrics_p196912", "model_metrics_p202601", "model_metrics_p999912", "model_metrics_default"]);
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_p999912")).Should().Be(2L, "9999-12-31 and DateTimeOffset.MaxValue");
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_default")).Should().Be(1L, "DateTimeOffset.MinValue is -infinity, which only the DEFAULT partition takes");
        var all = await ReadAllAsync(store.Metrics.QueryAsync("m", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct));
        all.Select(p => p.Value).Should().Equal(5, 1, 2, 3, 4);
        all.Select(p => p.Timestamp).Should().Equal(points.Take(5).OrderBy(p => p.Timestamp).Select(p => p.Timestamp));
        (await store.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = DateTimeOffset.MaxValue }, Ct)).Should().Be(5);
    }

    [Fact]
    public async Task Metrics_PointsThatWentToTheDefaultPartition_MoveWhenTheirMonthGetsAPartition()
    {
        await using var store = Db.Open(o => o.MetricPartitionsAhead = 0);
        await store.InitializeAsync(Ct);
        var month = new DateTimeOffset(2040, 2, 10, 0, 0, 0, TimeSpan.Zero);
        // Another writer (here plain SQL) put a point of a month without a partition: it went to DEFAULT.
        await Db.ScalarAsync(
            $"INSERT INTO \"{Db.Name}\".model_metrics (tenant_id, model_id, name, value, \"timestamp\", timestamp_ns100) VALUES ('default', 'm', 'latency_ms', 1, $1, 0)", month);
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_default")).Should().Be(1L);

        await store.Metrics.AppendAsync([Point(2, month.AddDays(1))], Ct);

        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_default")).Should().Be(0L);
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_p204002")).Should().Be(2L);
        (await ReadAllAsync(store.Metrics.QueryAsync("m", null, month, month.AddMonths(1), Ct))).Select(p => p.Value).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Initialize_CreatesTheMetricPartitionsAheadOfTheClock()
    {
        await using var store = Db.Open(o => o.MetricPartitionsAhead = 3, new FixedClock(new DateTimeOffset(2031, 5, 10, 8, 0, 0, TimeSpan.Zero)));

        await store.InitializeAsync(Ct);

        var partitions = await Db.StringsAsync(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(format('%I.model_metrics', $1::text)) ORDER BY 1",
            Db.Name);
        partitions.Should().Equal("model_metrics_default", "model_metrics_p203105", "model_metrics_p203106", "model_metrics_p203107", "model_metrics_p203108");
    }

    [Fact]
    public async Task Metrics_StoresStartingTogether_CreateEachPartitionOnce()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => Db.Open(o => o.MetricPartitionsAhead = 0)).ToList();
        try
        {
            var month = new DateTimeOffset(2045, 7, 1, 0, 0, 0, TimeSpan.Zero);
            await Task.WhenAll(stores.Select((s, i) => Task.Run(async () => await s.Metrics.AppendAsync([Point(i, month.AddHours(i))], Ct), Ct)));

            (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_p204507")).Should().Be(6L);
            (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".model_metrics_default")).Should().Be(0L);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task CreateDataset_DuplicateCaseIdInALaterCopyChunk_IsReportedAtItsPosition_AndNothingIsWritten()
    {
        await using var store = Db.Open();
        var cases = TestData.Cases(12_000).Select((c, i) => i == 11_000 ? c with { Id = "case-10" } : c);

        var act = async () => await store.Datasets.CreateAsync(TestData.Import("big", cases), Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Message.Should().Contain("'case-10'").And.Contain("position 11001");
        error.Field.Should().Be("id");
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".evaluation_cases")).Should().Be(0L);
        (await store.Datasets.GetAsync("big@1", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task CreateDataset_SameIdFromTwoStoresAtOnce_StoresItOnce()
    {
        await using var a = Db.Open();
        await using var b = Db.Open();
        await a.InitializeAsync(Ct);
        await b.InitializeAsync(Ct);

        var attempts = await Task.WhenAll(new[] { a, b }.Select(s => Task.Run(async () =>
        {
            try
            {
                await s.Datasets.CreateAsync(TestData.Import("once", TestData.Cases(3_000)), Ct);
                return true;
            }
            catch (EvalKitException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
            {
                return false;
            }
        }, Ct)));

        attempts.Count(stored => stored).Should().Be(1);
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{Db.Name}\".evaluation_cases")).Should().Be(3_000L);
    }

    private static async Task<List<ResultKey>> StoreKeysAsync(PostgresEvalKitStorage store, string runId) => await ReadAllAsync(store.Results.ReadKeysAsync(runId, Ct));

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(Ct))
        {
            list.Add(item);
        }

        return list;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
