using EvalKit.Registry;
using EvalKit.Security;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Registry;

public sealed class ModelRegistryDependencyInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddEvalKit_RecordsTheSystemActorByDefault()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEvalKitActorContext>().Should().BeSameAs(SystemActorContext.Instance);
        var registry = provider.GetRequiredService<IModelRegistry>();
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);

        (await registry.GetRevisionsAsync("local/a", Ct).ToListAsync(Ct)).Single().ChangedBy.Should().Be("system");
    }

    [Fact]
    public async Task AHostsActorContextAndRegistryOptions_AreUsed_WhereverTheyAreRegistered()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        services.AddSingleton<IEvalKitActorContext>(new MutableActor("carol"));
        services.Configure<ModelRegistryOptions>(o => o.CacheRefreshInterval = TimeSpan.FromSeconds(-1));
        await using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IModelRegistry>()).Should().Throw<ArgumentException>().WithMessage("*CacheRefreshInterval*");

        var fixedServices = new ServiceCollection();
        fixedServices.AddSingleton<IEvalKitActorContext>(new MutableActor("dave"));
        fixedServices.AddEvalKit();
        await using var fixedProvider = fixedServices.BuildServiceProvider();
        var registry = fixedProvider.GetRequiredService<IModelRegistry>();
        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);
        (await registry.GetRevisionsAsync("local/a", Ct).ToListAsync(Ct)).Single().ChangedBy.Should().Be("dave");
    }

    [Fact]
    public async Task AnActorContextRegisteredAfterAddEvalKit_IsUsed()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        services.AddSingleton<IEvalKitActorContext>(new MutableActor("erin"));
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();

        await registry.RegisterAsync(new ModelDescriptor { Id = "local/a" }, Ct);

        (await registry.GetRevisionsAsync("local/a", Ct).ToListAsync(Ct)).Single().ChangedBy.Should().Be("erin");
    }
}
