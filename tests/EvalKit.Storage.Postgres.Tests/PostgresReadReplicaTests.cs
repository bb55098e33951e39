using EvalKit.Evaluation;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Npgsql;

namespace EvalKit.Storage.Postgres.Tests;

/// <summary>
/// A read replica (<see cref="PostgresStorageOptions.ReadOnlyConnectionString"/>, or a second data source) serves queries and
/// reports, and every write, with the reads it depends on, stays on the primary. The "replica" is the same server reached as
/// a role that may only read (USAGE and SELECT on the schema), under an application name of its own.
/// </summary>
public sealed class PostgresReadReplicaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithAReadOnlyRole_ReportsReadFromIt_AndEveryWritePathStillWorks()
    {
        await using var schema = new PostgresTestSchema();
        await using var role = await ReadOnlyRole.CreateAsync(schema);
        var options = new PostgresStorageOptions { ConnectionString = schema.ConnectionString, Schema = schema.Name, ReadOnlyConnectionString = role.ConnectionString };
        await using var storage = new PostgresEvalKitStorage(options);
        storage.ReadServer.Should().NotBeNull();
        await storage.InitializeAsync(Ct);
        await role.GrantAsync();

        // Every write path of EvalKit's services: models and revisions, datasets, benchmarks, runs with results and the
        // response cache, metric points, A/B tests, experiments and templates, projects, shards, the audit log, an erasure.
        await using var kit = ErasureSeed.CreateHost(storage);
        SeededUnit seeded;
        using (EvalKitTenant.Use("acme"))
        {
            seeded = await ErasureSeed.SeedAsync(kit, "MKALPHA7", ownModel: true, inProject: true, Ct);
            await ErasureSeed.SeedAsync(kit, "MKBRAVO8", ownModel: true, inProject: false, Ct);
            (await kit.Erasure.EraseModelAsync("MKBRAVO8-model", Ct)).Counts.Runs.Should().Be(4);
            await kit.Retention.ApplyAsync(new Retention.RetentionPolicy { CaseResultsMaxAge = TimeSpan.FromDays(3650) }, Ct);

            // The reads of the port, on the replica, see the writes.
            var census = await TenantCensus.TakeAsync(storage, [], Ct);
            census.Runs.Should().Contain(seeded.RunId).And.HaveCount(4);
            census.CaseResults.Should().Be(4 * 6);
            census.AbTests.Should().Equal(seeded.AbTestId);
            census.Projects.Should().Equal(seeded.ProjectId!);
            (await kit.Engine.GetResultsAsync(seeded.RunId, Ct)).Summary.Total.Should().Be(6);
            (await kit.Audit.QueryAsync(new AuditQuery { PageSize = 5 }, Ct)).Entries.Should().HaveCount(5);
        }

        // The role could only have read: whatever it ran was a read.
        (await role.QueriesAsync()).Should().NotBeEmpty().And.OnlyContain(q => q.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || q.TrimStart().StartsWith("DISCARD", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WithTwoDataSources_AReportReadGoesToTheReplica_AndAReadThatMustSeeWritesGoesToThePrimary()
    {
        await using var schema = new PostgresTestSchema();
        var primaryName = "evalkit-primary-" + Guid.NewGuid().ToString("N")[..8];
        var replicaName = "evalkit-replica-" + Guid.NewGuid().ToString("N")[..8];
        await using var primary = NpgsqlDataSource.Create(schema.ConnectionString + ";Application Name=" + primaryName);
        await using var replica = NpgsqlDataSource.Create(schema.ConnectionString + ";Application Name=" + replicaName);
        await using var storage = new PostgresEvalKitStorage(primary, replica, new PostgresStorageOptions { Schema = schema.Name });
        await storage.Runs.TryAddAsync(TestData.Run("r1"), Ct);
        await storage.Results.AppendAsync([TestData.Result("r1", 0), TestData.Result("r1", 1)], Ct);

        // A report read holds its connection while it is enumerated: the server shows which application runs it.
        await using (var report = storage.Results.ReadAsync("r1", Ct).GetAsyncEnumerator(Ct))
        {
            (await report.MoveNextAsync()).Should().BeTrue();
            (await BackendsRunningAsync(schema, replicaName, "evaluation_results")).Should().Be(1);
            (await BackendsRunningAsync(schema, primaryName, "ORDER BY case_ordinal")).Should().Be(0);
        }

        using (ReadConsistency.RequirePrimary())
        {
            await using var pinned = storage.Results.ReadAsync("r1", Ct).GetAsyncEnumerator(Ct);
            (await pinned.MoveNextAsync()).Should().BeTrue();
            (await BackendsRunningAsync(schema, primaryName, "ORDER BY case_ordinal")).Should().Be(1);
        }

        // A conditional update that fails asks the primary whether the run exists, even outside any scope.
        (await storage.Runs.TryUpdateAsync(TestData.Run("r1") with { Status = RunStatus.Completed }, RunStatus.Running, Ct)).Should().BeFalse();
        var missing = async () => await storage.Runs.TryUpdateAsync(TestData.Run("nope"), RunStatus.Running, Ct);
        await missing.Should().ThrowAsync<NotFoundException>();
    }

    private static async Task<long> BackendsRunningAsync(PostgresTestSchema schema, string applicationName, string queryFragment) =>
        (long)(await schema.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND strpos(query, $2) > 0 AND pid <> pg_backend_pid()",
            applicationName,
            queryFragment))!;

    /// <summary>A login role that may only read the test schema, dropped afterwards; its connections carry an application name of their own.</summary>
    private sealed class ReadOnlyRole : IAsyncDisposable
    {
        private readonly PostgresTestSchema _schema;

        private ReadOnlyRole(PostgresTestSchema schema, string name)
        {
            _schema = schema;
            Name = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(schema.ConnectionString) { Username = name, Password = null, ApplicationName = name }.ConnectionString;
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public static async Task<ReadOnlyRole> CreateAsync(PostgresTestSchema schema)
        {
            var name = "evalkit_reader_" + Guid.NewGuid().ToString("N")[..12];

            // The name is generated here (lower-case letters, digits, underscores): safe to put into DDL.
            await schema.ScalarAsync($"CREATE ROLE {name} LOGIN");
            return new ReadOnlyRole(schema, name);
        }

        public async Task GrantAsync()
        {
            await _schema.ScalarAsync($"GRANT USAGE ON SCHEMA \"{_schema.Name}\" TO {Name}");
            await _schema.ScalarAsync($"GRANT SELECT ON ALL TABLES IN SCHEMA \"{_schema.Name}\" TO {Name}");
        }

        public Task<List<string>> QueriesAsync() =>
            _schema.StringsAsync("SELECT query FROM pg_stat_activity WHERE usename = $1 AND query <> ''", Name);

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await _schema.ScalarAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{Name}'");
            await _schema.ScalarAsync($"DROP OWNED BY {Name}");
            await _schema.ScalarAsync($"DROP ROLE IF EXISTS {Name}");
        }
    }
}
