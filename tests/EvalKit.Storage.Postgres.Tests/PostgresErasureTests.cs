using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Postgres.Tests;

public sealed class PostgresErasureStorageTests : ErasureStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Erasure leaves no row behind in PostgreSQL: two tenants (or projects, or models) are seeded with distinct markers in every
/// kind of record, one is erased, and no row of any table of the schema (partitions included) holds its marker as text,
/// while the rows that mention the other marker are all still there.
/// </summary>
public sealed class PostgresErasureTableTests
{
    private const string A = "MKALPHA7";
    private const string B = "MKBRAVO8";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EraseTenant_LeavesNoRowOfTheTenantInAnyTable_AndKeepsTheOtherTenant()
    {
        await using var schema = new PostgresTestSchema();
        await SeedAsync(schema, async kit =>
        {
            using (EvalKitTenant.Use("acme"))
            {
                await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: true, Ct);
            }

            using (EvalKitTenant.Use("globex"))
            {
                await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: true, Ct);
            }
        });

        await EraseAndCheckAsync(schema, "acme", [.. Common, "evaluation_models", "model_revisions", "experiment_templates", "projects"], kit => kit.Erasure.EraseTenantAsync("acme", Ct).AsTask());
    }

    [Fact]
    public async Task EraseModel_LeavesNoRowOfTheModelInAnyTable_AndKeepsTheOtherModel()
    {
        await using var schema = new PostgresTestSchema();
        await SeedAsync(schema, async kit =>
        {
            using var tenant = EvalKitTenant.Use("acme");
            await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: false, Ct);
            await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: false, Ct);
        });

        await EraseAndCheckAsync(schema, "acme", [.. Common, "evaluation_models", "model_revisions", "experiment_templates"], kit => kit.Erasure.EraseModelAsync($"{A}-model", Ct).AsTask());
    }

    [Fact]
    public async Task EraseProject_LeavesNoRowOfTheProjectInAnyTable_AndKeepsTheOtherProject()
    {
        await using var schema = new PostgresTestSchema();
        await SeedAsync(schema, async kit =>
        {
            using var tenant = EvalKitTenant.Use("acme");
            await ErasureSeed.SeedAsync(kit, A, ownModel: false, inProject: true, Ct);
            await ErasureSeed.SeedAsync(kit, B, ownModel: false, inProject: true, Ct);
        });

        await EraseAndCheckAsync(schema, "acme", [.. Common, "projects"], kit => kit.Erasure.EraseProjectAsync($"{A}-proj", Ct).AsTask());
    }

    [Fact]
    public async Task TheAuditTable_AllowsOnlyTheErasureOfARecordId()
    {
        await using var schema = new PostgresTestSchema();
        await using (var storage = schema.Open())
        {
            await storage.Audit.AppendAsync(
                new AuditEntry { TenantId = "acme", Actor = "alice", Operation = "model.delete", RecordType = "model", RecordId = "m", OccurredAt = TestData.Epoch, Outcome = AuditOutcome.Succeeded },
                Ct);
        }

        var table = $"\"{schema.Name}\".audit_log";
        var renamed = () => schema.ScalarAsync($"UPDATE {table} SET record_id = 'other'");
        var erasedAndChanged = () => schema.ScalarAsync($"UPDATE {table} SET record_id = '(erased)', actor = 'mallory'");
        (await renamed.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("append-only");
        (await erasedAndChanged.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("append-only");

        await schema.ScalarAsync($"UPDATE {table} SET record_id = '(erased)'");

        (await schema.ScalarAsync($"SELECT record_id || '|' || actor FROM {table}")).Should().Be("(erased)|alice");
        var again = () => schema.ScalarAsync($"UPDATE {table} SET record_id = NULL");
        await again.Should().ThrowAsync<Npgsql.PostgresException>("an erased id is never replaced");
    }

    private static readonly string[] Common =
        ["evaluation_datasets", "evaluation_cases", "benchmark_suites", "evaluation_runs", "evaluation_results", "run_shards", "model_metrics", "response_cache", "ab_tests", "experiments", "experiment_runs", "audit_log"];

    private static async Task SeedAsync(PostgresTestSchema schema, Func<EvalKitHost, Task> seed)
    {
        await using var storage = schema.Open();
        await using var kit = ErasureSeed.CreateHost(storage);
        await seed(kit);
    }

    private static async Task EraseAndCheckAsync(PostgresTestSchema schema, string tenant, string[] markedTables, Func<EvalKitHost, Task> erase)
    {
        (await RowsMentioningAsync(schema, A)).Keys.Should().Contain(markedTables, "the seed put the marker in every kind of record");
        var othersBefore = await RowsMentioningAsync(schema, B);
        othersBefore.Values.Sum().Should().BeGreaterThan(20);

        await using (var storage = schema.Open())
        {
            await using var kit = ErasureSeed.CreateHost(storage);
            using var scope = EvalKitTenant.Use(tenant);
            await erase(kit);
        }

        (await RowsMentioningAsync(schema, A)).Should().BeEmpty("no row of any table holds the erased marker");
        (await RowsMentioningAsync(schema, B)).Should().BeEquivalentTo(othersBefore, "every row of the other one is still there");
    }

    // For every table of the schema (as information_schema lists them, partitions included): how many rows hold the marker
    // in their text form.
    private static async Task<Dictionary<string, long>> RowsMentioningAsync(PostgresTestSchema schema, string marker)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var tables = await schema.StringsAsync(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name", schema.Name);
        tables.Should().Contain(["evaluation_results", "audit_log", "change_counters"]);
        foreach (var table in tables)
        {
            var count = (long)(await schema.ScalarAsync($"SELECT count(*) FROM \"{schema.Name}\".\"{table}\" AS t WHERE strpos(t::text, $1) > 0", marker))!;
            if (count > 0)
            {
                counts[table] = count;
            }
        }

        return counts;
    }
}
