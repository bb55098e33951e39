using EvalKit.Evaluation;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>The bulk deletes of retention: each touches what it names, of the current tenant only.</summary>
public abstract class RetentionStorageTests : StorageTestBase
{
    private static CachedResponse Cached(string key, DateTimeOffset at) => new() { Key = key, ModelId = "local/test", Text = "answer", CreatedAt = at };

    [Fact]
    public virtual async Task DeleteResults_DeletesEveryResultOfTheRun_AndNothingElse()
    {
        await Storage.Runs.TryAddAsync(TestData.Run("a"), Ct);
        await Storage.Results.AppendAsync([TestData.Result("a", 0), TestData.Result("a", 0, 1), TestData.Result("a", 5, failed: true), TestData.Result("b", 0)], Ct);

        var deleted = await Storage.Retention.DeleteResultsAsync("a", Ct);

        deleted.Should().Be(3);
        (await ToListAsync(Storage.Results.ReadAsync("a", Ct))).Should().BeEmpty();
        (await Storage.Results.CountAsync("a", Ct)).Should().Be(default(ResultCounts));
        (await ToListAsync(Storage.Results.ReadAsync("b", Ct))).Should().ContainSingle();
        (await Storage.Runs.GetAsync("a", Ct)).Should().NotBeNull("the run record is kept");
        (await Storage.Retention.DeleteResultsAsync("a", Ct)).Should().Be(0);
    }

    [Fact]
    public virtual async Task DeleteRun_DeletesTheRunItsResultsAndItsShards()
    {
        await Storage.Runs.TryAddAsync(TestData.Run("a"), Ct);
        await Storage.Runs.TryAddAsync(TestData.Run("b"), Ct);
        await Storage.Results.AppendAsync([TestData.Result("a", 0), TestData.Result("a", 1), TestData.Result("b", 0)], Ct);
        bool shards;
        try
        {
            shards = await Storage.Shards.CreateAsync(RunShard.Split("a", 4, 2), Ct);
        }
        catch (NotSupportedException)
        {
            shards = false;
        }

        var deleted = await Storage.Retention.DeleteRunAsync("a", Ct);

        deleted.Should().Be(2);
        (await Storage.Runs.GetAsync("a", Ct)).Should().BeNull();
        (await ToListAsync(Storage.Results.ReadAsync("a", Ct))).Should().BeEmpty();
        if (shards)
        {
            (await Storage.Shards.CountAsync("a", Ct)).Total.Should().Be(0);
        }

        (await Storage.Runs.GetAsync("b", Ct)).Should().NotBeNull();
        (await ToListAsync(Storage.Results.ReadAsync("b", Ct))).Should().ContainSingle();
    }

    [Fact]
    public virtual async Task DeleteCachedResponsesOlderThan_DeletesOnlyOlderResponses()
    {
        await Storage.ResponseCache.AddAsync([Cached("old", TestData.Epoch), Cached("edge", TestData.Epoch.AddTicks(1)), Cached("new", TestData.Epoch.AddDays(1))], Ct);

        var deleted = await Storage.Retention.DeleteCachedResponsesOlderThanAsync(TestData.Epoch.AddTicks(1), Ct);

        deleted.Should().Be(1);
        (await Storage.ResponseCache.GetAsync("old", Ct)).Should().BeNull();
        (await Storage.ResponseCache.GetAsync("edge", Ct)).Should().NotBeNull();
        (await Storage.ResponseCache.GetAsync("new", Ct)).Should().NotBeNull();
    }

    [Fact]
    public virtual async Task Deletes_TouchOnlyTheCurrentTenant()
    {
        foreach (var tenant in new[] { "acme", "globex" })
        {
            using (EvalKitTenant.Use(tenant))
            {
                await Storage.Runs.TryAddAsync(TestData.Run("same-id"), Ct);
                await Storage.Results.AppendAsync([TestData.Result("same-id", 0), TestData.Result("same-id", 1)], Ct);
                await Storage.ResponseCache.AddAsync([Cached("k", TestData.Epoch)], Ct);
            }
        }

        using (EvalKitTenant.Use("acme"))
        {
            (await Storage.Retention.DeleteResultsAsync("same-id", Ct)).Should().Be(2);
            (await Storage.Retention.DeleteCachedResponsesOlderThanAsync(TestData.Epoch.AddDays(1), Ct)).Should().Be(1);
            (await Storage.Retention.DeleteRunAsync("same-id", Ct)).Should().Be(0);
            (await Storage.Runs.GetAsync("same-id", Ct)).Should().BeNull();
        }

        using (EvalKitTenant.Use("globex"))
        {
            (await Storage.Runs.GetAsync("same-id", Ct)).Should().NotBeNull();
            (await Storage.Results.CountAsync("same-id", Ct)).Total.Should().Be(2);
            (await Storage.ResponseCache.GetAsync("k", Ct)).Should().NotBeNull();
        }
    }
}
