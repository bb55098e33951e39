using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Serialization;

namespace EvalKit.Tests.Serialization;

public sealed class EvalKitJsonContextTests
{
    [Fact]
    public void Deserialize_MissingProperties_KeepTheDocumentedDefaults()
    {
        var options = JsonSerializer.Deserialize("{\"maxConcurrency\": 3}", EvalKitJsonContext.Default.EvaluationOptions)!;
        options.Should().Be(new EvaluationOptions { MaxConcurrency = 3 });

        var benchmark = JsonSerializer.Deserialize("{\"id\": \"b\", \"datasetId\": \"d@1\"}", EvalKitJsonContext.Default.Benchmark)!;
        benchmark.PromptTemplate.Should().Be("{{input}}");
        benchmark.Version.Should().Be("1");

        var pricing = JsonSerializer.Deserialize("{\"id\": \"m\", \"pricing\": {\"inputPerMillionTokens\": 1, \"outputPerMillionTokens\": 2}}", EvalKitJsonContext.Default.ModelDescriptor)!.Pricing!;
        pricing.Currency.Should().Be("USD");
    }

    [Fact]
    public void RoundTrip_NullOverridingADefault_StaysNull()
    {
        var options = new EvaluationOptions { Timeout = null, MaxRetries = 0 };

        var json = JsonSerializer.Serialize(options, EvalKitJsonContext.Default.EvaluationOptions);

        JsonSerializer.Deserialize(json, EvalKitJsonContext.Default.EvaluationOptions).Should().Be(options);
    }

    [Fact]
    public void RoundTrip_Model_KeepsEveryField()
    {
        var model = new ModelDescriptor
        {
            Id = "m", Capabilities = new HashSet<string> { "json", "chat" }, Status = ModelStatus.Deprecated, Revision = 4,
            Pricing = new ModelPricing { InputPerMillionTokens = 1.5m, OutputPerMillionTokens = 2, Currency = "EUR" },
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        };

        JsonSerializer.Deserialize(JsonSerializer.Serialize(model, EvalKitJsonContext.Default.ModelDescriptor), EvalKitJsonContext.Default.ModelDescriptor).Should().Be(model);
    }
}
