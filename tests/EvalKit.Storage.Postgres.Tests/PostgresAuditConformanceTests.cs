using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Postgres.Tests;

public sealed class PostgresAuditStorageTests : AuditStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresRetentionStorageTests : RetentionStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresAuditLogTableTests
{
    [Fact]
    public async Task TheAuditTable_RefusesUpdates_EvenFromOutsideEvalKit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var schema = new PostgresTestSchema();
        await using (var storage = schema.Open())
        {
            await storage.Audit.AppendAsync(
                new EvalKit.Security.AuditEntry
                {
                    TenantId = "acme", Actor = "alice", Operation = "model.delete", RecordType = "model", RecordId = "m", OccurredAt = TestData.Epoch,
                    Outcome = EvalKit.Security.AuditOutcome.Denied, ErrorType = "X",
                },
                ct);
        }

        var act = () => schema.ScalarAsync($"UPDATE \"{schema.Name}\".audit_log SET outcome = 'Succeeded', error_type = NULL");

        (await act.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("append-only");
        (await schema.ScalarAsync($"SELECT outcome FROM \"{schema.Name}\".audit_log")).Should().Be("Denied");
    }
}
