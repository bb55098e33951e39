using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.Options;

namespace EvalKit.Tests.Registry;

public sealed class ModelRegistryTests
{
    private readonly RegistryTestClock _clock = new();
    private readonly MutableActor _actor = new("alice");
    private readonly InMemoryEvalKitStorage _storage = new();
    private readonly ModelRegistry _registry;

    public ModelRegistryTests() =>
        _registry = new ModelRegistry(_storage, _clock, _actor, Options.Create(new ModelRegistryOptions()));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_SetsRevisionOneTheTimeAndTheActor_AndRefusesADuplicateId()
    {
        _clock.Advance(TimeSpan.FromMinutes(1));

        var model = await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini", Capabilities = new HashSet<string> { "chat" } }, Ct);

        model.Revision.Should().Be(1);
        model.UpdatedAt.Should().Be(RegistryTestClock.Start.AddMinutes(1));
        var revision = (await _registry.GetRevisionsAsync(model.Id, Ct).ToListAsync(Ct)).Should().ContainSingle().Subject;
        revision.Should().Be(new ModelRevision { Model = model, ChangedBy = "alice", Kind = ModelChangeKind.Registered, Description = "Registered." });
        revision.ChangedAt.Should().Be(RegistryTestClock.Start.AddMinutes(1));
        await FluentActions.Awaiting(async () => await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini" }, Ct))
            .Should().ThrowAsync<EvalKitException>().WithMessage("*openai/gpt-4o-mini*already registered*");
    }

    [Fact]
    public async Task Register_InvalidModel_ListsEveryProblemAtOnce_AndStoresNothing()
    {
        var bad = new ModelDescriptor
        {
            Id = "bad id!",
            Provider = "open ai",
            Pricing = new ModelPricing { InputPerMillionTokens = -1, OutputPerMillionTokens = -2, Currency = "dollars" },
            ContextWindow = 0,
            Capabilities = new HashSet<string> { "Chat Mode", "chat" },
            Tags = new HashSet<string> { "prod_1" },
            StatusReason = "why",
            Metadata = new Dictionary<string, string> { [" "] = "blank key", ["long"] = new string('x', ModelValidation.MaxMetadataValueLength + 1) },
        };

        var act = async () => await _registry.RegisterAsync(bad, Ct);

        var error = (await act.Should().ThrowAsync<ValidationException>()).Which;
        error.Should().BeAssignableTo<EvalKitException>();
        error.Errors.Select(e => e.Field).Should().Equal(
            "Id", "Provider", "Capabilities", "Tags", "Pricing.InputPerMillionTokens", "Pricing.OutputPerMillionTokens", "Pricing.Currency",
            "ContextWindow", "StatusReason", "Metadata[ ]", "Metadata[long]");
        error.Message.Should().Contain("bad id!").And.Contain("Chat Mode").And.Contain("prod_1").And.Contain("dollars").And.Contain("11 problems");
        (await _storage.Models.GetChangeCounterAsync(Ct)).Should().Be(0);
    }

    [Fact]
    public async Task Update_RecordsWhoWhenAndWhatChanged()
    {
        await _registry.RegisterAsync(new ModelDescriptor
        {
            Id = "local/m",
            DisplayName = "M",
            Capabilities = new HashSet<string> { "chat" },
            Pricing = new ModelPricing { InputPerMillionTokens = 1m, OutputPerMillionTokens = 2m },
            Metadata = new Dictionary<string, string> { ["owner"] = "team-a", ["gone"] = "soon" },
        }, Ct);
        _actor.CurrentActor = "bob";
        _clock.Advance(TimeSpan.FromHours(2));

        var second = await _registry.UpdateAsync("local/m", m => m with
        {
            DisplayName = "Model M",
            Capabilities = new HashSet<string> { "chat", "vision" },
            Pricing = new ModelPricing { InputPerMillionTokens = 0.5m, OutputPerMillionTokens = 2m },
            ContextWindow = 8_192,
            Metadata = new Dictionary<string, string> { ["owner"] = "team-b", ["new"] = "1" },
        }, Ct);

        second.Revision.Should().Be(2);
        second.UpdatedAt.Should().Be(RegistryTestClock.Start.AddHours(2));
        var revisions = await _registry.GetRevisionsAsync("local/m", Ct).ToListAsync(Ct);
        revisions.Select(r => (r.Revision, r.ChangedBy, r.Kind)).Should().Equal((1, "alice", ModelChangeKind.Registered), (2, "bob", ModelChangeKind.Updated));
        revisions[1].ChangedAt.Should().Be(RegistryTestClock.Start.AddHours(2));
        revisions[1].Model.Should().Be(second);
        revisions[1].Changes.Should().Equal(
            new ModelFieldChange("DisplayName", "M", "Model M"),
            new ModelFieldChange("Capabilities", "chat", "chat, vision"),
            new ModelFieldChange("Pricing", "1 input / 2 output USD per million tokens", "0.5 input / 2 output USD per million tokens"),
            new ModelFieldChange("ContextWindow", null, "8192"),
            new ModelFieldChange("Metadata[gone]", "soon", null),
            new ModelFieldChange("Metadata[new]", null, "1"),
            new ModelFieldChange("Metadata[owner]", "team-a", "team-b"));
        revisions[1].Description.Should().Be("Changed DisplayName, Capabilities, Pricing, ContextWindow, Metadata[gone], Metadata[new], Metadata[owner].");
    }

    [Fact]
    public async Task Update_WithADescription_KeepsIt_AndAnUpdateThatChangesNothingWritesNoRevision()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);

