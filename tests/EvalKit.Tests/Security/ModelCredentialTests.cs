using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Reporting;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Security;

/// <summary>Models refer to credentials by name; the registry refuses the credentials themselves and never repeats them.</summary>
public sealed class ModelCredentialTests
{
    private const string Key = "sk-test-SECRET-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_WithCredentialNameAndEndpoint_StoresAndReadsThemBack()
    {
        await using var kit = EvalKitHost.Create();

        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini", CredentialName = "OPENAI_API_KEY", Endpoint = new Uri("https://api.openai.com/v1") }, Ct);

        var stored = await kit.Registry.GetAsync("openai/gpt-4o-mini", Ct);
        stored!.CredentialName.Should().Be("OPENAI_API_KEY");
        stored.Endpoint.Should().Be(new Uri("https://api.openai.com/v1"));
    }

    [Fact]
    public async Task Update_OfTheCredentialName_IsARecordedChange()
    {
        await using var kit = EvalKitHost.Create();
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "openai/gpt-4o-mini", CredentialName = "kv:openai-old" }, Ct);

        var updated = await kit.Registry.UpdateAsync("openai/gpt-4o-mini", m => m with { CredentialName = "kv:openai-new" }, cancellationToken: Ct);

        updated.CredentialName.Should().Be("kv:openai-new");
        updated.Revision.Should().Be(2);
    }

    public static TheoryData<string, ModelDescriptor> Carriers => new()
    {
        { "Metadata[api_key]", Model() with { Metadata = new Dictionary<string, string> { ["api_key"] = "anything" } } },
        { "Metadata[x-api-key]", Model() with { Metadata = new Dictionary<string, string> { ["x-api-key"] = "anything" } } },
        { "Metadata[password]", Model() with { Metadata = new Dictionary<string, string> { ["password"] = "hunter22" } } },
        { "Metadata[notes]", Model() with { Metadata = new Dictionary<string, string> { ["notes"] = $"use {Key} in prod" } } },
        { "Endpoint", Model() with { Endpoint = new Uri("https://admin:hunter22@models.example.com/v1") } },
        { "Endpoint", Model() with { Endpoint = new Uri($"https://models.example.com/v1?api_key={Key}") } },
        { "Endpoint", Model() with { Endpoint = new Uri("https://models.example.com/v1?token=short") } },
        { "CredentialName", Model() with { CredentialName = Key } },
        { "DisplayName", Model() with { DisplayName = $"GPT ({Key})" } },
        { "Tags", Model() with { Tags = new HashSet<string> { "sk-test-secret-0123456789" } } },
    };

    [Theory]
    [MemberData(nameof(Carriers))]
    public async Task Register_WithACredentialInAField_IsRejectedNamingTheFieldWithoutRepeatingTheValue(string field, ModelDescriptor model)
    {
        await using var kit = EvalKitHost.Create();

        var register = async () => await kit.Registry.RegisterAsync(model, Ct);

        var error = (await register.Should().ThrowAsync<ValidationException>()).Which;
        error.Errors.Should().Contain(e => e.Field == field && e.Message.Contains("CredentialName", StringComparison.Ordinal));
        foreach (var secret in new[] { Key, "hunter22", "sk-test-secret-0123456789" })
        {
            error.Message.Should().NotContain(secret);
            error.Errors.Should().NotContain(e => e.Field.Contains(secret, StringComparison.Ordinal) || e.Message.Contains(secret, StringComparison.Ordinal));
        }

        (await kit.Registry.GetAsync(model.Id, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Register_WithAKeyAsTheModelId_IsRejectedWithoutRepeatingIt()
    {
        await using var kit = EvalKitHost.Create();

        var register = async () => await kit.Registry.RegisterAsync(new ModelDescriptor { Id = Key }, Ct);

        var error = (await register.Should().ThrowAsync<ValidationException>()).Which;
        error.Errors.Should().Contain(e => e.Field == "Id");
        error.Message.Should().NotContain(Key);
    }

    [Fact]
    public async Task Update_AddingACredential_IsRejectedAndTheModelIsUnchanged()
    {
        await using var kit = EvalKitHost.Create();
        await kit.Registry.RegisterAsync(Model(), Ct);

        var update = async () => await kit.Registry.UpdateAsync(Model().Id, m => m with { Metadata = new Dictionary<string, string> { ["openai_api_key"] = Key } }, cancellationToken: Ct);

        (await update.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().Contain(e => e.Field == "Metadata[openai_api_key]");
        (await kit.Registry.GetAsync(Model().Id, Ct))!.Revision.Should().Be(1);
    }

    [Theory]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("kv:openai-prod")]
    [InlineData("prod/openai/key")]
    [InlineData("_EVALKIT_KEY")]
    public void Validate_WellFormedCredentialNames_Pass(string name) =>
        ModelValidation.GetErrors(Model() with { CredentialName = name }).Should().BeEmpty();

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    public void Validate_MalformedCredentialNames_Fail(string name) =>
        ModelValidation.GetErrors(Model() with { CredentialName = name }).Should().ContainSingle(e => e.Field == "CredentialName");

    [Fact]
    public void Validate_MetadataThatRefersToASecretByName_Passes() =>
        ModelValidation.GetErrors(Model() with
        {
            Metadata = new Dictionary<string, string> { ["api_key_name"] = "OPENAI_API_KEY", ["max_tokens"] = "4096", ["region"] = "eu-west" },
            Endpoint = new Uri("https://models.example.com/v1?api-version=2024-06-01"),
        }).Should().BeEmpty();

    [Fact]
    public void Validate_ARelativeEndpoint_Fails() =>
        ModelValidation.GetErrors(Model() with { Endpoint = new Uri("/v1", UriKind.Relative) }).Should().ContainSingle(e => e.Field == "Endpoint");

    [Fact]
    public async Task Import_OfAnArchiveWhoseModelCarriesAKey_IsRefusedWithoutRepeatingIt()
    {
        using var archive = new MemoryStream();
        await using (var source = EvalKitHost.Create(clients: new ModelClientMap().Add("local/echo", FakeChatClient.Answering(q => q))))
        {
            await source.Registry.RegisterAsync(new ModelDescriptor { Id = "local/echo", CredentialName = "ECHO_KEY" }, Ct);
            var dataset = await source.Datasets.ImportAsync(new Dataset("d", "1", TestData.Cases(2)), Ct);
            var run = await source.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/echo", DatasetId = dataset.Id }, cancellationToken: Ct);
            await source.Experiments.ExportAsync(new ReportRequest { RunIds = [run.Id] }, ReportFormat.Json, archive, Ct);
        }

        var root = System.Text.Json.Nodes.JsonNode.Parse(archive.ToArray())!;
        var model = root["models"]![0]!["revisions"]![0]!["model"]!;
        model["credentialName"]!.GetValue<string>().Should().Be("ECHO_KEY");
        model["metadata"] = new System.Text.Json.Nodes.JsonObject { ["api_key"] = Key };
        await using var target = EvalKitHost.Create();

        var import = async () => await target.Experiments.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString())), Ct);

        var error = (await import.Should().ThrowAsync<ImportException>()).Which;
        error.Message.Should().Contain("Metadata[api_key]").And.NotContain(Key);
        (await target.Registry.GetAsync("local/echo", Ct)).Should().BeNull();
    }

    private static ModelDescriptor Model() => new() { Id = "openai/gpt-test" };
}
