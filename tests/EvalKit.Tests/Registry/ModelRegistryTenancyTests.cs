using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Registry;

/// <summary>The registry's cached snapshot is per tenant: a tenant reads only its own models, through its own snapshot.</summary>
public sealed class ModelRegistryTenancyTests
{
    private const string A = "acme";
    private const string B = "globex";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachTenant_ReadsItsOwnModels_EvenWhileAnotherTenantsSnapshotIsCached()
    {
        var storage = new InMemoryEvalKitStorage();
        var registry = new ModelRegistry(storage, TimeProvider.System);
        using (EvalKitTenant.Use(A))
        {
            await registry.RegisterAsync(new ModelDescriptor { Id = "gpt-4o", DisplayName = "A's" }, Ct);
            (await registry.GetAsync("gpt-4o", Ct))!.DisplayName.Should().Be("A's");
        }

        using (EvalKitTenant.Use(B))
        {
            (await registry.GetAsync("gpt-4o", Ct)).Should().BeNull();
            (await registry.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty();
            await registry.RegisterAsync(new ModelDescriptor { Id = "gpt-4o", DisplayName = "B's" }, Ct);
            (await registry.GetSnapshotAsync(Ct)).Models.Should().ContainSingle().Which.DisplayName.Should().Be("B's");
        }

        using (EvalKitTenant.Use(A))
        {
            (await registry.GetSnapshotAsync(Ct)).Models.Should().ContainSingle().Which.DisplayName.Should().Be("A's");
            await FluentActions.Awaiting(async () => await registry.RegisterAsync(new ModelDescriptor { Id = "gpt-4o" }, Ct))
                .Should().ThrowAsync<EvalKitException>("A's own id is taken");
        }

        (await registry.GetAsync("gpt-4o", Ct)).Should().BeNull("the default tenant registered nothing");
    }

    [Fact]
    public async Task TheContainersTenantContext_NamesTheTenantOfRegistryWrites()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITenantContext>(new FixedTenant(A));
        services.AddEvalKit();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IModelRegistry>().RegisterAsync(new ModelDescriptor { Id = "gpt-4o" }, Ct);

        var storage = provider.GetRequiredService<IEvalKitStorage>();
        (await storage.Models.GetAsync("gpt-4o", Ct)).Should().NotBeNull("the store resolves the same tenant as the registry");
        using (EvalKitTenant.Use(A))
        {
            (await storage.Models.GetAsync("gpt-4o", Ct)).Should().NotBeNull();
        }

        using (EvalKitTenant.Use(EvalKitTenant.Default))
        {
            (await storage.Models.GetAsync("gpt-4o", Ct)).Should().BeNull();
            (await provider.GetRequiredService<IModelRegistry>().GetAsync("gpt-4o", Ct)).Should().BeNull();
        }
    }

    private sealed class FixedTenant(string tenant) : ITenantContext
    {
        public string CurrentTenant => tenant;
    }
}