        var second = await _registry.UpdateAsync("m", m => m with { Version = "2" }, "Provider shipped v2", Ct);
        var same = await _registry.UpdateAsync("m", m => m with { Version = "2" }, Ct);

        same.Should().Be(second);
        var revisions = await _registry.GetRevisionsAsync("m", Ct).ToListAsync(Ct);
        revisions.Should().HaveCount(2);
        revisions[1].Description.Should().Be("Provider shipped v2");
        revisions[1].Changes.Should().Equal(new ModelFieldChange("Version", null, "2"));
        await FluentActions.Awaiting(async () => await _registry.UpdateAsync("m", m => m, " ", Ct)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Update_HistoryKeepsEveryRevisionInOrder()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _registry.UpdateAsync("m", m => m with { DisplayName = "Model M" }, Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var third = await _registry.DeprecateAsync("m", "replaced by m2", Ct);

        third.Revision.Should().Be(3);
        third.Status.Should().Be(ModelStatus.Deprecated);
        third.StatusReason.Should().Be("replaced by m2");
        var history = await _registry.GetHistoryAsync("m", Ct).ToListAsync(Ct);
        history.Select(h => (h.Revision, h.DisplayName, h.Status)).Should().Equal((1, null, ModelStatus.Active), (2, "Model M", ModelStatus.Active), (3, "Model M", ModelStatus.Deprecated));
        history.Select(h => h.UpdatedAt).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Update_CannotChangeTheIdOrTouchAMissingModel()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);

        await FluentActions.Awaiting(async () => await _registry.UpdateAsync("m", m => m with { Id = "other" }, Ct)).Should().ThrowAsync<ArgumentException>().WithMessage("*cannot change*");
        await FluentActions.Awaiting(async () => await _registry.UpdateAsync("ghost", m => m, Ct)).Should().ThrowAsync<ModelNotFoundException>();
        await FluentActions.Awaiting(async () => await _registry.UpdateAsync("m", m => m with { ContextWindow = -5 }, Ct))
            .Should().ThrowAsync<ValidationException>().Where(e => e.Errors.Single().Field == "ContextWindow");
    }

