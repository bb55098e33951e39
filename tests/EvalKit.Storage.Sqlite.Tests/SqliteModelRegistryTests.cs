using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>The registry over SQLite: its cache follows writes made through another store instance on the same file.</summary>
public sealed class SqliteModelRegistryTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly SqliteTestDatabase _db = new();
    private readonly RegistryTestClock _clock = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    private ModelRegistry Registry(IEvalKitStorage storage, string actor = SystemActorContext.SystemActor) =>
        new(storage, _clock, new Actor(actor), Options.Create(new ModelRegistryOptions { CacheRefreshInterval = Interval }));

    [Fact]
    public async Task AWriteThroughOneStoreInstance_IsSeenByTheOthersRegistry_AfterTheInterval()
    {
        await using var first = _db.Open();
        await using var second = _db.Open();
        var writer = Registry(first, "alice");
        var reader = Registry(second);
        (await reader.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty();

        await writer.RegisterAsync(new ModelDescriptor { Id = "local/a", Capabilities = new HashSet<string> { "chat" } }, Ct);
        (await reader.GetAsync("local/a", Ct)).Should().BeNull("the reader trusts its snapshot for the interval");
        _clock.Advance(Interval);
        (await reader.GetAsync("local/a", Ct)).Should().NotBeNull();

        await writer.UpdateAsync("local/a", m => m with { Capabilities = new HashSet<string> { "chat", "vision" } }, Ct);
        _clock.Advance(Interval);
        (await reader.FindByCapabilitiesAsync(["vision"], Ct)).Select(m => m.Id).Should().Equal("local/a");

        await reader.DeleteAsync("local/a", Ct);
        (await reader.GetAsync("local/a", Ct)).Should().BeNull("own writes are seen at once");
        _clock.Advance(Interval);
        (await writer.GetAsync("local/a", Ct)).Should().BeNull();
        (await writer.GetSnapshotAsync(Ct)).Version.Should().Be((await reader.GetSnapshotAsync(Ct)).Version);
    }

    [Fact]
    public async Task Revisions_RecordTheActorOfEachInstance()
    {
        await using var first = _db.Open();
        await using var second = _db.Open();
        await Registry(first, "alice").RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await Registry(second, "bob").DeprecateAsync("local/a", "slow", Ct);

        var revisions = await Registry(first).GetRevisionsAsync("local/a", Ct).ToListAsync(Ct);

        revisions.Select(r => (r.ChangedBy, r.Kind, r.ChangedAt)).Should().Equal(
            ("alice", ModelChangeKind.Registered, RegistryTestClock.Start),
            ("bob", ModelChangeKind.Deprecated, RegistryTestClock.Start.AddMinutes(5)));
        revisions[1].Changes.Should().Equal(new ModelFieldChange("Status", "Active", "Deprecated"), new ModelFieldChange("StatusReason", null, "slow"));
    }

    [Fact]
    public async Task ADatabaseFromBeforeRevisionRecords_IsMigrated_AndItsRevisionsReadAsMadeBySystem()
    {
        // Build a schema-3 database by hand, with one model written the way EvalKit wrote it then.
        await using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);"
                + string.Concat(SqliteSchema.Migrations.Where(m => m.Version <= 3).Select(m => m.Sql + $"\nINSERT INTO schema_version VALUES ({m.Version}, 'old', 0);"))
                + """
                INSERT INTO evaluation_models (id, revision, provider, status, updated_at, data) VALUES ('local/old', 2, NULL, 'Active', 0, '{"id":"local/old","revision":2,"displayName":"Old"}');
                INSERT INTO model_revisions (model_id, revision, updated_at, data) VALUES ('local/old', 1, 0, '{"id":"local/old","revision":1}');
                INSERT INTO model_revisions (model_id, revision, updated_at, data) VALUES ('local/old', 2, 0, '{"id":"local/old","revision":2,"displayName":"Old"}');
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var storage = _db.Open();
        var registry = Registry(storage, "alice");

        (await storage.GetAppliedMigrationsAsync(Ct)).Should().Contain(4);
        var legacy = await registry.GetRevisionsAsync("local/old", Ct).ToListAsync(Ct);
        legacy.Select(r => (r.Revision, r.ChangedBy, r.Kind, r.Description, r.Changes.Count)).Should().Equal(
            (1, "system", ModelChangeKind.Registered, string.Empty, 0),
            (2, "system", ModelChangeKind.Updated, string.Empty, 0));
        var before = await storage.Models.GetChangeCounterAsync(Ct);
        await registry.UpdateAsync("local/old", m => m with { DisplayName = "Older" }, Ct);
        (await storage.Models.GetChangeCounterAsync(Ct)).Should().BeGreaterThan(before);
        (await registry.GetRevisionsAsync("local/old", Ct).ToListAsync(Ct))[^1].ChangedBy.Should().Be("alice");
    }

    private sealed class Actor(string name) : IEvalKitActorContext
    {
        public string CurrentActor => name;
    }
}
