using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>The audit log: append-only entries per tenant, read newest first, page by page; deleted only by age.</summary>
public abstract class AuditStorageTests : StorageTestBase
{
    private static AuditEntry Entry(
        string tenant = "acme", int second = 0, string actor = "alice", string operation = EvalKitOperationKinds.ModelRegister,
        string recordType = EvalKitRecordTypes.Model, string? recordId = "local/a", AuditOutcome outcome = AuditOutcome.Succeeded,
        string? errorType = null, long? count = null) => new()
        {
            TenantId = tenant,
            Actor = actor,
            Operation = operation,
            RecordType = recordType,
            RecordId = recordId,
            OccurredAt = TestData.Epoch.AddSeconds(second),
            Outcome = outcome,
            ErrorType = errorType,
            Count = count,
        };

    private async Task<List<AuditEntry>> AllAsync(string tenant, AuditQuery? query = null)
    {
        var all = new List<AuditEntry>();
        query ??= new AuditQuery();
        while (true)
        {
            var page = await Storage.Audit.QueryAsync(tenant, query, Ct);
            all.AddRange(page.Entries);
            if (page.Next is null)
            {
                return all;
            }

            query = query with { After = page.Next };
        }
    }

    [Fact]
    public virtual async Task Append_ThenQuery_RoundTripsEveryField_WithIncreasingIds()
    {
        var denied = Entry(second: 1, actor: "bob ✓", operation: EvalKitOperationKinds.ModelDelete, recordId: "odd ' id; -- \0 🧪", outcome: AuditOutcome.Denied, errorType: "EvalKit.EvalKitAuthorizationException");
        var counted = Entry(second: 2, actor: "system", operation: EvalKitOperationKinds.RetentionDelete, recordType: EvalKitRecordTypes.CaseResults, recordId: null, count: 1234567890123);
        var failed = Entry(second: 3, outcome: AuditOutcome.Failed, errorType: "System.TimeoutException");

        var ids = new List<long>();
        foreach (var entry in new[] { denied, counted, failed })
        {
            ids.Add(await Storage.Audit.AppendAsync(entry with { Id = 999 }, Ct));
        }

        ids.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var stored = await AllAsync("acme");
        stored.Should().Equal(failed with { Id = ids[2] }, counted with { Id = ids[1] }, denied with { Id = ids[0] });
    }