    [Fact]
    public async Task Update_ConcurrentChanges_AreAppliedOnTopOfEachOther()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await _registry.UpdateAsync("m", m => m with { Metadata = new Dictionary<string, string>(m.Metadata) { [$"k{i}"] = "v" } }, Ct), Ct)));

        var model = await _registry.GetAsync("m", Ct);
        model!.Revision.Should().Be(17);
        model.Metadata.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 16).Select(i => $"k{i}"));
    }

    [Fact]
    public async Task Deprecate_WithAReplacement_RecordsBoth_AndTheReplacementMustExistAndNotBeRetired()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/old" }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/new" }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/gone" }, Ct);
        await _registry.RetireAsync("local/gone", cancellationToken: Ct);

        var missing = await FluentActions.Awaiting(async () => await _registry.DeprecateAsync("local/old", "slow", "local/nobody", Ct)).Should().ThrowAsync<ValidationException>();
        missing.Which.Errors.Should().ContainSingle().Which.Should().Be(new ValidationError("ReplacementModelId", "No model 'local/nobody' is registered; register the replacement first."));
        var retired = await FluentActions.Awaiting(async () => await _registry.DeprecateAsync("local/old", "slow", "local/gone", Ct)).Should().ThrowAsync<ValidationException>();
        retired.Which.Errors.Should().ContainSingle().Which.Message.Should().Contain("retired");
        var self = await FluentActions.Awaiting(async () => await _registry.DeprecateAsync("local/old", "slow", "local/old", Ct)).Should().ThrowAsync<ValidationException>();
        self.Which.Errors.Should().ContainSingle().Which.Message.Should().Contain("itself");

        var deprecated = await _registry.DeprecateAsync("local/old", "slow", "local/new", Ct);

        deprecated.Should().BeEquivalentTo(new { Status = ModelStatus.Deprecated, StatusReason = "slow", ReplacementModelId = "local/new", Revision = 2 });
        var revision = (await _registry.GetRevisionsAsync("local/old", Ct).ToListAsync(Ct))[^1];
        revision.Kind.Should().Be(ModelChangeKind.Deprecated);
        revision.Description.Should().Be("Deprecated: slow. Replacement: local/new.");
        revision.Changes.Select(c => c.Field).Should().Equal("Status", "StatusReason", "ReplacementModelId");
    }

    [Fact]
    public async Task Retire_KeepsTheReplacement_AndARetiredModelCannotBeDeprecated()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/old" }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/new" }, Ct);
        await _registry.DeprecateAsync("local/old", "slow", "local/new", Ct);

        var retired = await _registry.RetireAsync("local/old", "endpoint shut down", Ct);

        retired.Should().BeEquivalentTo(new { Status = ModelStatus.Retired, StatusReason = "endpoint shut down", ReplacementModelId = "local/new", Revision = 3 });
        var revision = (await _registry.GetRevisionsAsync("local/old", Ct).ToListAsync(Ct))[^1];
        revision.Kind.Should().Be(ModelChangeKind.Retired);
        revision.Description.Should().Be("Retired: endpoint shut down. Replacement: local/new.");
        await FluentActions.Awaiting(async () => await _registry.DeprecateAsync("local/old", cancellationToken: Ct)).Should().ThrowAsync<InvalidOperationException>().WithMessage("*retired*");
        await FluentActions.Awaiting(async () => await _registry.RetireAsync("ghost", cancellationToken: Ct)).Should().ThrowAsync<ModelNotFoundException>();
    }

    [Fact]
    public async Task Reactivating_RequiresClearingTheReasonAndTheReplacement()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/old" }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/new" }, Ct);
        await _registry.DeprecateAsync("local/old", "slow", "local/new", Ct);

        var act = async () => await _registry.UpdateAsync("local/old", m => m with { Status = ModelStatus.Active }, Ct);

        (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Select(e => e.Field).Should().Equal("StatusReason", "ReplacementModelId");
        var active = await _registry.UpdateAsync("local/old", m => m with { Status = ModelStatus.Active, StatusReason = null, ReplacementModelId = null }, Ct);
        active.Status.Should().Be(ModelStatus.Active);
    }

    [Fact]
    public async Task Delete_RemovesTheModelAndItsRevisions_OrSaysWhyNot()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/free" }, Ct);
        await _registry.UpdateAsync("local/free", m => m with { Version = "2" }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/used" }, Ct);
        await _storage.Runs.TryAddAsync(TestData.Run("run-a", "local/used", createdAt: TestData.Epoch), Ct);
        await _storage.Runs.TryAddAsync(TestData.Run("run-b", "local/used", createdAt: TestData.Epoch.AddMinutes(1)), Ct);

        (await _registry.DeleteAsync("local/free", Ct)).Should().BeTrue();
        (await _registry.DeleteAsync("local/free", Ct)).Should().BeFalse();
        var inUse = await FluentActions.Awaiting(async () => await _registry.DeleteAsync("local/used", Ct)).Should().ThrowAsync<ModelInUseException>();

        (await _registry.GetAsync("local/free", Ct)).Should().BeNull();
        (await _registry.GetRevisionsAsync("local/free", Ct).ToListAsync(Ct)).Should().BeEmpty();
        inUse.Which.Should().BeEquivalentTo(new { ModelId = "local/used", RunCount = 2L, RunIds = new[] { "run-b", "run-a" } });
        inUse.Which.Message.Should().Be("Model 'local/used' cannot be deleted: 2 runs reference it (run-b, run-a). Retire it instead (IModelRegistry.RetireAsync), which keeps its history and its runs.");
        (await _registry.GetAsync("local/used", Ct)).Should().NotBeNull();
    }

    [Fact]
    public async Task Delete_AModelThatReplacesAnother_IsRefused()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/old" }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/new" }, Ct);
        await _registry.DeprecateAsync("local/old", null, "local/new", Ct);

        var act = async () => await _registry.DeleteAsync("local/new", Ct);

        (await act.Should().ThrowAsync<ModelInUseException>()).Which.ReplacedModelIds.Should().Equal("local/old");
        (await _registry.DeleteAsync("local/old", Ct)).Should().BeTrue();
        (await _registry.DeleteAsync("local/new", Ct)).Should().BeTrue();
    }

    [Fact]
    public async Task ListAndFind_FilterByProviderStatusCapabilityTagAndText()
    {
        await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o", Provider = "openai", DisplayName = "GPT-4o", Capabilities = new HashSet<string> { "chat", "vision", "json" }, Tags = new HashSet<string> { "production" } }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini", Provider = "openai", Capabilities = new HashSet<string> { "chat", "json" }, Tags = new HashSet<string> { "production", "cheap" } }, Ct);
        await _registry.RegisterAsync(new ModelDescriptor { Id = "local/llama", Provider = "Ollama", Capabilities = new HashSet<string> { "chat", "acme:legal" } }, Ct);
        await _registry.DeprecateAsync("openai/gpt-4o-mini", cancellationToken: Ct);

        (await _registry.FindByCapabilitiesAsync(["chat", "json"], Ct)).Select(m => m.Id).Should().Equal("openai/gpt-4o", "openai/gpt-4o-mini");
        (await _registry.FindByCapabilitiesAsync([" Vision ", "CHAT"], Ct)).Select(m => m.Id).Should().Equal("openai/gpt-4o");
        (await _registry.FindByCapabilitiesAsync(["ACME:Legal"], Ct)).Select(m => m.Id).Should().Equal("local/llama");
        (await _registry.FindByCapabilitiesAsync([], Ct)).Should().HaveCount(3);
        (await _registry.FindByCapabilitiesAsync(["tools"], Ct)).Should().BeEmpty();
        (await List(new ModelQuery { Provider = "OpenAI", Status = ModelStatus.Active })).Should().Equal("openai/gpt-4o");
        (await List(new ModelQuery { Provider = "ollama" })).Should().Equal("local/llama");
        (await List(new ModelQuery { Tags = ["Production"] })).Should().Equal("openai/gpt-4o", "openai/gpt-4o-mini");
        (await List(new ModelQuery { Tags = ["production", "cheap"], Capabilities = ["json"] })).Should().Equal("openai/gpt-4o-mini");
        (await List(new ModelQuery { Status = ModelStatus.Deprecated })).Should().Equal("openai/gpt-4o-mini");
        (await List(new ModelQuery { Text = "LLAMA" })).Should().Equal("local/llama");
        (await List(new ModelQuery { Text = "gpt-4O" })).Should().HaveCount(2);
        (await List(new ModelQuery { Text = "olla" })).Should().Equal("local/llama");
        (await List(null)).Should().Equal("local/llama", "openai/gpt-4o", "openai/gpt-4o-mini");
    }

    [Fact]
    public async Task ListAndFind_MalformedCapabilityNames_AreRefused()
    {
        await FluentActions.Awaiting(async () => await _registry.FindByCapabilitiesAsync(["long_context"], Ct)).Should().ThrowAsync<ArgumentException>().WithMessage("*long_context*");
        await FluentActions.Awaiting(async () => await List(new ModelQuery { Tags = ["not a tag"] })).Should().ThrowAsync<ArgumentException>().WithMessage("*not a tag*");
    }

    [Fact]
    public async Task Writes_ByABlankActor_AreRefused()
    {
        _actor.CurrentActor = " ";

        var act = async () => await _registry.RegisterAsync(new ModelDescriptor { Id = "m" }, Ct);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*MutableActor*CurrentActor*");
        (await _registry.GetAsync("m", Ct)).Should().BeNull();
    }

    [Fact]
    public void Options_NegativeRefreshInterval_IsRefused()
    {
        var act = () => new ModelRegistry(_storage, _clock, _actor, Options.Create(new ModelRegistryOptions { CacheRefreshInterval = TimeSpan.FromSeconds(-1) }));

        act.Should().Throw<ArgumentException>().WithMessage("*CacheRefreshInterval*");
    }

    [Fact]
    public void Pricing_CostIsUnknownWhenAnyCountIsUnknown()
    {
        var pricing = new ModelPricing { InputPerMillionTokens = 2.5m, OutputPerMillionTokens = 10m };

        pricing.Cost(1_000, 500).Should().Be(0.0075m);
        pricing.Cost(null, 500).Should().BeNull();
        pricing.Cost(1_000, null).Should().BeNull();
    }

    private async Task<List<string>> List(ModelQuery? query) =>
        (await _registry.ListAsync(query, Ct).ToListAsync(Ct)).Select(m => m.Id).ToList();
}
