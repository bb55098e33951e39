using System.Text;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests;

public sealed class SqliteErasureStorageTests : ErasureStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

/// <summary>
/// Erasure leaves no trace in the SQLite file: two tenants (or projects, or models) are seeded with distinct markers in every
/// kind of record, one is erased, and neither the database file nor its write-ahead log holds a byte of its marker, while
/// every row that mentions the other marker is still there.
/// </summary>
public sealed class SqliteErasureFileTests : IDisposable
{
    private const string A = "MKALPHA7";
    private const string B = "MKBRAVO8";
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task EraseTenant_LeavesNoByteOfTheTenantInTheFileOrItsLog_AndKeepsTheOtherTenant()
    {
        await SeedAsync(async kit =>
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

        await EraseAndCheckAsync("acme", ["evaluation_datasets", "evaluation_cases", "benchmark_suites", "evaluation_runs", "evaluation_results", "run_shards", "model_metrics", "response_cache", "ab_tests", "experiments", "experiment_runs", "audit_log", "evaluation_models", "model_revisions", "experiment_templates", "projects"], kit => kit.Erasure.EraseTenantAsync("acme", Ct).AsTask());
    }

    [Fact]
    public async Task EraseModel_LeavesNoByteOfTheModelInTheFileOrItsLog_AndKeepsTheOtherModel()
    {
        await SeedAsync(async kit =>
        {
            using var tenant = EvalKitTenant.Use("acme");
            await ErasureSeed.SeedAsync(kit, A, ownModel: true, inProject: false, Ct);
            await ErasureSeed.SeedAsync(kit, B, ownModel: true, inProject: false, Ct);
        });

        await EraseAndCheckAsync("acme", ["evaluation_datasets", "evaluation_cases", "benchmark_suites", "evaluation_runs", "evaluation_results", "run_shards", "model_metrics", "response_cache", "ab_tests", "experiments", "experiment_runs", "audit_log", "evaluation_models", "model_revisions", "experiment_templates"], kit => kit.Erasure.EraseModelAsync($"{A}-model", Ct).AsTask());
    }

    [Fact]
    public async Task EraseProject_LeavesNoByteOfTheProjectInTheFileOrItsLog_AndKeepsTheOtherProject()
    {
        await SeedAsync(async kit =>
        {
            using var tenant = EvalKitTenant.Use("acme");
            await ErasureSeed.SeedAsync(kit, A, ownModel: false, inProject: true, Ct);
            await ErasureSeed.SeedAsync(kit, B, ownModel: false, inProject: true, Ct);
        });

        await EraseAndCheckAsync("acme", ["evaluation_datasets", "evaluation_cases", "benchmark_suites", "evaluation_runs", "evaluation_results", "run_shards", "model_metrics", "response_cache", "ab_tests", "experiments", "experiment_runs", "audit_log", "projects"], kit => kit.Erasure.EraseProjectAsync($"{A}-proj", Ct).AsTask());
    }

    [Fact]
    public async Task TheAuditTable_AllowsOnlyTheErasureOfARecordId()
    {
        using (var storage = _db.Open())
        {
            await storage.Audit.AppendAsync(
                new AuditEntry { TenantId = "acme", Actor = "alice", Operation = "model.delete", RecordType = "model", RecordId = "m", OccurredAt = TestData.Epoch, Outcome = AuditOutcome.Succeeded },
                Ct);
        }

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        async Task<object?> RunAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(Ct);
        }

        var renamed = () => RunAsync("UPDATE audit_log SET record_id = 'other'");
        var erasedAndChanged = () => RunAsync("UPDATE audit_log SET record_id = '(erased)', actor = 'mallory'");
        (await renamed.Should().ThrowAsync<SqliteException>()).Which.Message.Should().Contain("append-only");
        (await erasedAndChanged.Should().ThrowAsync<SqliteException>()).Which.Message.Should().Contain("append-only");

        await RunAsync("UPDATE audit_log SET record_id = '(erased)'");

        (await RunAsync("SELECT record_id || '|' || actor FROM audit_log")).Should().Be("(erased)|alice");
        var again = () => RunAsync("UPDATE audit_log SET record_id = NULL");
        await again.Should().ThrowAsync<SqliteException>("an erased id is never replaced");
    }

    private async Task SeedAsync(Func<EvalKitHost, Task> seed)
    {
        using var storage = _db.Open();
        await using var kit = ErasureSeed.CreateHost(storage);
        await seed(kit);
    }

    private async Task EraseAndCheckAsync(string tenant, IEnumerable<string> markedTables, Func<EvalKitHost, Task> erase)
    {
        var marker = Encoding.UTF8.GetBytes(A);
        FileBytes().AsSpan().IndexOf(marker).Should().BeGreaterThanOrEqualTo(0, "the seed wrote the marker into the file (or its log)");
        var othersBefore = await RowsMentioningAsync(B);
        othersBefore.Values.Sum().Should().BeGreaterThan(20);
        (await RowsMentioningAsync(A)).Keys.Should().Contain(markedTables, "the seed put the marker in every kind of record");

        using (var storage = _db.Open())
        {
            await using var kit = ErasureSeed.CreateHost(storage);
            using var scope = EvalKitTenant.Use(tenant);
            await erase(kit);
        }

        SqliteConnection.ClearAllPools();
        var bytes = FileBytes();
        bytes.AsSpan().IndexOf(marker).Should().Be(-1, "no byte of the erased marker remains in the database file or its log");
        (await RowsMentioningAsync(A)).Should().BeEmpty();
        (await RowsMentioningAsync(B)).Should().BeEquivalentTo(othersBefore, "every row of the other one is still there");
    }

    // The database file and its write-ahead log, as they are on disk.
    private byte[] FileBytes()
    {
        var wal = _db.Path + "-wal";
        var main = File.ReadAllBytes(_db.Path);
        return File.Exists(wal) ? [.. main, .. File.ReadAllBytes(wal)] : main;
    }

    // For every table, how many rows hold the marker in any column (text, or text stored as bytes).
    private async Task<Dictionary<string, int>> RowsMentioningAsync(string marker)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString + ";Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i) switch
                    {
                        byte[] blob => Encoding.UTF8.GetString(blob),
                        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
                    };
                    if (value?.Contains(marker, StringComparison.Ordinal) == true)
                    {
                        counts[table] = counts.GetValueOrDefault(table) + 1;
                        break;
                    }
                }
            }
        }

        return counts;
    }
}
