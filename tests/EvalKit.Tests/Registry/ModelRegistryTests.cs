using EvalKit.Registry;
using EvalKit.Storage;

namespace EvalKit.Tests.Registry;

public sealed class ModelRegistryTests
{
    private readonly StepClock _clock = new();
    private readonly ModelRegistry _registry;

    public ModelRegistryTests() => _registry = new ModelRegistry(new InMemoryEvalKitStorage(), _clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_SetsRevisionOneAndTheTime_AndRefusesADuplicateId()
    {
        var model = await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini", Capabilities = new HashSet<string> { "chat" } }, Ct);

        model.Revision.Should().Be(1);
        model.UpdatedAt.Should().Be(StepClock.Start.AddMinutes(1));
        await FluentActions.Awaiting(async () => await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini" }, Ct))
            .Should().ThrowAsync<EvalKitException>().WithMessage("*openai/gpt-4o-mini*already registered*");
    }

    [Fact]
    public async Task Register_InvalidModel_ListsEveryProblemAtOnce()
    {
        var bad = new ModelDescriptor
        {
            Id = "bad id!",
            Pricing = new ModelPricing { InputPerMillionTokens = -1, OutputPerMillionTokens = 1, Currency = "dollars" },
            ContextWindow = 0,
            Capabilities = new HashSet<string> { "Chat Mode" },
        };

        var act = async () => await _registry.RegisterAsync(bad, Ct);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().Contain("Id 'bad id!'").And.Contain("negative").And.Contain("dollars").And.Contain("ContextWindow").And.Contain("Chat Mode");
    }

    [Fact]
    public async Task Update_WritesANewRevision_AndTheHistoryKeepsEveryOne()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);

        await _registry.UpdateAsync("m", m => m with { DisplayName = "Model M" }, Ct);
        var third = await _registry.DeprecateAsync("m", "replaced by m2", Ct);

        third.Revision.Should().Be(3);
        third.Status.Should().Be(ModelStatus.Deprecated);
        third.Metadata["deprecation.reason"].Should().Be("replaced by m2");
        var history = await _registry.GetHistoryAsync("m", Ct).ToListAsync(Ct);
        history.Select(h => (h.Revision, h.DisplayName, h.Status)).Should().Equal((1, null, ModelStatus.Active), (2, "Model M", ModelStatus.Active), (3, "Model M", ModelStatus.Deprecated));
        history.Select(h => h.UpdatedAt).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Update_CannotChangeTheIdOrTouchAMissingModel()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);

        await FluentActions.Awaiting(async () => await _registry.UpdateAsync("m", m => m with { Id = "other" }, Ct)).Should().ThrowAsync<ArgumentException>().WithMessage("*cannot change*");
        await FluentActions.Awaiting(async () => await _registry.UpdateAsync("ghost", m => m, Ct)).Should().ThrowAsync<ModelNotFoundException>();
    }

    [Fact]
    public async Task ListAndFind_FilterByProviderStatusCapabilityAndText()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o", Provider = "openai", DisplayName = "GPT-4o", Capabilities = new HashSet<string> { "chat", "vision", "json" } }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini", Provider = "openai", Capabilities = new HashSet<string> { "chat", "json" } }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/llama", Provider = "local", Capabilities = new HashSet<string> { "chat" } }, Ct);
        await _registry.DeprecateAsync("openai/gpt-4o-mini", cancellationToken: Ct);

        (await _registry.FindByCapabilitiesAsync(["chat", "json"], Ct)).Select(m => m.Id).Should().Equal("openai/gpt-4o", "openai/gpt-4o-mini");
        (await _registry.ListAsync(new ModelQuery { Provider = "openai", Status = ModelStatus.Active }, Ct).ToListAsync(Ct)).Select(m => m.Id).Should().Equal("openai/gpt-4o");
        (await _registry.ListAsync(new ModelQuery { Text = "LLAMA" }, Ct).ToListAsync(Ct)).Select(m => m.Id).Should().Equal("local/llama");
        (await _registry.ListAsync(new ModelQuery { Text = "gpt-4O" }, Ct).ToListAsync(Ct)).Should().HaveCount(2);
    }

    [Fact]
    public void Pricing_CostIsUnknownWhenAnyCountIsUnknown()
    {
        var pricing = new ModelPricing { InputPerMillionTokens = 2.5m, OutputPerMillionTokens = 10m };

        pricing.Cost(1_000, 500).Should().Be(0.0075m);
        pricing.Cost(null, 500).Should().BeNull();
        pricing.Cost(1_000, null).Should().BeNull();
    }

    private sealed class StepClock : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        private int _ticks;

        public override DateTimeOffset GetUtcNow() => Start.AddMinutes(Interlocked.Increment(ref _ticks));
    }
}
