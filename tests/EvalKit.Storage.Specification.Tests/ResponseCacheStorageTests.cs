namespace EvalKit.Storage.Specification.Tests;

public abstract class ResponseCacheStorageTests : StorageTestBase
{
    private static CachedResponse Entry(string key, string text) => new()
    {
        Key = key, ModelId = "local/model", Text = text, InputTokens = 12, OutputTokens = null, CreatedAt = TestData.Epoch,
    };

    [Fact]
    public virtual async Task Add_ThenGet_RoundTrips_AndAMissIsNull()
    {
        var odd = "answer with ' quotes; -- and NUL \0 and 🧪";
        await Storage.ResponseCache.AddAsync([Entry("k1", odd), Entry("k2", "two")], Ct);

        (await Storage.ResponseCache.GetAsync("k1", Ct)).Should().Be(Entry("k1", odd));
        (await Storage.ResponseCache.GetAsync("k3", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task Add_ExistingKey_KeepsTheFirstAnswer()
    {
        await Storage.ResponseCache.AddAsync([Entry("k", "first")], Ct);

        await Storage.ResponseCache.AddAsync([Entry("k", "second")], Ct);

        (await Storage.ResponseCache.GetAsync("k", Ct))!.Text.Should().Be("first");
    }
}
