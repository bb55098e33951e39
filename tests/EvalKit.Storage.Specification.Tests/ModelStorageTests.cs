using EvalKit.Registry;

namespace EvalKit.Storage.Specification.Tests;

public abstract class ModelStorageTests : StorageTestBase
{
    [Fact]
    public virtual async Task TryAdd_NewModel_RoundTripsEveryField()
    {
        var model = TestData.Model();

        (await Storage.Models.TryAddAsync(model, Ct)).Should().BeTrue();

        var stored = await Storage.Models.GetAsync(model.Id, Ct);
        stored.Should().Be(model);
        stored!.Capabilities.Should().BeEquivalentTo(["chat", "json"]);
        stored.Pricing!.InputPerMillionTokens.Should().Be(0.15m);
    }

    [Fact]
    public virtual async Task TryAdd_ExistingId_ReturnsFalseAndKeepsTheFirst()
    {
        await Storage.Models.TryAddAsync(TestData.Model(), Ct);

        var second = TestData.Model() with { DisplayName = "Impostor" };
        (await Storage.Models.TryAddAsync(second, Ct)).Should().BeFalse();

        (await Storage.Models.GetAsync(second.Id, Ct))!.DisplayName.Should().Be("Test model");
        (await ToListAsync(Storage.Models.GetHistoryAsync(second.Id, Ct))).Should().HaveCount(1);
    }

    [Fact]
    public virtual async Task TryUpdate_ExpectedRevision_WritesNewRevisionAndKeepsHistory()
    {
        var first = TestData.Model();
        await Storage.Models.TryAddAsync(first, Ct);
        var second = first with { Revision = 2, DisplayName = "Renamed", UpdatedAt = first.UpdatedAt.AddHours(1) };

        (await Storage.Models.TryUpdateAsync(second, expectedRevision: 1, Ct)).Should().BeTrue();

        (await Storage.Models.GetAsync(first.Id, Ct)).Should().Be(second);
        (await ToListAsync(Storage.Models.GetHistoryAsync(first.Id, Ct))).Should().Equal(first, second);
    }

    [Fact]
    public virtual async Task TryUpdate_StaleRevision_ReturnsFalseAndChangesNothing()
    {
        var first = TestData.Model();
        await Storage.Models.TryAddAsync(first, Ct);
        await Storage.Models.TryUpdateAsync(first with { Revision = 2 }, 1, Ct);

        (await Storage.Models.TryUpdateAsync(first with { Revision = 2, DisplayName = "Lost update" }, 1, Ct)).Should().BeFalse();

        (await Storage.Models.GetAsync(first.Id, Ct))!.DisplayName.Should().Be("Test model");
        (await ToListAsync(Storage.Models.GetHistoryAsync(first.Id, Ct))).Should().HaveCount(2);
    }

