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
}
