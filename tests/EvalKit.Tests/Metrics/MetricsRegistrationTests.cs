using EvalKit.Metrics;
using EvalKit.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Metrics;

public sealed class MetricsRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddEvalKit_RegistersTheMetricsServiceAsASingleton_OverTheStoreAndClock_WithConfiguredOptions()
    {
        var clock = new ManualClock(MetricTestData.Start.AddDays(100));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddEvalKit().ConfigureMetrics(o => o.Retention.Add(new MetricRetentionRule { MaxAge = TimeSpan.FromDays(30) }));
        services.AddEvalKit();

        services.Should().ContainSingle(d => d.ServiceType == typeof(IMetricsService)).Which.Lifetime.Should().Be(ServiceLifetime.Singleton);
        await using var provider = services.BuildServiceProvider();
        var metrics = provider.GetRequiredService<IMetricsService>();
        metrics.Should().BeOfType<MetricsService>().And.BeSameAs(provider.GetRequiredService<IMetricsService>());

        await metrics.RecordAsync("m", "x", 1, cancellationToken: Ct);
        var storage = provider.GetRequiredService<IEvalKitStorage>();
        var stored = await storage.Metrics.QueryAsync("m", "x", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct);
        stored.Should().ContainSingle().Which.Timestamp.Should().Be(clock.Now);
        clock.Now = clock.Now.AddDays(31);
        (await metrics.ApplyRetentionAsync(Ct)).Should().Be(1, "the configured 30-day rule applies");
    }

    [Fact]
    public async Task EvalKitHost_ExposesAMetricsServiceOverItsStore()
    {
        await using var kit = EvalKitHost.Create(timeProvider: new ManualClock(MetricTestData.Start));

        await kit.Metrics.RecordCallAsync(new ModelCallObservation { ModelId = "m", Latency = TimeSpan.FromMilliseconds(5) }, Ct);

        (await kit.Storage.Metrics.QueryAsync("m", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct).ToListAsync(Ct)).Should().HaveCount(2);
    }
}