    [Fact]
    public virtual async Task TryUpdate_MissingModel_ReturnsFalse()
    {
        (await Storage.Models.TryUpdateAsync(TestData.Model("nobody"), 0, Ct)).Should().BeFalse();
        (await Storage.Models.GetAsync("nobody", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task List_ReturnsCurrentRevisionsOrderedById()
    {
        await Storage.Models.TryAddAsync(TestData.Model("b/model"), Ct);
        await Storage.Models.TryAddAsync(TestData.Model("a/model"), Ct);
        await Storage.Models.TryUpdateAsync(TestData.Model("b/model", revision: 2), 1, Ct);

        var listed = await ToListAsync(Storage.Models.ListAsync(Ct));

        listed.Select(m => (m.Id, m.Revision)).Should().Equal(("a/model", 1), ("b/model", 2));
    }

    [Fact]
    public virtual async Task OddText_RoundTripsVerbatim()
    {
        var odd = "quote ' double \" semicolon; -- DROP TABLE evaluation_models; NUL\0 emoji 🧪 rtl \u202Eabc";
        var model = TestData.Model("odd/model") with { DisplayName = odd, Metadata = new Dictionary<string, string> { [odd] = odd } };

        await Storage.Models.TryAddAsync(model, Ct);

        (await Storage.Models.GetAsync("odd/model", Ct)).Should().Be(model);
    }

    [Fact]
    public virtual async Task Revisions_RoundTripWhoAndWhatChanged()
    {
        var first = Revision(TestData.Model(), "alice@example.com", ModelChangeKind.Registered, "Registered.");
        var changedModel = TestData.Model(revision: 2) with
        {
            DisplayName = "Renamed",
            Status = ModelStatus.Deprecated,
            StatusReason = "superseded; see \"v2\"\nsecond line",
            ReplacementModelId = "local/test-v2",
            Tags = new HashSet<string> { "production", "team:search" },
            UpdatedAt = TestData.Epoch.AddHours(1),
        };
        var second = Revision(changedModel, "bob 🧪 NUL\0", ModelChangeKind.Deprecated, "Deprecated: superseded. Replacement: local/test-v2.",
            new ModelFieldChange("DisplayName", "Test model", "Renamed"),
            new ModelFieldChange("Status", "Active", "Deprecated"),
            new ModelFieldChange("Metadata[odd ' key]", null, "value\0with NUL"));

        (await Storage.Models.TryAddAsync(first, Ct)).Should().BeTrue();
        (await Storage.Models.TryUpdateAsync(second, expectedRevision: 1, Ct)).Should().BeTrue();

        var revisions = await ToListAsync(Storage.Models.GetRevisionsAsync(first.ModelId, Ct));
        revisions.Should().Equal(first, second);
        revisions[1].ChangedAt.Should().Be(TestData.Epoch.AddHours(1));
        revisions[1].Changes.Should().Equal(second.Changes);
        (await ToListAsync(Storage.Models.GetHistoryAsync(first.ModelId, Ct))).Should().Equal(first.Model, changedModel);
        (await Storage.Models.GetAsync(first.ModelId, Ct)).Should().Be(changedModel);
        (await ToListAsync(Storage.Models.GetRevisionsAsync("nobody", Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task DescriptorOnlyWrites_RecordRevisionsMadeBySystem()
    {
        var first = TestData.Model();
        await Storage.Models.TryAddAsync(first, Ct);
        await Storage.Models.TryUpdateAsync(first with { Revision = 2, Version = "2026-02" }, 1, Ct);

        var revisions = await ToListAsync(Storage.Models.GetRevisionsAsync(first.Id, Ct));

        revisions.Select(r => (r.Revision, r.ChangedBy, r.Kind)).Should().Equal((1, "system", ModelChangeKind.Registered), (2, "system", ModelChangeKind.Updated));
    }

    [Fact]
    public virtual async Task TryAddRevision_ExistingId_ReturnsFalseAndKeepsTheFirst()
    {
        var first = Revision(TestData.Model(), "alice", ModelChangeKind.Registered, "Registered.");
        await Storage.Models.TryAddAsync(first, Ct);

        (await Storage.Models.TryAddAsync(Revision(TestData.Model() with { DisplayName = "Impostor" }, "mallory", ModelChangeKind.Registered, "Registered."), Ct)).Should().BeFalse();

        (await ToListAsync(Storage.Models.GetRevisionsAsync(first.ModelId, Ct))).Should().Equal(first);
    }

    [Fact]
    public virtual async Task ChangeCounter_StartsAtZero_AndAdvancesWithEveryModelWriteOnly()
    {
        var counter = await Storage.Models.GetChangeCounterAsync(Ct);
        counter.Should().Be(0);

        await Storage.Models.TryAddAsync(TestData.Model(), Ct);
        counter = await AdvancedAsync(counter);

        await Storage.Models.TryAddAsync(TestData.Model(), Ct);
        counter = await UnchangedAsync(counter);

        await Storage.Models.TryUpdateAsync(TestData.Model(revision: 2), 1, Ct);
        counter = await AdvancedAsync(counter);

        await Storage.Models.TryUpdateAsync(TestData.Model(revision: 3), 1, Ct);
        counter = await UnchangedAsync(counter);

        await Storage.Models.TryUpdateAsync(TestData.Model("nobody", revision: 2), 1, Ct);
        counter = await UnchangedAsync(counter);

        await Storage.Runs.TryAddAsync(TestData.Run("r1"), Ct);
        await Storage.Models.DeleteAsync(TestData.Model().Id, Ct);
        counter = await UnchangedAsync(counter);

        await Storage.Models.DeleteAsync("nobody", Ct);
        counter = await UnchangedAsync(counter);

        await Storage.Models.TryAddAsync(TestData.Model("local/other"), Ct);
        counter = await AdvancedAsync(counter);

        await Storage.Models.DeleteAsync("local/other", Ct);
        await AdvancedAsync(counter);
    }

    [Fact]
    public virtual async Task Delete_RemovesTheModelAndEveryRevision_AndTheIdCanBeRegisteredAgain()
    {
        var model = TestData.Model();
        await Storage.Models.TryAddAsync(model, Ct);
        await Storage.Models.TryUpdateAsync(model with { Revision = 2, DisplayName = "Second" }, 1, Ct);
        await Storage.Models.TryAddAsync(TestData.Model("local/kept"), Ct);

        (await Storage.Models.DeleteAsync(model.Id, Ct)).Should().Be(ModelDeleteResult.Deleted);

        (await Storage.Models.GetAsync(model.Id, Ct)).Should().BeNull();
        (await ToListAsync(Storage.Models.GetRevisionsAsync(model.Id, Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Models.GetHistoryAsync(model.Id, Ct))).Should().BeEmpty();
        (await ToListAsync(Storage.Models.ListAsync(Ct))).Select(m => m.Id).Should().Equal("local/kept");
        (await Storage.Models.TryAddAsync(model, Ct)).Should().BeTrue();
        (await ToListAsync(Storage.Models.GetHistoryAsync(model.Id, Ct))).Should().Equal(model);
    }

    [Fact]
    public virtual async Task Delete_MissingModel_ReturnsNotFound()
    {
        await Storage.Models.TryAddAsync(TestData.Model(), Ct);

        (await Storage.Models.DeleteAsync("nobody", Ct)).Should().Be(ModelDeleteResult.NotFound);

        (await ToListAsync(Storage.Models.ListAsync(Ct))).Should().HaveCount(1);
    }

    [Fact]
    public virtual async Task Delete_ReferencedByRuns_CountsThemListsTheNewestAndDeletesNothing()
    {
        var model = TestData.Model();
        await Storage.Models.TryAddAsync(model, Ct);
        for (var i = 0; i < 12; i++)
        {
            await Storage.Runs.TryAddAsync(TestData.Run($"run-{i:00}", model.Id, createdAt: TestData.Epoch.AddMinutes(i)), Ct);
        }

        await Storage.Runs.TryAddAsync(TestData.Run("other-model-run", "local/other", createdAt: TestData.Epoch.AddDays(1)), Ct);

        var result = await Storage.Models.DeleteAsync(model.Id, Ct);

        result.Status.Should().Be(ModelDeleteStatus.ReferencedByRuns);
        result.RunCount.Should().Be(12);
        result.RunIds.Should().Equal(Enumerable.Range(2, ModelDeleteResult.MaxListedRuns).Reverse().Select(i => $"run-{i:00}"));
        (await Storage.Models.GetAsync(model.Id, Ct)).Should().Be(model);
        (await ToListAsync(Storage.Models.GetRevisionsAsync(model.Id, Ct))).Should().HaveCount(1);
    }

    [Fact]
    public virtual async Task TryUpdate_ConcurrentWritersOnTheSameRevision_ExactlyOneWins()
    {
        await Storage.Models.TryAddAsync(TestData.Model(), Ct);
        var before = await Storage.Models.GetChangeCounterAsync(Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await Storage.Models.TryUpdateAsync(Revision(TestData.Model(revision: 2) with { DisplayName = $"writer {i}" }, $"writer {i}", ModelChangeKind.Updated, "Changed DisplayName."), 1, Ct), Ct)));

        outcomes.Count(o => o).Should().Be(1);
        var revisions = await ToListAsync(Storage.Models.GetRevisionsAsync(TestData.Model().Id, Ct));
        revisions.Should().HaveCount(2);
        revisions[1].ChangedBy.Should().Be(revisions[1].Model.DisplayName);
        (await Storage.Models.GetChangeCounterAsync(Ct)).Should().BeGreaterThan(before);
    }

    [Fact]
    public virtual async Task ChangeCounter_IsSharedWithASecondInstanceOverTheSameStore()
    {
        var before = await Storage.Models.GetChangeCounterAsync(Ct);
        var reopened = await ReopenAsync();
        Assert.SkipWhen(reopened is null, "The provider keeps nothing outside one instance (in-memory): there is no second instance to share the counter with.");

        await using (reopened)
        {
            var seenBefore = await reopened.Models.GetChangeCounterAsync(Ct);
            seenBefore.Should().Be(before);

            await Storage.Models.TryAddAsync(TestData.Model(), Ct);

            (await reopened.Models.GetChangeCounterAsync(Ct)).Should().NotBe(seenBefore);
            (await reopened.Models.GetAsync(TestData.Model().Id, Ct)).Should().Be(TestData.Model());
            (await reopened.Models.DeleteAsync(TestData.Model().Id, Ct)).Should().Be(ModelDeleteResult.Deleted);
            (await Storage.Models.GetChangeCounterAsync(Ct)).Should().Be(await reopened.Models.GetChangeCounterAsync(Ct));
            (await Storage.Models.GetAsync(TestData.Model().Id, Ct)).Should().BeNull();
        }
    }

    private static ModelRevision Revision(ModelDescriptor model, string by, ModelChangeKind kind, string description, params ModelFieldChange[] changes) => new()
    {
        Model = model,
        ChangedBy = by,
        Kind = kind,
        Description = description,
        Changes = changes,
    };

    private async Task<long> AdvancedAsync(long before)
    {
        var now = await Storage.Models.GetChangeCounterAsync(Ct);
        now.Should().BeGreaterThan(before, "a committed model write advances the change counter");
        return now;
    }

    private async Task<long> UnchangedAsync(long before)
    {
        var now = await Storage.Models.GetChangeCounterAsync(Ct);
        now.Should().Be(before, "a write that changed nothing leaves the change counter alone");
        return now;
    }
}
