using EvalKit.Caching;
using EvalKit.Metrics;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Caching;

public sealed class CachingDependencyInjectionTests
{
    private static readonly DateTimeOffset At = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MetricAggregateQuery Query => new() { ModelId = "m/a", Name = "latency_ms", From = At.AddHours(-1), To = At.AddHours(1) };

    [Fact]
    public async Task AddEvalKit_RegistersOneCache_OverAHybridCache_AndTheServicesUseIt()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        services.AddEvalKit();
        await using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(EvalKitCache)).Should().Be(1);
        services.Count(d => d.ImplementationType == typeof(CachedAnswerSerializerFactory)).Should().Be(1);
        provider.GetServices<IHybridCacheSerializerFactory>().Last().Should().BeOfType<CachedAnswerSerializerFactory>(
            "HybridCache asks the factories registered last first: EvalKit's answers use EvalKit's contracts, not reflection");
        var cache = provider.GetRequiredService<EvalKitCache>();
        cache.Enabled.Should().BeTrue();
        provider.GetRequiredService<HybridCache>().Should().NotBeNull();
        var metrics = provider.GetRequiredService<IMetricsService>();
        await metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 1, At)], Ct);
        (await metrics.AggregateAsync(Query, Ct)).Should().BeSameAs(await metrics.AggregateAsync(Query, Ct));
    }

    [Fact]
    public async Task AddEvalKit_KeepsTheHostsHybridCacheAndItsOptions_WhicheverComesFirst()
    {
        var before = new ServiceCollection();
        before.AddHybridCache(o => o.MaximumPayloadBytes = 123_456);
        before.AddEvalKit();
        var after = new ServiceCollection();
        after.AddEvalKit();
        after.AddHybridCache(o => o.MaximumPayloadBytes = 123_456);

        foreach (var services in new[] { before, after })
        {
            await using var provider = services.BuildServiceProvider();
            services.Count(d => d.ServiceType == typeof(HybridCache)).Should().Be(1);
            provider.GetRequiredService<IOptions<HybridCacheOptions>>().Value.MaximumPayloadBytes.Should().Be(123_456);
        }
    }

    [Fact]
    public async Task AddEvalKit_CachingOff_EveryReadGoesToTheStore()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.Caching.Enabled = false);
        await using var provider = services.BuildServiceProvider();
        var metrics = provider.GetRequiredService<IMetricsService>();
        await metrics.RecordAsync([TestData.Point("m/a", "latency_ms", 1, At)], Ct);

        provider.GetRequiredService<EvalKitCache>().Enabled.Should().BeFalse();
        (await metrics.AggregateAsync(Query, Ct)).Should().NotBeSameAs(await metrics.AggregateAsync(Query, Ct));
    }

    [Fact]
    public void AddEvalKit_InvalidCachingOptions_FailWhenTheCacheIsBuilt()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.Caching.MetricsQueries = TimeSpan.FromMinutes(-1));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<EvalKitCache>();

        act.Should().Throw<OptionsValidationException>().WithMessage("*MetricsQueries must be positive*");
    }
}
