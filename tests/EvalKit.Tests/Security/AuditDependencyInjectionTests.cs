using EvalKit.Registry;
using EvalKit.Retention;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Security;

public sealed class AuditDependencyInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddEvalKit_RegistersTheAllowAllPolicy_TheAuditLog_AndRetention_AsSingletons_WithoutAHostedService()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();

        foreach (var type in new[] { typeof(IEvalKitAuthorizationPolicy), typeof(OperationGuard), typeof(IAuditLog), typeof(IRetentionService) })
        {
            services.Should().ContainSingle(d => d.ServiceType == type).Which.Lifetime.Should().Be(ServiceLifetime.Singleton, type.Name);
        }

        services.Should().NotContain(d => d.ServiceType == typeof(IHostedService), "background retention is opt-in");
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IEvalKitAuthorizationPolicy>().Should().BeSameAs(AllowAllAuthorizationPolicy.Instance);
        provider.GetRequiredService<IRetentionService>().Should().BeOfType<RetentionService>();
    }

    [Fact]
    public async Task AHostPolicyAndActor_RegisteredFirst_GuardTheRegistry_AndTheAuditLogRecordsThem()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEvalKitAuthorizationPolicy>(new DenyKind(EvalKitOperationKinds.ModelRetire));
        services.AddSingleton<IEvalKitActorContext>(new FixedActor("ops@acme"));
        services.AddEvalKit();
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();

        await registry.RegisterAsync(new ModelDescriptor { Id = "local/m" }, Ct);
        await FluentActions.Awaiting(async () => await registry.RetireAsync("local/m", cancellationToken: Ct)).Should().ThrowAsync<EvalKitAuthorizationException>();

        (await registry.GetAsync("local/m", Ct))!.Status.Should().Be(ModelStatus.Active);
        var page = await provider.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(), Ct);
        page.Entries.Select(e => (e.Operation, e.Actor, e.Outcome)).Should().Equal(
            (EvalKitOperationKinds.ModelRetire, "ops@acme", AuditOutcome.Denied),
            (EvalKitOperationKinds.ModelRegister, "ops@acme", AuditOutcome.Succeeded));
        (await provider.GetRequiredService<IEvalKitStorage>().Models.GetRevisionsAsync("local/m", Ct).ToListAsync(Ct)).Should().ContainSingle()
            .Which.ChangedBy.Should().Be("ops@acme");
    }

    [Fact]
    public void AddRetention_Twice_AddsOneHostedService_AndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddEvalKit()
            .AddRetention(o => o.Policy.CaseResultsMaxAge = TimeSpan.FromDays(30))
            .AddRetention(o => o.Interval = TimeSpan.FromMinutes(15));

        services.Where(d => d.ServiceType == typeof(IHostedService)).Should().ContainSingle()
            .Which.ImplementationType.Should().Be<RetentionBackgroundService>();
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<RetentionOptions>>().Value;
        options.Policy.CaseResultsMaxAge.Should().Be(TimeSpan.FromDays(30));
        options.Interval.Should().Be(TimeSpan.FromMinutes(15));
        provider.GetServices<IHostedService>().Should().ContainSingle().Which.Should().BeOfType<RetentionBackgroundService>();
    }

    [Fact]
    public void AddRetention_InvalidOptions_FailNamingEachProblem()
    {
        var services = new ServiceCollection();
        services.AddEvalKit().AddRetention(o =>
        {
            o.Interval = TimeSpan.Zero;
            o.Policy.AuditEntriesMaxAge = TimeSpan.FromDays(-1);
            o.Tenants.Add("not a tenant");
        });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<RetentionOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .WithMessage("*Interval must be positive*").And.Message.Should().Contain("AuditEntriesMaxAge").And.Contain("'not a tenant'");
    }

    private sealed class FixedActor(string actor) : IEvalKitActorContext
    {
        public string CurrentActor => actor;
    }

    private sealed class DenyKind(string kind) : IEvalKitAuthorizationPolicy
    {
        public ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default) =>
            operation.Kind == kind ? throw new EvalKitAuthorizationException(operation) : ValueTask.CompletedTask;
    }
}
