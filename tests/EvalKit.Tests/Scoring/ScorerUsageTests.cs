using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Projects;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Serialization;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Scoring;

/// <summary>Scorers that call models record what those calls used (<see cref="Score.Usage"/>), and the engine prices it.</summary>
public sealed class ScorerUsageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static UsageJudge Judge(string reply = """{"score": 4}""", long? input = 120, long? output = 8, string? responseModel = null, string? metadataModel = null) =>
        new(reply, input is null && output is null ? null : new UsageDetails { InputTokenCount = input, OutputTokenCount = output }, responseModel, metadataModel);

    [Fact]
    public async Task JudgeScorer_RecordsItsCallUnderTheConfiguredModelId()
    {
        var scorer = new JudgeScorer(Judge(responseModel: "gpt-4o-2024-08-06", metadataModel: "gpt-4o"), new JudgeOptions { ModelId = "openai/gpt-4o" });

        var score = await scorer.ScoreAsync(Ctx.Of("answer", "reference"), Ct);

        score.Value.Should().Be(4);
        score.Usage.Should().Equal(new ScoreUsage { Kind = ScoreUsageKind.Judge, ModelId = "openai/gpt-4o", Calls = 1, InputTokens = 120, OutputTokens = 8 });
        score.Usage![0].Cost.Should().BeNull("the scorer does not price; the engine does, from the registry");
    }

    [Fact]
    public async Task JudgeScorer_WithoutAConfiguredId_NamesTheClientsDefaultModel_ThenTheResponses()
    {
        var fromMetadata = await new JudgeScorer(Judge(responseModel: "snapshot-1", metadataModel: "default-model")).ScoreAsync(Ctx.Of("a"), Ct);
        var fromResponse = await new JudgeScorer(Judge(responseModel: "snapshot-1")).ScoreAsync(Ctx.Of("a"), Ct);
        var unknown = await new JudgeScorer(Judge()).ScoreAsync(Ctx.Of("a"), Ct);

        fromMetadata.Usage!.Single().ModelId.Should().Be("default-model");
        fromResponse.Usage!.Single().ModelId.Should().Be("snapshot-1");
        unknown.Usage!.Single().ModelId.Should().BeNull();
    }

    [Fact]
    public async Task JudgeScorer_FailedVerdicts_AndResponsesWithoutUsage_StillRecordTheCall()
    {
        var unparsable = await new JudgeScorer(Judge(reply: "I cannot decide")).ScoreAsync(Ctx.Of("a"), Ct);
        var outOfScale = await new JudgeScorer(Judge(reply: """{"score": 9}""")).ScoreAsync(Ctx.Of("a"), Ct);
        var noUsage = await new JudgeScorer(Judge(input: null, output: null)).ScoreAsync(Ctx.Of("a"), Ct);

        unparsable.Error.Should().StartWith("Unparsable judge verdict");
        unparsable.Usage.Should().ContainSingle().Which.InputTokens.Should().Be(120);
        outOfScale.Error.Should().Contain("outside the scale");
        outOfScale.Usage.Should().ContainSingle();
        noUsage.Usage.Should().Equal(new ScoreUsage { Kind = ScoreUsageKind.Judge, Calls = 1 });
    }

    [Fact]
    public async Task JudgePanel_ListsEveryJudgesUsage_FailedJudgesIncluded()
    {
        var panel = new JudgePanel(
        [
            new JudgeScorer(Judge(input: 10, output: 1), new JudgeOptions { ModelId = "a" }, "ja"),
            new JudgeScorer(Judge(reply: "no verdict", input: 20, output: 2), new JudgeOptions { ModelId = "b" }, "jb"),
            new JudgeScorer(Judge(input: 30, output: 3), new JudgeOptions { ModelId = "c" }, "jc"),
        ]);

        var score = await panel.ScoreAsync(Ctx.Of("a"), Ct);

        score.Value.Should().Be(4);
        score.Usage!.Select(u => (u.ModelId, u.InputTokens)).Should().Equal(("a", 10L), ("b", 20L), ("c", 30L));
        var allFailed = panel.Combine([Score.Failed("x", "e") with { Usage = [new ScoreUsage { Kind = ScoreUsageKind.Judge, Calls = 1 }] }]);
        allFailed.Error.Should().StartWith("Every judge failed");
        allFailed.Usage.Should().ContainSingle();
    }

    [Fact]
    public async Task PairwiseJudge_RecordsBothOrders()
    {
        var judge = new PairwiseJudge(Judge(reply: """{"winner": "1"}""", input: 300, output: 4), new PairwiseJudgeOptions { ModelId = "judge" });
        var withoutUsage = new PairwiseJudge(Judge(reply: """{"winner": "tie"}""", input: null, output: null));

        var verdict = await judge.CompareAsync("question", "A", "B", cancellationToken: Ct);
        var tie = await withoutUsage.CompareAsync("question", "A", "B", cancellationToken: Ct);

        verdict.Usage.Should().Be(new ScoreUsage { Kind = ScoreUsageKind.Judge, ModelId = "judge", Calls = 2, InputTokens = 600, OutputTokens = 8 });
        tie.Usage.Should().Be(new ScoreUsage { Kind = ScoreUsageKind.Judge, Calls = 2 });
    }

    [Fact]
    public async Task SemanticSimilarity_CountsOnlyTheTextsItHadEmbedded()
    {
        var generator = new UsageEmbeddings();
        var scorer = new SemanticSimilarityScorer(generator, new SemanticSimilarityOptions { BatchWindow = TimeSpan.Zero, ModelId = "embed" });

        var first = await scorer.ScoreAsync(Ctx.Of("same text", "reference one"), Ct);
        var second = await scorer.ScoreAsync(Ctx.Of("same text", "reference two!"), Ct);
        var cached = await scorer.ScoreAsync(Ctx.Of("same text", "reference one"), Ct);

        // Seven tokens per text: the first scoring embeds two texts, the second only its new reference, the third none.
        first.Usage.Should().Equal(new ScoreUsage { Kind = ScoreUsageKind.Embedding, ModelId = "embed", Calls = 2, InputTokens = 14, OutputTokens = 0 });
        second.Usage.Should().Equal(new ScoreUsage { Kind = ScoreUsageKind.Embedding, ModelId = "embed", Calls = 1, InputTokens = 7, OutputTokens = 0 });
        cached.Usage.Should().BeNull();
    }

    [Theory]
    [InlineData(10L, new[] { "ab", "abcdef" }, new[] { 3L, 7L })]
    [InlineData(7L, new[] { "a", "a", "a" }, new[] { 3L, 2L, 2L })]
    [InlineData(0L, new[] { "x", "yy" }, new[] { 0L, 0L })]
    [InlineData(5L, new[] { "", "abcd" }, new[] { 1L, 4L })]
    public void Apportion_SplitsABatchsTokensByLength_AndTheSharesAddUp(long total, string[] texts, long[] expected)
    {
        var shares = SemanticSimilarityScorer.Apportion(total, [.. texts]);

        shares.Should().Equal(expected.Select(e => (long?)e));
        shares.Sum().Should().Be(total);
        SemanticSimilarityScorer.Apportion(null, [.. texts]).Should().OnlyContain(s => s == null, "a batch without usage leaves every share unknown");
    }

    [Fact]
    public void Score_WithUsage_RoundTripsThroughJson_AndComparesByValue()
    {
        List<Score> scores = [new Score { Name = "judge", Value = 1, Usage = [new ScoreUsage { Kind = ScoreUsageKind.Judge, ModelId = "m", InputTokens = 1, OutputTokens = 2, Cost = 0.000001234m }] }];

        var json = JsonSerializer.Serialize(scores, EvalKitJsonContext.Default.ListScore);
        var back = JsonSerializer.Deserialize(json, EvalKitJsonContext.Default.ListScore)!;

        json.Should().Contain("\"usage\":[{\"kind\":\"Judge\"").And.Contain("\"cost\":0.000001234");
        back.Should().Equal(scores);
        (back[0] with { Usage = [back[0].Usage![0] with { Cost = 0.1m }] }).Should().NotBe(scores[0]);
        JsonSerializer.Serialize(new List<Score> { Score.FromPass("exact_match", true) }, EvalKitJsonContext.Default.ListScore).Should().NotContain("usage");
    }

    [Fact]
    public async Task Engine_PricesJudgeUsageFromTheRegistry_AndLeavesUnknownModelsUnknown()
    {
        await using var kit = EvalKitHost.Create(
            clients: new ModelClientMap().Add("local/model", EvalKit.Storage.Specification.Tests.FakeChatClient.Answering(_ => "2", 5, 1)),
            scorers:
            [
                new JudgeScorer(Judge(input: 1000, output: 100), new JudgeOptions { ModelId = "judge/priced" }, "priced_judge"),
                new JudgeScorer(Judge(input: 1000, output: 100), new JudgeOptions { ModelId = "judge/unregistered" }, "unknown_judge"),
            ]);
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/model" }, Ct);
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "judge/priced", Pricing = new ModelPricing { InputPerMillionTokens = 3, OutputPerMillionTokens = 15 } }, Ct);
        var dataset = await kit.Datasets.ImportAsync(new Dataset("d", "1", EvalKit.Storage.Specification.Tests.TestData.Cases(4)), Ct);

        var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/model", DatasetId = dataset.Id, ScorerNames = ["priced_judge", "unknown_judge"] }, cancellationToken: Ct);
        var report = await kit.Costs.GetReportAsync(cancellationToken: Ct);

        var result = (await kit.Engine.GetResultsAsync(run.Id, Ct)).Results[0];
        result.GetScore("priced_judge")!.Usage!.Single().Cost.Should().Be(0.0045m, "(1000 × 3 + 100 × 15) / 1M");
        result.GetScore("unknown_judge")!.Usage!.Single().Cost.Should().BeNull();
        report.Total.Judge.Should().Be(new UsageTotals { Calls = 8, InputTokens = 8000, OutputTokens = 800, Cost = 0.018m, UnknownCostCalls = 4 });
        report.Total.Evaluation.Should().Be(new UsageTotals { Calls = 4, InputTokens = 20, OutputTokens = 4, UnknownCostCalls = 4 }, "the evaluated model has no pricing");
    }

    private sealed class UsageJudge(string reply, UsageDetails? usage, string? responseModel, string? metadataModel) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { Usage = usage, ModelId = responseModel });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) && metadataModel is not null ? new ChatClientMetadata("fake", null, metadataModel) : null;

        public void Dispose()
        {
        }
    }

    private sealed class UsageEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(new[] { t.Length, 1f })))
            {
                Usage = new UsageDetails { InputTokenCount = 7 * texts.Count },
            });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
