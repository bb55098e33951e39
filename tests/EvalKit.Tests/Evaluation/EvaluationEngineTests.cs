using System.Collections.Concurrent;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Statistics;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Evaluation;

public sealed class EvaluationEngineTests : IAsyncDisposable
{
    private const string ModelId = "local/model";
    private readonly InMemoryEvalKitStorage _storage = new();
    private readonly ModelClientMap _clients = new();
    private readonly EvalKitHost _kit;

    public EvaluationEngineTests()
    {
        _kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, _storage, _clients, [new ThrowingScorer()]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    private async Task<string> SetUpAsync(IChatClient client, int cases = 10, int groups = 0, ModelPricing? pricing = null)
    {
        _clients.Add(ModelId, client);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId, Pricing = pricing }, Ct);
        var info = await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases, groups)), Ct);
        return info.Id;
    }

    private static ChatResponse Answer(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static int NumberIn(IReadOnlyList<ChatMessage> messages) =>
        int.Parse(messages.Last().Text.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Evaluate_UnknownModel_ThrowsModelNotFoundAndCreatesNoRun()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "x"));

        var act = () => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "nobody/here", DatasetId = dataset }, cancellationToken: Ct);

        (await act.Should().ThrowAsync<ModelNotFoundException>()).Which.ModelId.Should().Be("nobody/here");
        (await _storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Evaluate_ModelWithoutClient_ThrowsNamingTheModelAndHowToRegister()
    {
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/orphan" }, Ct);
        await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(2)), Ct);

        var act = () => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/orphan", DatasetId = "arith@1" }, cancellationToken: Ct);

        await act.Should().ThrowAsync<NotFoundException>().WithMessage("*local/orphan*AddKeyedChatClient*");
    }

    [Fact]
    public async Task CompletedRun_JoinsItsModelsTimeSeries()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(p => p.Contains(" 2 ", StringComparison.Ordinal) ? "4" : "no idea"));

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        var points = await _storage.Metrics.QueryAsync(ModelId, null, run.CreatedAt.AddDays(-1), run.CompletedAt!.Value.AddDays(1), Ct).ToListAsync(Ct);
        points.Should().NotBeEmpty().And.OnlyContain(p => p.RunId == run.Id && p.Timestamp == run.CompletedAt);
        points.Single(p => p.Name == "exact_match").Value.Should().Be(run.Summary!.Metrics["exact_match"].Mean);
        points.Single(p => p.Name == "run.error_rate").Value.Should().Be(0);
    }

    [Fact]
    public async Task Evaluate_RetiredModel_IsRefusedNamingTheReplacement()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "x"));
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/newer" }, Ct);
        await _kit.Registry.DeprecateAsync(ModelId, "superseded", "local/newer", Ct);
        await _kit.Registry.RetireAsync(ModelId, cancellationToken: Ct);

        var act = () => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        await act.Should().ThrowAsync<EvalKitException>().WithMessage($"*{ModelId}*retired*local/newer*");
        (await _storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty("nothing is stored for a refused run");
    }

    [Fact]
    public async Task Evaluate_UnknownDatasetOrScorer_ThrowsNamingIt()
    {
        await SetUpAsync(FakeChatClient.Answering(_ => "x"));

        await FluentActions.Awaiting(() => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = "missing@1" }, cancellationToken: Ct))
            .Should().ThrowAsync<NotFoundException>().WithMessage("*dataset*missing@1*");
        await FluentActions.Awaiting(() => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = "arith@1", ScorerNames = ["bleuu"] }, cancellationToken: Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*Unknown scorer 'bleuu'*exact_match*");
    }

    [Fact]
    public async Task Evaluate_ScoresExactMatchAndSummarizesPerCase()
    {
        // Right on multiples of three: cases 0, 3, 6, 9 of 10.
        var dataset = await SetUpAsync(FakeChatClient.Answering(p =>
        {
            var n = int.Parse(p.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            return n % 3 == 0 ? $" {n + n} " : "no idea";
        }));

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        var results = await _kit.Engine.GetResultsAsync(run.Id, Ct);
        results.Results.Select(r => r.GetScore("exact_match")!.Passed).Should().Equal(true, false, false, true, false, false, true, false, false, true);
        var metric = run.Summary!.Metrics["exact_match"];
        double[] perCase = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1];
        metric.Mean.Should().Be(0.4);
        metric.N.Should().Be(10);
        metric.StandardDeviation.Should().BeApproximately(Descriptive.StandardDeviation(perCase), 1e-12);
        metric.StandardError.Should().BeApproximately(Descriptive.StandardDeviation(perCase) / Math.Sqrt(10), 1e-12);
        // Pass/fail per case, ungrouped: Wilson's interval (statsmodels proportion_confint(4, 10, method="wilson")).
        metric.IntervalMethod.Should().Be("wilson");
        metric.ConfidenceInterval.Lower.Should().BeApproximately(0.16818033, 1e-7);
        metric.ConfidenceInterval.Upper.Should().BeApproximately(0.68732623, 1e-7);
        metric.Clusters.Should().BeNull();
        run.Summary.SuccessRate.Should().Be(1);
        run.Summary.Latency!.Count.Should().Be(10);
        run.Summary.Latency.P50.Should().BeLessThanOrEqualTo(run.Summary.Latency.P95);
    }

    [Fact]
    public async Task Evaluate_PerfectPassFailScore_HasAnIntervalInsideZeroOneThatDoesNotCollapse()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(p =>
        {
            var n = int.Parse(p.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            return (n + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }));

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        var metric = run.Summary!.Metrics["exact_match"];
        metric.Mean.Should().Be(1);
        metric.StandardError.Should().Be(0, "every case passed");
        metric.IntervalMethod.Should().Be("wilson");
        metric.ConfidenceInterval.Upper.Should().BeApproximately(1, 1e-12);
        metric.ConfidenceInterval.Lower.Should().BeApproximately(0.72246720, 1e-7, "10 of 10 does not prove 100% (statsmodels' Wilson bound)");
    }

    [Fact]
    public async Task Evaluate_GroupedCases_ReportsClusteredStandardError()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(p => p.Contains(" 1 ", StringComparison.Ordinal) || p.Contains(" 4 ", StringComparison.Ordinal) ? "2" : "8"), cases: 12, groups: 3);

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        var results = (await _kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        var values = results.Select(r => r.GetScore("exact_match")!.Value!.Value).ToArray();
        var clusters = results.Select(r => r.Group!).ToList();
        var metric = run.Summary!.Metrics["exact_match"];
        metric.Clusters.Should().Be(3);
        metric.StandardError.Should().BeApproximately(StandardErrors.Clustered(values, clusters), 1e-12);
    }

    [Fact]
    public async Task Evaluate_UsageNotReported_StaysUnknownNeverZero()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "4"), pricing: new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 });

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        run.Summary!.InputTokens.Should().BeNull();
        run.Summary.OutputTokens.Should().BeNull();
        run.Summary.TotalCost.Should().BeNull();
        run.Summary.UnknownUsageCount.Should().Be(10);
        run.Summary.UnknownCostCount.Should().Be(10);
        (await _kit.Engine.GetResultsAsync(run.Id, Ct)).Results.Should().OnlyContain(r => r.InputTokens == null && r.Cost == null);
    }

    [Fact]
    public async Task Evaluate_FailuresAreRecordedPerCaseWithCategoryAndRetries_AndTheRunCompletes()
    {
        var attempts = new ConcurrentDictionary<int, int>();
        var client = new FakeChatClient((messages, _, _) =>
        {
            var n = NumberIn(messages);
            var attempt = attempts.AddOrUpdate(n, 1, (_, a) => a + 1);
            return n switch
            {
                // Transient once, then fine: one retry.
                0 => attempt == 1 ? throw new HttpRequestException("503", null, System.Net.HttpStatusCode.ServiceUnavailable) : Task.FromResult(Answer("0")),
                // Rate limited with Retry-After twice, then fine: two retries.
                1 => attempt <= 2 ? throw new ModelCallException(ErrorCategory.RateLimited, "429", TimeSpan.FromMilliseconds(1)) : Task.FromResult(Answer("2")),
                // Always transient: retried MaxRetries times, then recorded.
                2 => throw new IOException("connection reset"),
                // Fatal: never retried.
                3 => throw new HttpRequestException("401", null, System.Net.HttpStatusCode.Unauthorized),
                // The content filter stopped the answer.
                4 => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "")) { FinishReason = ChatFinishReason.ContentFilter }),
                _ => Task.FromResult(Answer((n + n).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            };
        });
        var dataset = await SetUpAsync(client);

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = new EvaluationOptions { MaxRetries = 2, MaxConcurrency = 3 } }, cancellationToken: Ct);

        run.Status.Should().Be(RunStatus.Completed);
        var results = (await _kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        results[0].Should().Match<CaseResult>(r => r.Error == null && r.RetryCount == 1 && r.Output == "0");
        results[1].Should().Match<CaseResult>(r => r.Error == null && r.RetryCount == 2);
        results[2].Error!.Category.Should().Be(ErrorCategory.Transient);
        results[2].RetryCount.Should().Be(2);
        results[3].Error!.Category.Should().Be(ErrorCategory.Fatal);
        results[3].RetryCount.Should().Be(0);
        results[4].Error!.Category.Should().Be(ErrorCategory.ContentFilter);
        results[4].Scores.Should().BeEmpty();
        attempts[2].Should().Be(3);
        attempts[3].Should().Be(1);

        var summary = run.Summary!;
        summary.Failed.Should().Be(3);
        summary.Succeeded.Should().Be(7);
        summary.ErrorRate.Should().Be(0.3);
        summary.Retries.Should().Be(1 + 2 + 2);
        summary.RetryRate.Should().Be(0.3);
        summary.Metrics["exact_match"].N.Should().Be(7, "failed calls have no score");
    }

    [Fact]
    public async Task Evaluate_CallSlowerThanTheTimeout_IsRecordedAsTimeout()
    {
        var dataset = await SetUpAsync(new FakeChatClient(async (messages, _, ct) =>
        {
            if (NumberIn(messages) == 5)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return Answer("x");
        }));

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = new EvaluationOptions { MaxRetries = 0, Timeout = TimeSpan.FromMilliseconds(50) } }, cancellationToken: Ct);

        var results = (await _kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        results[5].Error!.Category.Should().Be(ErrorCategory.Timeout);
        results.Where(r => r.CaseOrdinal != 5).Should().OnlyContain(r => r.Error == null);
    }

    [Fact]
    public async Task Evaluate_ScorerThrows_RecordsTheScoreErrorAndKeepsTheAnswer()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "4"));

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, ScorerNames = ["exact_match", ThrowingScorer.TheName] }, cancellationToken: Ct);

        var result = (await _kit.Engine.GetResultsAsync(run.Id, Ct)).Results[0];
        result.Output.Should().Be("4");
        result.GetScore(ThrowingScorer.TheName)!.Error.Should().Contain("scorer exploded");
        result.GetScore(ThrowingScorer.TheName)!.Value.Should().BeNull();
        run.Summary!.Metrics[ThrowingScorer.TheName].Errors.Should().Be(10);
        run.Summary.Metrics["exact_match"].N.Should().Be(10);
    }

    [Fact]
    public async Task Evaluate_SeveralAsyncScorers_RunConcurrentlyAndKeepTheirOrder()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "4"), cases: 1);
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        async ValueTask<Score> Slow(ScoringContext context, CancellationToken ct, string name)
        {
            // Each scorer waits until the other has started: sequential scoring would never finish.
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.TrySetResult();
            }

            await bothStarted.Task.WaitAsync(ct);
            return new Score { Name = name, Value = name.Length };
        }

        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest
        {
            ModelId = ModelId, DatasetId = dataset,
            Scorers = [new DelegateScorer("first", (c, ct) => Slow(c, ct, "first")), new DelegateScorer("second_one", (c, ct) => Slow(c, ct, "second_one"))],
        }, cancellationToken: Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var scores = (await _kit.Engine.GetResultsAsync(run.Id, Ct)).Results[0].Scores;
        scores.Select(s => (s.Name, s.Value)).Should().Equal(("first", 5.0), ("second_one", 10.0));
    }

    [Fact]
    public async Task Evaluate_Repetitions_CallEachCaseKTimesWithSeedsAndAverageWithinCases()
    {
        var seen = new ConcurrentBag<(int N, long? Seed)>();
        var dataset = await SetUpAsync(new FakeChatClient((messages, options, _) =>
        {
            var n = NumberIn(messages);
            seen.Add((n, options!.Seed));
            // Right on the first sample only: every case scores 1/3.
            return Task.FromResult(Answer(options.Seed == 7 ? (n + n).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?"));
        }), cases: 4);

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = new EvaluationOptions { Repetitions = 3, Seed = 7, Temperature = 0.7f } }, cancellationToken: Ct);

        seen.Should().HaveCount(12);
        seen.Select(s => s.Seed).Distinct().Order().Should().Equal(7L, 8L, 9L);
        run.TotalCount.Should().Be(12);
        var metric = run.Summary!.Metrics["exact_match"];
        metric.N.Should().Be(4);
        metric.Mean.Should().BeApproximately(1.0 / 3, 1e-12);
        metric.StandardError.Should().Be(0);
    }

    [Fact]
    public async Task Evaluate_BenchmarkTemplateAndSystemPrompt_ShapeTheMessages()
    {
        var prompts = new ConcurrentBag<string>();
        var dataset = await SetUpAsync(new FakeChatClient((messages, _, _) =>
        {
            prompts.Add(string.Join(" | ", messages.Select(m => $"{m.Role}: {m.Text}")));
            return Task.FromResult(Answer("x"));
        }), cases: 1);
        await _kit.Datasets.SaveBenchmarkAsync(new Benchmark
        {
            Id = "suite", DatasetId = dataset, SystemPrompt = "Be terse.", PromptTemplate = "Q{{metadata.i}}: {{input}}", Scorers = ["exact_match"],
        }, Ct);

        await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, BenchmarkId = "suite" }, cancellationToken: Ct);

        prompts.Should().Equal("system: Be terse. | user: Q0: What is 0 + 0?");
    }

    [Fact]
    public async Task Evaluate_FewShotExamples_ComeAfterTheSystemPromptAndBeforeTheCase()
    {
        var prompts = new ConcurrentBag<string>();
        var dataset = await SetUpAsync(new FakeChatClient((messages, _, _) =>
        {
            prompts.Add(string.Join(" | ", messages.Select(m => $"{m.Role}: {m.Text}")));
            return Task.FromResult(Answer("x"));
        }), cases: 1);
        await _kit.Datasets.ImportAsync(new Dataset("chat", "1", [new EvalCase
        {
            Id = "c", Input = CaseInput.FromMessages([new ChatTurn("system", "Case rules."), new ChatTurn("user", "Hi"), new ChatTurn("assistant", "Hello"), new ChatTurn("user", "2+2?")]),
        }]), Ct);
        FewShotExample[] examples = [new("1+1?", "2"), new("3+3?", "6")];

        await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, SystemPrompt = "Be terse.", FewShot = examples }, cancellationToken: Ct);
        await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = "chat@1", SystemPrompt = "Ignored: the case has its own.", FewShot = examples }, cancellationToken: Ct);

        prompts.Should().BeEquivalentTo(
            "system: Be terse. | user: 1+1? | assistant: 2 | user: 3+3? | assistant: 6 | user: What is 0 + 0?",
            "system: Case rules. | user: 1+1? | assistant: 2 | user: 3+3? | assistant: 6 | user: Hi | assistant: Hello | user: 2+2?");
    }

    [Fact]
    public async Task Evaluate_ReportsProgressUpToTheTotal_AndStatusAndStreamAgree()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "x"), cases: 50);
        var reports = new ConcurrentQueue<EvaluationProgress>();

        var run = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = new EvaluationOptions { WriteBatchSize = 8 } },
            new SynchronousProgress(reports.Enqueue),
            Ct);

        reports.Should().NotBeEmpty();
        reports.Select(r => r.Done).Should().BeInAscendingOrder();
        reports.Last().Done.Should().Be(50);
        var status = await _kit.Engine.GetStatusAsync(run.Id, Ct);
        status.Should().Match<EvaluationStatus>(s => s.Done == 50 && s.Total == 50 && s.Status == RunStatus.Completed && s.Fraction == 1);
        (await _kit.Engine.StreamResultsAsync(run.Id, Ct).ToListAsync(Ct)).Should().HaveCount(50);
    }

    [Fact]
    public async Task Resume_CompletedRun_ReturnsItWithoutCallingTheModel()
    {
        var client = FakeChatClient.Answering(_ => "x");
        var dataset = await SetUpAsync(client, cases: 3);
        var run = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset }, cancellationToken: Ct);

        var again = await _kit.Engine.ResumeAsync(run.Id, Ct);

        again.Should().Be(run);
        client.Calls.Should().Be(3);
    }

    [Fact]
    public async Task Evaluate_DuplicateRunId_Throws()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "x"), cases: 1);
        await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "same" }, cancellationToken: Ct);

        await FluentActions.Awaiting(() => _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, RunId = "same" }, cancellationToken: Ct))
            .Should().ThrowAsync<EvalKitException>().WithMessage("*'same' already exists*");
    }

    [Fact]
    public async Task Evaluate_InvalidOptions_ListsEveryProblem()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "x"), cases: 1);

        var act = () => _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset, Options = new EvaluationOptions { MaxConcurrency = 0, Repetitions = 0, Timeout = TimeSpan.Zero } }, cancellationToken: Ct);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*MaxConcurrency*Repetitions*Timeout*");
    }

    [Fact]
    public async Task EvaluateBatch_RunsEveryModelOverTheBenchmark()
    {
        var dataset = await SetUpAsync(FakeChatClient.Answering(_ => "0"), cases: 5);
        _clients.Add("local/second", FakeChatClient.Answering(_ => "never"));
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/second" }, Ct);
        await _kit.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "suite", DatasetId = dataset }, Ct);

        var runs = await _kit.Engine.EvaluateBatchAsync([ModelId, "local/second"], "suite", cancellationToken: Ct);

        runs.Select(r => r.ModelId).Should().Equal(ModelId, "local/second");
        runs[0].Summary!.Metrics["exact_match"].Mean.Should().Be(0.2);
        runs[1].Summary!.Metrics["exact_match"].Mean.Should().Be(0);
    }

    private sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }

    private sealed class ThrowingScorer : IScorer
    {
        public const string TheName = "throws";

        public string Name => TheName;

        public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("scorer exploded");
    }
}
