using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Selection;

public sealed class SelectionDependencyInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddEvalKit_RegistersTheSelectionServicesAsSingletons()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        services.AddEvalKit();

        foreach (var type in new[] { typeof(ISelectionEngine), typeof(ISelectionEvidenceSource), typeof(StorageSelectionEvidenceSource) })
        {
            services.Should().ContainSingle(d => d.ServiceType == type).Which.Lifetime.Should().Be(ServiceLifetime.Singleton, type.Name);
        }

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ISelectionEngine>().Should().BeOfType<SelectionEngine>().And.BeSameAs(provider.GetRequiredService<ISelectionEngine>());
        provider.GetRequiredService<ISelectionEvidenceSource>().Should().BeSameAs(provider.GetRequiredService<StorageSelectionEvidenceSource>());
    }

    [Fact]
    public void ConfigureSelection_InvalidOptions_FailWhenTheEngineIsBuilt()
    {
        var services = new ServiceCollection();
        services.AddEvalKit().ConfigureSelection(o => o.Online.DiscountFactor = 0);
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<ISelectionEngine>();

        act.Should().Throw<ArgumentException>().WithMessage("*Online.DiscountFactor*");
    }

    [Fact]
    public async Task UseModelSelection_RoutesThroughTheRegisteredEngineAndKeyedClients()
    {
        var clock = new ManualClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddEvalKit().ConfigureSelection(o => o.MinRuntimeSamples = 5);
        services.AddKeyedChatClient("m/a", SimChatClient.Answering("a", clock, TimeSpan.FromMilliseconds(100)));
        services.AddKeyedChatClient("m/b", SimChatClient.Answering("b", clock, TimeSpan.FromMilliseconds(100)));
        services.AddChatClient(SimChatClient.Answering("inner", clock, TimeSpan.Zero))
            .UseModelSelection(_ => new SelectionRequest { BenchmarkId = "bench", Weights = new(1, 0, 0, 0) });
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();
        var storage = provider.GetRequiredService<IEvalKitStorage>();
        foreach (var (id, quality) in new[] { ("m/a", 0.6), ("m/b", 0.8) })
        {
            await registry.RegisterAsync(new ModelDescriptor { Id = id, Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
            await StoredEvidence.AddCompletedRunAsync(storage, "run-" + id, id, clock.GetUtcNow().AddDays(-1), mean: quality);
        }

        var chat = provider.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("hello", cancellationToken: Ct);

        response.ModelId.Should().Be("m/b");
        response.Text.Should().Be("ok from b");
        chat.GetService<ISelectionEngine>().Should().BeSameAs(provider.GetRequiredService<ISelectionEngine>());
        chat.GetService<SelectingChatClient>().Should().NotBeNull();
    }

    [Fact]
    public void UseModelSelection_WithoutEvalKit_SaysWhatIsMissing()
    {
        var builder = new ChatClientBuilder(SimChatClient.Answering("inner", new ManualClock(), TimeSpan.Zero))
            .UseModelSelection(new SelectionRequest());

        var act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*ISelectionEngine*AddEvalKit*");
    }

    [Fact]
    public async Task EvalKitHost_ExposesTheSelectionEngine()
    {
        var clock = new ManualClock();
        await using var kit = EvalKitHost.Create(timeProvider: clock);
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "m/a", Capabilities = new HashSet<string> { "chat" } }, cancellationToken: Ct);
        await StoredEvidence.AddCompletedRunAsync(kit.Storage, "run-a", "m/a", clock.GetUtcNow().AddDays(-1), mean: 0.7);
        kit.SelectionEvidence.Invalidate();

        var choice = await kit.Selection.SelectAsync(new SelectionRequest { BenchmarkId = "bench" }, cancellationToken: Ct);

        choice.ModelId.Should().Be("m/a");
        choice[SelectionCriterion.Quality].Evidence!.Source.Should().Contain("run-a");
    }
}