    [Fact]
    public virtual async Task Query_SeesOnlyTheTenantAskedFor()
    {
        await Storage.Audit.AppendAsync(Entry(tenant: "acme", recordId: "a"), Ct);
        await Storage.Audit.AppendAsync(Entry(tenant: "globex", recordId: "g"), Ct);
        await Storage.Audit.AppendAsync(Entry(tenant: "acme", second: 5, recordId: "a2"), Ct);

        (await AllAsync("acme")).Select(e => e.RecordId).Should().Equal("a2", "a");
        (await AllAsync("globex")).Select(e => e.RecordId).Should().Equal("g");
        (await AllAsync("initech")).Should().BeEmpty();

        // A filter that would match the other tenant's entry still sees only the tenant asked for.
        (await AllAsync("acme", new AuditQuery { RecordId = "g" })).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Query_CombinesEveryFilter()
    {
        await Storage.Audit.AppendAsync(Entry(second: 0, actor: "alice", recordId: "m1"), Ct);
        await Storage.Audit.AppendAsync(Entry(second: 10, actor: "bob", recordId: "m1"), Ct);
        await Storage.Audit.AppendAsync(Entry(second: 20, actor: "alice", operation: EvalKitOperationKinds.ModelDelete, recordId: "m2", outcome: AuditOutcome.Denied, errorType: "X"), Ct);
        await Storage.Audit.AppendAsync(Entry(second: 30, actor: "alice", operation: EvalKitOperationKinds.DatasetImport, recordType: EvalKitRecordTypes.Dataset, recordId: "ds@1"), Ct);

        async Task<string?[]> Ids(AuditQuery query) => [.. (await AllAsync("acme", query)).Select(e => $"{e.RecordId}/{e.Actor}")];

        (await Ids(new AuditQuery { From = TestData.Epoch.AddSeconds(10), To = TestData.Epoch.AddSeconds(30) })).Should().Equal("m2/alice", "m1/bob");
        (await Ids(new AuditQuery { Actor = "alice" })).Should().Equal("ds@1/alice", "m2/alice", "m1/alice");
        (await Ids(new AuditQuery { Operation = EvalKitOperationKinds.ModelDelete })).Should().Equal("m2/alice");
        (await Ids(new AuditQuery { RecordType = EvalKitRecordTypes.Dataset })).Should().Equal("ds@1/alice");
        (await Ids(new AuditQuery { RecordType = EvalKitRecordTypes.Model, RecordId = "m1" })).Should().Equal("m1/bob", "m1/alice");
        (await Ids(new AuditQuery { Outcome = AuditOutcome.Denied })).Should().Equal("m2/alice");
        (await Ids(new AuditQuery { Actor = "alice", Outcome = AuditOutcome.Succeeded, To = TestData.Epoch.AddSeconds(30) })).Should().Equal("m1/alice");
    }

    [Fact]
    public virtual async Task Query_PagesNewestFirst_WithoutGapsOrRepeats_EvenWhenTimesTie()
    {
        // Seven entries, three of them at the same instant: the id breaks the tie, and a page boundary falls inside the tie.
        int[] seconds = [0, 1, 2, 2, 2, 3, 4];
        var ids = new List<long>();
        foreach (var (second, i) in seconds.Select((s, i) => (s, i)))
        {
            ids.Add(await Storage.Audit.AppendAsync(Entry(second: second, recordId: $"r{i}"), Ct));
        }

        var pages = new List<AuditPage>();
        var query = new AuditQuery { PageSize = 3 };
        do
        {
            var page = await Storage.Audit.QueryAsync("acme", query, Ct);
            pages.Add(page);
            query = query with { After = page.Next };
        }
        while (query.After is not null);

        pages.Select(p => p.Entries.Count).Should().Equal(3, 3, 1);
        pages.SelectMany(p => p.Entries).Select(e => e.RecordId).Should().Equal("r6", "r5", "r4", "r3", "r2", "r1", "r0");
        pages[0].Next.Should().Be(new AuditCursor(TestData.Epoch.AddSeconds(2), ids[4]));
        pages[^1].Next.Should().BeNull();
    }

    [Fact]
    public virtual async Task Query_AFullLastPage_SaysThereIsNoMore()
    {
        await Storage.Audit.AppendAsync(Entry(second: 0), Ct);
        await Storage.Audit.AppendAsync(Entry(second: 1), Ct);

        var page = await Storage.Audit.QueryAsync("acme", new AuditQuery { PageSize = 2 }, Ct);

        page.Entries.Should().HaveCount(2);
        page.Next.Should().BeNull();
    }

    [Fact]
    public virtual async Task DeleteOlderThan_DeletesOnlyThatTenantsOlderEntries()
    {
        await Storage.Audit.AppendAsync(Entry(tenant: "acme", second: 0, recordId: "old"), Ct);
        await Storage.Audit.AppendAsync(Entry(tenant: "acme", second: 10, recordId: "edge"), Ct);
        await Storage.Audit.AppendAsync(Entry(tenant: "acme", second: 20, recordId: "new"), Ct);
        await Storage.Audit.AppendAsync(Entry(tenant: "globex", second: 0, recordId: "other"), Ct);

        var deleted = await Storage.Audit.DeleteOlderThanAsync("acme", TestData.Epoch.AddSeconds(10), Ct);

        deleted.Should().Be(1);
        (await AllAsync("acme")).Select(e => e.RecordId).Should().Equal("new", "edge");
        (await AllAsync("globex")).Select(e => e.RecordId).Should().Equal("other");
    }

    [Fact]
    public virtual async Task Append_IdsKeepIncreasing_AfterTheNewestEntriesAreDeleted()
    {
        var first = await Storage.Audit.AppendAsync(Entry(second: 0), Ct);
        await Storage.Audit.DeleteOlderThanAsync("acme", TestData.Epoch.AddDays(1), Ct);

        var second = await Storage.Audit.AppendAsync(Entry(second: 1), Ct);

        second.Should().BeGreaterThan(first);
    }

    [Fact]
    public virtual async Task Append_InvalidEntry_IsRefused_AndNothingIsStored()
    {
        var invalid = new[]
        {
            Entry(tenant: "not a tenant"),
            Entry(actor: " "),
            Entry(operation: string.Empty),
            Entry(recordId: new string('x', AuditEntry.MaxRecordIdLength + 1)),
            Entry(errorType: "X"),
            Entry(count: -1),
            Entry(outcome: (AuditOutcome)42),
        };

        foreach (var entry in invalid)
        {
            await FluentActions.Awaiting(async () => await Storage.Audit.AppendAsync(entry, Ct)).Should().ThrowAsync<ArgumentException>();
        }

        (await AllAsync("acme")).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Query_InvalidQuery_IsRefused()
    {
        await FluentActions.Awaiting(async () => await Storage.Audit.QueryAsync("acme", new AuditQuery { PageSize = 0 }, Ct)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(async () => await Storage.Audit.QueryAsync("acme", new AuditQuery { Actor = " " }, Ct)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(async () => await Storage.Audit.QueryAsync("acme", new AuditQuery { From = TestData.Epoch, To = TestData.Epoch.AddTicks(-1) }, Ct))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(async () => await Storage.Audit.QueryAsync("a b", new AuditQuery(), Ct)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public virtual async Task Entries_SurviveReopening()
    {
        var id = await Storage.Audit.AppendAsync(Entry(recordId: "kept"), Ct);
        await using var reopened = await ReopenAsync();
        Assert.SkipWhen(reopened is null, "The store keeps nothing beyond its instance.");

        var page = await reopened!.Audit.QueryAsync("acme", new AuditQuery(), Ct);

        page.Entries.Should().ContainSingle().Which.Should().Be(Entry(recordId: "kept") with { Id = id });
    }
}
