using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.DependencyInjection;

public sealed class DependencyInjectionPatterns
{
    [Fact]
    public void AddEvalKit_RegistersEveryServiceAsASingleton()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();

        foreach (var type in new[] { typeof(IEvalKitStorage), typeof(IModelRegistry), typeof(IDatasetStore), typeof(IEvaluationEngine), typeof(IModelClientProvider), typeof(TimeProvider), typeof(ScorerCatalog) })
        {
            services.Should().ContainSingle(d => d.ServiceType == type).Which.Lifetime.Should().Be(ServiceLifetime.Singleton, type.Name);
        }

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IEvaluationEngine>().Should().BeSameAs(provider.GetRequiredService<IEvaluationEngine>());
        provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<InMemoryEvalKitStorage>();
    }

    [Fact]
    public void AddEvalKit_Twice_AddsNothingTwiceButAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.DefaultConfidenceLevel = 0.9);
        var count = services.Count;

        services.AddEvalKit(o => o.RetryBaseDelay = TimeSpan.FromSeconds(3));

        services.Count(d => d.ServiceType != typeof(IConfigureOptions<EvalKitOptions>)).Should().Be(count - 1);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<EvalKitOptions>>().Value;
        options.DefaultConfidenceLevel.Should().Be(0.9);
        options.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void AddEvalKit_KeepsServicesTheHostRegisteredFirst()
    {
        var clock = new FixedClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);

        services.AddEvalKit();

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(clock);
    }

    [Fact]
    public async Task UseStorage_ReplacesTheDefaultStore()
    {
        var store = new InMemoryEvalKitStorage();
        var services = new ServiceCollection();

        services.AddEvalKit().UseStorage(_ => store);

        services.Count(d => d.ServiceType == typeof(IEvalKitStorage)).Should().Be(1);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IEvalKitStorage>().Should().BeSameAs(store);
    }

    [Fact]
    public async Task KeyedChatClients_AreFoundByModelId_AndTheRegistryUsesTheInjectedClock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock());
        services.AddEvalKit();
        services.AddKeyedChatClient("local/a", FakeChatClient.Answering(_ => "4"));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IModelClientProvider>().GetClient("local/a").Should().NotBeNull();
        provider.GetRequiredService<IModelClientProvider>().GetClient("local/b").Should().BeNull();

        var model = await provider.GetRequiredService<IModelRegistry>().RegisterAsync(new ModelDescriptor { Id = "local/a" }, TestContext.Current.CancellationToken);
        model.UpdatedAt.Should().Be(FixedClock.Now);
    }

    [Fact]
    public void InvalidOptions_FailWhenTheServicesAreResolved_NamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.DefaultConfidenceLevel = 1.5);
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<EvalKitOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*DefaultConfidenceLevel*");
    }

    [Fact]
    public void AddScorer_MakesTheScorerNameable()
    {
        var services = new ServiceCollection();
        services.AddEvalKit().AddScorer(new EvalKit.Scoring.ExactMatchScorer(EvalKit.Scoring.TextNormalization.Lenient, "lenient_match"));
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<ScorerCatalog>();

        catalog.TryGet("lenient_match", out _).Should().BeTrue();
        catalog.TryGet("exact_match", out _).Should().BeTrue();
    }

    private sealed class FixedClock : TimeProvider
    {
        public static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
