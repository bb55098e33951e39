using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Registry;

public sealed class ModelRegistryCacheTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly RegistryTestClock _clock = new();
    private readonly CountingStorage _storage = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ModelRegistry Registry(TimeSpan? interval = null, CountingStorage? storage = null) =>
        new(storage ?? _storage, _clock, SystemActorContext.Instance, Options.Create(new ModelRegistryOptions { CacheRefreshInterval = interval ?? Interval }));

    [Fact]
    public async Task Reads_WithinTheInterval_TouchNeitherTheCounterNorTheModels()
    {
        var registry = Registry();
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);
        (await registry.GetAsync("local/a", Ct)).Should().NotBeNull();
        var (lists, counters) = (_storage.ListCalls, _storage.CounterReads);

        for (var i = 0; i < 100; i++)
        {
            (await registry.GetAsync("local/a", Ct)).Should().NotBeNull();
            (await registry.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().HaveCount(1);
            (await registry.FindByCapabilitiesAsync([], Ct)).Should().HaveCount(1);
        }

        (_storage.ListCalls, _storage.CounterReads).Should().Be((lists, counters));
    }

    [Fact]
    public async Task AfterTheInterval_OneCounterRead_AndNoReloadWhenNothingChanged()
    {
        var registry = Registry();
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);
        var snapshot = await registry.GetSnapshotAsync(Ct);
        var (lists, counters) = (_storage.ListCalls, _storage.CounterReads);

        _clock.Advance(Interval);
        (await registry.GetSnapshotAsync(Ct)).Should().BeSameAs(snapshot);
        (await registry.GetSnapshotAsync(Ct)).Should().BeSameAs(snapshot);

        (_storage.ListCalls, _storage.CounterReads).Should().Be((lists, counters + 1));
    }

    [Fact]
    public async Task OwnWrites_AreSeenAtOnce_WhateverTheInterval()
    {
        var registry = Registry(TimeSpan.FromDays(1));
        var empty = await registry.GetSnapshotAsync(Ct);

        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a", Capabilities = new HashSet<string> { "chat" } }, Ct);
        (await registry.GetAsync("local/a", Ct)).Should().NotBeNull();
        await registry.UpdateAsync("local/a", m => m with { Capabilities = new HashSet<string> { "chat", "vision" } }, Ct);
        (await registry.FindByCapabilitiesAsync(["vision"], Ct)).Should().ContainSingle();
        await registry.RetireAsync("local/a", cancellationToken: Ct);
        (await registry.ListAsync(new ModelQuery { Status = ModelStatus.Retired }, Ct).ToListAsync(Ct)).Should().ContainSingle();
        await registry.DeleteAsync("local/a", Ct);
        (await registry.GetAsync("local/a", Ct)).Should().BeNull();

        var snapshot = await registry.GetSnapshotAsync(Ct);
        snapshot.Version.Should().BeGreaterThan(empty.Version);
        snapshot.Models.Should().BeEmpty();
    }

    [Fact]
    public async Task WritesByAnotherRegistry_AreSeenOnceTheIntervalHasPassed()
    {
        var reader = Registry();
        var writer = Registry();
        (await reader.GetAsync("local/a", Ct)).Should().BeNull();

        await writer.RegisterAsync(new ModelDescriptor { Id = "local/a", DisplayName = "A" }, Ct);

        (await reader.GetAsync("local/a", Ct)).Should().BeNull("the reader trusts its snapshot for the interval");
        _clock.Advance(Interval);
        (await reader.GetAsync("local/a", Ct))!.DisplayName.Should().Be("A");

        await writer.UpdateAsync("local/a", m => m with { DisplayName = "A2" }, Ct);
        _clock.Advance(Interval);
        (await reader.GetAsync("local/a", Ct))!.DisplayName.Should().Be("A2");
    }

    [Fact]
    public async Task ZeroInterval_ChecksTheCounterOnEveryRead_AndReloadsOnlyOnChange()
    {
        var reader = Registry(TimeSpan.Zero);
        var writer = Registry();
        await reader.GetSnapshotAsync(Ct);
        var (lists, counters) = (_storage.ListCalls, _storage.CounterReads);

        await reader.GetSnapshotAsync(Ct);
        await reader.GetSnapshotAsync(Ct);
        (_storage.ListCalls, _storage.CounterReads).Should().Be((lists, counters + 2));

        await writer.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);
        (await reader.GetAsync("local/a", Ct)).Should().NotBeNull();
        _storage.ListCalls.Should().Be(lists + 1);
    }

    [Fact]
    public async Task Snapshot_IsTheSameInstanceUntilAModelChanges_AndItsVersionFollowsTheStore()
    {
        var registry = Registry();
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/b" }, Ct);
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);

        var first = await registry.GetSnapshotAsync(Ct);
        (await registry.GetSnapshotAsync(Ct)).Should().BeSameAs(first);
        first.Version.Should().Be(await _storage.Models.GetChangeCounterAsync(Ct));
        first.Models.Select(m => m.Id).Should().Equal("local/a", "local/b");
        first.Find("local/a")!.Id.Should().Be("local/a");
        first.Find("LOCAL/A").Should().BeNull();

        await registry.UpdateAsync("local/a", m => m with { DisplayName = "A" }, Ct);
        var second = await registry.GetSnapshotAsync(Ct);

        second.Should().NotBeSameAs(first);
        second.Version.Should().NotBe(first.Version);
        first.Find("local/a")!.DisplayName.Should().BeNull("a snapshot never changes");
        second.Find("local/a")!.DisplayName.Should().Be("A");
    }

    [Fact]
    public async Task CachedReads_CompleteSynchronously_AndAllocateNothing()
    {
        var registry = Registry();
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);
        await registry.GetSnapshotAsync(Ct);
        for (var i = 0; i < 100; i++)
        {
            await registry.GetSnapshotAsync(Ct);
            await registry.GetAsync("local/a", Ct);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var synchronous = true;
        for (var i = 0; i < 1_000; i++)
        {
            var snapshot = registry.GetSnapshotAsync(Ct);
            var model = registry.GetAsync("local/a", Ct);
            synchronous &= snapshot.IsCompletedSuccessfully && model.IsCompletedSuccessfully;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        synchronous.Should().BeTrue();
        allocated.Should().Be(0);
    }
}
