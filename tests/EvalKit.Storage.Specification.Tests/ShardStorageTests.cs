namespace EvalKit.Storage.Specification.Tests;

/// <summary>The conformance suite of <see cref="IRunShardStorage"/>: claims, leases, take-overs and the finalizing shard.</summary>
public abstract class ShardStorageTests : StorageTestBase
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public void Split_CoversEveryCaseOnceAndEndsWithTheFinalizingShard()
    {
        var shards = RunShard.Split("run", 2_501, 1_000);

        shards.Select(s => (s.Index, s.FromOrdinal, s.ToOrdinal, s.Finalizes)).Should().Equal(
            (0, 0L, 1_000L, false), (1, 1_000L, 2_000L, false), (2, 2_000L, 2_501L, false), (3, 0L, 0L, true));
        RunShard.Split("empty", 0, 10).Should().ContainSingle().Which.Finalizes.Should().BeTrue();
    }

    [Fact]
    public async Task Create_IsOnceOnly_AndListsThePendingShards()
    {
        (await Storage.Shards.CreateAsync(RunShard.Split("run-a", 30, 10), Ct)).Should().BeTrue();
        (await Storage.Shards.CreateAsync(RunShard.Split("run-a", 50, 10), Ct)).Should().BeFalse();

        var listed = await ToListAsync(Storage.Shards.ListAsync("run-a", Ct));
        listed.Select(s => s.Index).Should().Equal(0, 1, 2, 3);
        listed.Should().OnlyContain(s => s.State == ShardState.Pending && s.Claims == 0 && s.WorkerId == null);
        listed[2].Should().Match<RunShard>(s => s.FromOrdinal == 20 && s.ToOrdinal == 30 && !s.Finalizes);
        listed[3].Finalizes.Should().BeTrue();
        (await Storage.Shards.CountAsync("run-a", Ct)).Should().Be(new ShardCounts(4, 0, 0));
        (await Storage.Shards.CountAsync("no-such-run", Ct)).Total.Should().Be(0);
    }

    [Fact]
    public async Task Create_RejectsShardsOfTwoRunsOrWithoutTheFinalizingShard()
    {
        var mixed = RunShard.Split("run-a", 20, 10).Take(2).Concat(RunShard.Split("run-b", 10, 10).Skip(1)).ToList();
        var noFinalizer = RunShard.Split("run-c", 20, 10).Take(2).ToList();

        await FluentActions.Awaiting(async () => await Storage.Shards.CreateAsync(mixed, Ct)).Should().ThrowAsync<ArgumentException>().WithMessage("*run-b*");
        await FluentActions.Awaiting(async () => await Storage.Shards.CreateAsync(noFinalizer, Ct)).Should().ThrowAsync<ArgumentException>().WithMessage("*finalizing*");
        (await Storage.Shards.CountAsync("run-a", Ct)).Total.Should().Be(0);
    }

    [Fact]
    public async Task Claim_TakesTheLowestFreeShard_AndHoldsTheFinalizerBackUntilTheRestIsDone()
    {
        await Storage.Shards.CreateAsync(RunShard.Split("run", 20, 10), Ct);

        var first = await Storage.Shards.TryClaimAsync("run", "w1", T0, Lease, Ct);
        var second = await Storage.Shards.TryClaimAsync("run", "w2", T0, Lease, Ct);
        var none = await Storage.Shards.TryClaimAsync("run", "w3", T0, Lease, Ct);

        first!.Shard.Index.Should().Be(0);
        first.Shard.State.Should().Be(ShardState.Claimed);
        first.Claim.Should().Be(1);
        first.ExpiresAt.Should().Be(T0 + Lease);
        second!.Shard.Index.Should().Be(1);
        none.Should().BeNull("the finalizing shard waits for shards 0 and 1");

        (await Storage.Shards.CompleteAsync(first, T0, Ct)).Should().BeTrue();
        (await Storage.Shards.TryClaimAsync("run", "w3", T0, Lease, Ct)).Should().BeNull("shard 1 is still held");
        (await Storage.Shards.CompleteAsync(second, T0, Ct)).Should().BeTrue();

        var finalizer = await Storage.Shards.TryClaimAsync("run", "w3", T0, Lease, Ct);
        finalizer!.Shard.Finalizes.Should().BeTrue();
        (await Storage.Shards.CompleteAsync(finalizer, T0.AddSeconds(1), Ct)).Should().BeTrue();
        (await Storage.Shards.CountAsync("run", Ct)).Should().Be(new ShardCounts(0, 0, 3));
        (await Storage.Shards.TryClaimAsync("run", "w3", T0, Lease, Ct)).Should().BeNull();
        (await ToListAsync(Storage.Shards.ListAsync("run", Ct))).Last().CompletedAt.Should().Be(T0.AddSeconds(1));
    }

    [Fact]
    public async Task ExpiredLease_IsTakenOver_AndTheStaleHolderCanNeitherRenewNorComplete()
    {
        await Storage.Shards.CreateAsync(RunShard.Split("run", 10, 10), Ct);
        var dead = await Storage.Shards.TryClaimAsync("run", "dead", T0, Lease, Ct);

        (await Storage.Shards.TryClaimAsync("run", "late", T0 + Lease - TimeSpan.FromSeconds(1), Lease, Ct)).Should().BeNull("the lease is live");
        var takeover = await Storage.Shards.TryClaimAsync("run", "late", T0 + Lease + TimeSpan.FromSeconds(1), Lease, Ct);

        takeover!.Shard.Index.Should().Be(0);
        takeover.Claim.Should().Be(2);
        takeover.WorkerId.Should().Be("late");
        (await Storage.Shards.RenewAsync(dead!, T0 + Lease, Lease, Ct)).Should().BeNull();
        (await Storage.Shards.CompleteAsync(dead!, T0 + Lease, Ct)).Should().BeFalse();
        (await Storage.Shards.CountAsync("run", Ct)).Should().Be(new ShardCounts(1, 1, 0));
        (await Storage.Shards.CompleteAsync(takeover, T0 + Lease, Ct)).Should().BeTrue();
    }

    [Fact]
    public async Task Renew_ExtendsTheLease_SoTheShardIsNotTakenOver()
    {
        await Storage.Shards.CreateAsync(RunShard.Split("run", 10, 10), Ct);
        var lease = await Storage.Shards.TryClaimAsync("run", "w1", T0, Lease, Ct);

        var renewed = await Storage.Shards.RenewAsync(lease!, T0 + TimeSpan.FromSeconds(20), Lease, Ct);

        renewed!.ExpiresAt.Should().Be(T0 + TimeSpan.FromSeconds(50));
        renewed.Claim.Should().Be(lease!.Claim);
        (await Storage.Shards.TryClaimAsync("run", "w2", T0 + TimeSpan.FromSeconds(40), Lease, Ct)).Should().BeNull();
        (await Storage.Shards.CompleteAsync(renewed, T0 + TimeSpan.FromSeconds(45), Ct)).Should().BeTrue();
        (await Storage.Shards.RenewAsync(renewed, T0 + TimeSpan.FromSeconds(46), Lease, Ct)).Should().BeNull("a done shard has no lease to renew");
    }

    [Fact]
    public async Task Claim_WithoutARun_ServesEveryRunAsAQueue()
    {
        await Storage.Shards.CreateAsync(RunShard.Split("run-a", 10, 10), Ct);
        await Storage.Shards.CreateAsync(RunShard.Split("run-b", 10, 10), Ct);

        var claimed = new List<ShardLease>();
        while (await Storage.Shards.TryClaimAsync(null, "w", T0, Lease, Ct) is { } lease)
        {
            claimed.Add(lease);
            (await Storage.Shards.CompleteAsync(lease, T0, Ct)).Should().BeTrue();
        }

        claimed.Select(l => (l.Shard.RunId, l.Shard.Finalizes)).Should().BeEquivalentTo(
            [("run-a", false), ("run-a", true), ("run-b", false), ("run-b", true)]);
    }

    [Fact]
    public async Task ConcurrentClaims_NeverHandOneShardToTwoWorkers()
    {
        await Storage.Shards.CreateAsync(RunShard.Split("run", 400, 10), Ct);
        var claims = new System.Collections.Concurrent.ConcurrentBag<int>();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(
            async () =>
            {
                while (await Storage.Shards.TryClaimAsync("run", $"w{w}", T0, Lease, Ct) is { } lease)
                {
                    claims.Add(lease.Shard.Index);
                    if (!lease.Shard.Finalizes)
                    {
                        (await Storage.Shards.CompleteAsync(lease, T0, Ct)).Should().BeTrue();
                    }
                }
            },
            Ct)));

        // The worker that completes the last of the 40 shards loops once more and claims the finalizing shard (index 40).
        claims.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(0, 41));
    }

    [Fact]
    public async Task Shards_SurviveReopening()
    {
        await Storage.Shards.CreateAsync(RunShard.Split("run", 20, 10), Ct);
        var lease = await Storage.Shards.TryClaimAsync("run", "w1", T0, Lease, Ct);
        await Storage.Shards.CompleteAsync(lease!, T0, Ct);

        await using var reopened = await ReopenAsync();
        if (reopened is null)
        {
            return;
        }

        await reopened.InitializeAsync(Ct);
        (await reopened.Shards.CountAsync("run", Ct)).Should().Be(new ShardCounts(2, 0, 1));
        (await reopened.Shards.TryClaimAsync("run", "w2", T0, Lease, Ct))!.Shard.Index.Should().Be(1);
    }
}
