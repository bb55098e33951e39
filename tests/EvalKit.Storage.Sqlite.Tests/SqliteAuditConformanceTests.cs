using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Sqlite.Tests;

public sealed class SqliteAuditStorageTests : AuditStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => ValueTask.FromResult<IEvalKitStorage?>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteRetentionStorageTests : RetentionStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteAuditLogTableTests : IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TheAuditTable_RefusesUpdates_EvenFromOutsideEvalKit()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var storage = _db.Open())
        {
            await storage.Audit.AppendAsync(
                new EvalKit.Security.AuditEntry
                {
                    TenantId = "acme", Actor = "alice", Operation = "model.delete", RecordType = "model", RecordId = "m", OccurredAt = TestData.Epoch,
                    Outcome = EvalKit.Security.AuditOutcome.Denied, ErrorType = "X",
                },
                ct);
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE audit_log SET outcome = 'Succeeded', error_type = NULL";

        var act = async () => await command.ExecuteNonQueryAsync(ct);

        (await act.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>()).Which.Message.Should().Contain("append-only");
        command.CommandText = "SELECT outcome FROM audit_log";
        (await command.ExecuteScalarAsync(ct)).Should().Be("Denied");
    }
}
