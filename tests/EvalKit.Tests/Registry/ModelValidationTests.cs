using System.Reflection;
using EvalKit.Registry;

namespace EvalKit.Tests.Registry;

public sealed class ModelValidationTests
{
    [Theory]
    [InlineData("m")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("ollama/llama3.1:8b")]
    [InlineData("ollama/llama3.1:8b-instruct-q4_K_M")]
    [InlineData("hf/meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("vertex/gemini-1.5-pro@002")]
    [InlineData("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0")]
    [InlineData("local/c++")]
    public void IsValidId_AcceptsTheGrammar(string id) => ModelValidation.IsValidId(id).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("bad id")]
    [InlineData("/x")]
    [InlineData("x/")]
    [InlineData("a//b")]
    [InlineData("a:b:c")]
    [InlineData("a:")]
    [InlineData(":tag")]
    [InlineData("-a")]
    [InlineData("a/-b")]
    [InlineData("a/b:tag/x")]
    [InlineData("a/b:t@g")]
    [InlineData("modèle/x")]
    [InlineData("a\0b")]
    public void IsValidId_RefusesEverythingElse(string id) => ModelValidation.IsValidId(id).Should().BeFalse();

    [Fact]
    public void IsValidId_LimitsTheLength()
    {
        ModelValidation.IsValidId(new string('a', ModelValidation.MaxIdLength)).Should().BeTrue();
        ModelValidation.IsValidId(new string('a', ModelValidation.MaxIdLength + 1)).Should().BeFalse();
        ModelValidation.IsValidId(null).Should().BeFalse();
    }

    [Theory]
    [InlineData("chat", true)]
    [InlineData("long-context", true)]
    [InlineData("acme:legal-review", true)]
    [InlineData("vendor/feature.v2", true)]
    [InlineData("a", true)]
    [InlineData("Vision", false)]
    [InlineData("long_context", false)]
    [InlineData("chat mode", false)]
    [InlineData("-chat", false)]
    [InlineData("chat-", false)]
    [InlineData("", false)]
    public void Capabilities_IsWellFormed(string name, bool expected) => ModelCapabilities.IsWellFormed(name).Should().Be(expected);

    [Fact]
    public void Capabilities_LengthIsLimited()
    {
        ModelCapabilities.IsWellFormed(new string('a', ModelCapabilities.MaxLength)).Should().BeTrue();
        ModelCapabilities.IsWellFormed(new string('a', ModelCapabilities.MaxLength + 1)).Should().BeFalse();
    }

    [Fact]
    public void Capabilities_Normalize_TrimsAndLowerCases_AndRefusesMalformedNames()
    {
        ModelCapabilities.Normalize("  Long-Context ").Should().Be("long-context");
        FluentActions.Invoking(() => ModelCapabilities.Normalize("long_context")).Should().Throw<ArgumentException>().WithMessage("*long_context*");
    }

    [Fact]
    public void Capabilities_EveryStandardConstantIsWellFormedAndListed()
    {
        var constants = typeof(ModelCapabilities).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        constants.Should().Contain(["chat", "json", "tools", "vision", "code", "reasoning", "long-context", "embeddings", "audio", "streaming"]);
        constants.Should().OnlyContain(c => ModelCapabilities.IsWellFormed(c));
        ModelCapabilities.Standard.Should().BeEquivalentTo(constants);
        ModelCapabilities.IsStandard("vision").Should().BeTrue();
        ModelCapabilities.IsStandard("acme:legal").Should().BeFalse();
    }

    [Fact]
    public void GetErrors_AValidModel_HasNone()
    {
        var model = new ModelDescriptor
        {
            Id = "openai/gpt-4o",
            DisplayName = "GPT-4o",
            Provider = "openai",
            Version = "2024-08-06",
            Capabilities = new HashSet<string> { ModelCapabilities.Chat, ModelCapabilities.Vision, "acme:legal" },
            Tags = new HashSet<string> { "production" },
            Pricing = new ModelPricing { InputPerMillionTokens = 0m, OutputPerMillionTokens = 10m, Currency = "EUR" },
            ContextWindow = 128_000,
            Status = ModelStatus.Deprecated,
            StatusReason = "Replaced.\nSee the changelog.",
            ReplacementModelId = "openai/gpt-4.1",
            Metadata = new Dictionary<string, string> { ["owner"] = "team-a", [new string('k', ModelValidation.MaxMetadataKeyLength)] = new string('v', ModelValidation.MaxMetadataValueLength) },
        };

        ModelValidation.GetErrors(model).Should().BeEmpty();
        FluentActions.Invoking(() => ModelRegistry.Validate(model)).Should().NotThrow();
    }

    [Fact]
    public void GetErrors_LimitsCountsAndLengths()
    {
        var model = new ModelDescriptor
        {
            Id = "m",
            DisplayName = new string('d', ModelValidation.MaxDisplayNameLength + 1),
            Version = "v\u0001",
            Capabilities = Enumerable.Range(0, ModelValidation.MaxCapabilities + 1).Select(i => $"c{i}").ToHashSet(),
            Tags = Enumerable.Range(0, ModelValidation.MaxTags + 1).Select(i => $"t{i}").ToHashSet(),
            Status = (ModelStatus)42,
            Metadata = Enumerable.Range(0, ModelValidation.MaxMetadataEntries + 1).ToDictionary(i => $"k{i}", _ => "v"),
        };

        ModelValidation.GetErrors(model).Select(e => e.Field).Should().Equal("DisplayName", "Version", "Capabilities", "Tags", "Status", "Metadata");
    }

    [Fact]
    public void ValidationException_ListsEveryError_AndNeedsAtLeastOne()
    {
        var error = new ValidationException("Model 'm'", [new ValidationError("Id", "bad"), new ValidationError("ContextWindow", "worse")]);

        error.Message.Should().Be("Model 'm' is invalid (2 problems): Id: bad ContextWindow: worse");
        error.Subject.Should().Be("Model 'm'");
        error.Errors.Should().HaveCount(2);
        FluentActions.Invoking(() => new ValidationException("Model 'm'", [])).Should().Throw<ArgumentException>();
    }
}
