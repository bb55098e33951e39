using System.Collections.Concurrent;
using System.Globalization;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Statistics;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Comparisons;

public sealed class AbTestServiceTests : IAsyncDisposable
{
    private const string A = "local/a";
    private const string B = "local/b";
    private const string C = "local/c";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // 1 / (1 + |answer − reference|): a fractional, continuous score.
    private static readonly DelegateScorer Closeness = new("closeness", ctx =>
        double.TryParse(ctx.Output.Trim(), NumberStyles.Float, Inv, out var v) ? 1.0 / (1 + Math.Abs(v - double.Parse(ctx.References[0], Inv))) : 0);

    private readonly ModelClientMap _clients = new();
    private readonly EvalKitHost _kit;

    public AbTestServiceTests()
    {
        _kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, clients: _clients, scorers: [Closeness]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    private static int CaseNumber(string prompt) => int.Parse(prompt.Split(' ')[2], Inv);

    private static FakeChatClient Answering(Func<int, int> offset, long? inputTokens = null, long? outputTokens = null) =>
        FakeChatClient.Answering(p => { var i = CaseNumber(p); return ((2 * i) + offset(i)).ToString(Inv); }, inputTokens, outputTokens);

    private static FakeChatClient Correct(Func<int, bool> correct, long? inputTokens = null, long? outputTokens = null) =>
        Answering(i => correct(i) ? 0 : 1, inputTokens, outputTokens);

    private async Task<string> BenchmarkAsync(int cases, string scorer = ExactMatchScorer.DefaultName)
    {
        var info = await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct);
        await _kit.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "arith", DatasetId = info.Id, Scorers = [scorer] }, Ct);
        return "arith";
    }

    private async Task AddModelAsync(string id, IChatClient client, ModelPricing? pricing = null)
    {
        _clients.Add(id, client);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = id, Pricing = pricing }, Ct);
    }

    private async Task<AbTestResults> RunAsync(AbTestDefinition definition, IProgress<EvaluationProgress>? progress = null)
    {
        var test = await _kit.AbTests.CreateAsync(definition, Ct);
        return await _kit.AbTests.ExecuteAsync(test.Id, progress, Ct);
    }

    private static (int B, int C) Discordant(int n, Func<int, bool> a, Func<int, bool> b) =>
        (Enumerable.Range(0, n).Count(i => a(i) && !b(i)), Enumerable.Range(0, n).Count(i => !a(i) && b(i)));

    [Fact]
    public async Task ClearlyBetterModel_WinsWithMcNemarOnTheDiscordantCounts()
    {
        const int n = 120;
        static bool aRight(int i) => i % 10 is not (0 or 1);
        static bool bRight(int i) => i % 2 == 1;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, Correct(aRight, 100, 10), new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 });
        await AddModelAsync(B, Correct(bRight, 100, 10), new ModelPricing { InputPerMillionTokens = 3, OutputPerMillionTokens = 6 });
        var reports = new ConcurrentBag<EvaluationProgress>();

        var results = await RunAsync(new AbTestDefinition { Name = "a vs b", ModelIds = [A, B], BenchmarkId = bench }, new SyncProgress(reports.Add));

        var (b, c) = Discordant(n, aRight, bRight);
        var pair = results.Pairs.Should().ContainSingle().Subject;
        pair.TestName.Should().Be("McNemar exact");
        pair.OnlyAPassed.Should().Be(b);
        pair.OnlyBPassed.Should().Be(c);
        var expected = HypothesisTests.McNemar(b, c);
        pair.PValue.Should().Be(expected.PValue);
        pair.Statistic.Should().Be(expected.Statistic);
        pair.AdjustedPValue.Should().Be(expected.PValue);
        pair.MeanDifference.Should().BeApproximately((double)(b - c) / n, 1e-12);
        pair.EffectSize.Should().BeApproximately((double)(b - c) / n, 1e-12);
        pair.EffectSizeName.Should().Be("risk difference");
        pair.ConfidenceInterval.Lower.Should().BeGreaterThan(0);
        pair.Significant.Should().BeTrue();
        pair.DroppedCases.Should().Be(0);
        pair.CountA.Should().Be(n);
        results.Winner.Should().Be(A);
        results.RequiredSampleSize.Should().BeNull();
        results.Verdict.Should().Contain(A).And.Contain("significantly better");
        results.Metric.Should().Be(ExactMatchScorer.DefaultName);
        results.Models.Select(m => m.Mean).Should().Equal(Enumerable.Range(0, n).Count(aRight) / (double)n, Enumerable.Range(0, n).Count(bRight) / (double)n);

        pair.Latency.Should().NotBeNull();
        pair.Latency!.TestName.Should().Be("Wilcoxon signed-rank");
        pair.Latency.N.Should().Be(n);
        pair.Latency.PValue.Should().BeInRange(0, 1);
        pair.Cost.Should().NotBeNull();
        pair.Cost!.MeanDifference.Should().BeApproximately(((100 * 1) + (10 * 2) - (100 * 3) - (10 * 6)) / 1e6, 1e-12);
        pair.Cost.PValue.Should().BeLessThan(1e-10);
        results.Models[0].MeanCost.Should().BeApproximately(120 / 1e6, 1e-12);

        var test = await _kit.AbTests.GetAsync(results.TestId, Ct);
        test!.Status.Should().Be(AbTestStatus.Completed);
        reports.Select(r => r.RunId).Distinct().Should().BeEquivalentTo(test.RunIds.Values);
        (await _kit.AbTests.GetResultsAsync(results.TestId, Ct)).Pairs[0].PValue.Should().Be(expected.PValue);
    }

    [Fact]
    public async Task EqualModels_NoWinner_VerdictAndRequiredSampleSize()
    {
        const int n = 100;
        static bool aRight(int i) => i % 10 != 0;
        static bool bRight(int i) => i % 10 != 1 && i % 50 != 2;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, Correct(aRight));
        await AddModelAsync(B, Correct(bRight));

        var results = await RunAsync(new AbTestDefinition { Name = "equal", ModelIds = [A, B], BenchmarkId = bench });

        var (b, c) = Discordant(n, aRight, bRight);
        results.Winner.Should().BeNull();
        results.Pairs[0].Significant.Should().BeFalse();
        results.Pairs[0].PValue.Should().Be(HypothesisTests.McNemar(b, c).PValue);
        results.Verdict.Should().StartWith("no significant difference");
        results.RequiredSampleSize.Should().BePositive().And.Be(Power.RequiredSampleSizePairedProportions((double)b / n, (double)c / n));
        results.RequiredSampleSize.Should().BeGreaterThan(n);

        var text = results.ToText();
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        text.Should().Contain(results.Verdict).And.Contain("no significant difference").And.Contain("McNemar exact").And.Contain(A).And.Contain(B);
        var lines = text.Split(Environment.NewLine);
        var header = lines.First(l => l.StartsWith("Model", StringComparison.Ordinal));
        var rows = lines.SkipWhile(l => l != header).Skip(2).TakeWhile(l => l.Length > 0).ToList();
        rows.Should().HaveCount(2).And.OnlyContain(r => r.Length == header.Length);
    }

    [Fact]
    public async Task ThreeModels_HolmAdjustedPValues_AndWinnerBeatsAll()
    {
        const int n = 150;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, Correct(i => i % 10 != 0));
        await AddModelAsync(B, Correct(i => i % 3 != 0));
        await AddModelAsync(C, Correct(i => i % 3 != 1 && i % 7 != 0));

        var results = await RunAsync(new AbTestDefinition { Name = "three", ModelIds = [A, B, C], BenchmarkId = bench });

        results.Pairs.Select(p => (p.ModelA, p.ModelB)).Should().Equal((A, B), (A, C), (B, C));
        var raw = results.Pairs.Select(p => p.PValue).ToArray();
        results.Pairs.Select(p => p.AdjustedPValue).Should().Equal(MultipleComparisons.Holm(raw));
        results.Pairs.Select(p => p.Significant).Should().Equal(MultipleComparisons.Holm(raw).Select(p => p < 0.05));
        results.Pairs[0].Significant.Should().BeTrue();
        results.Pairs[1].Significant.Should().BeTrue();
        results.Winner.Should().Be(A);
        TestContext.Current.TestOutputHelper?.WriteLine(results.ToText());
    }

    [Fact]
    public async Task ThreeModels_BenjaminiHochbergAndBonferroni_AdjustAsTheStatisticsLibrary()
    {
        const int n = 60;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, Correct(i => i % 10 != 0));
        await AddModelAsync(B, Correct(i => i % 4 != 0));
        await AddModelAsync(C, Correct(i => i % 5 != 1));

        var bh = await RunAsync(new AbTestDefinition { Name = "bh", ModelIds = [A, B, C], BenchmarkId = bench, Correction = PValueCorrection.BenjaminiHochberg });
        var bonferroni = await RunAsync(new AbTestDefinition { Name = "bonf", ModelIds = [A, B, C], BenchmarkId = bench, Correction = PValueCorrection.Bonferroni });

        var raw = bh.Pairs.Select(p => p.PValue).ToArray();
        bh.Pairs.Select(p => p.AdjustedPValue).Should().Equal(MultipleComparisons.BenjaminiHochberg(raw));
        bonferroni.Pairs.Select(p => p.PValue).Should().Equal(raw);
        bonferroni.Pairs.Select(p => p.AdjustedPValue).Should().Equal(MultipleComparisons.Bonferroni(raw));
    }

    private static int OffsetA(int i) => i % 3 == 0 ? 1 : 0;

    private static int OffsetB(int i) => (i % 4) switch { 0 => 0, 1 => 3, _ => 1 };

    private static (double[] A, double[] B) ClosenessScores(int n) =>
        (Enumerable.Range(0, n).Select(i => 1.0 / (1 + OffsetA(i))).ToArray(), Enumerable.Range(0, n).Select(i => 1.0 / (1 + OffsetB(i))).ToArray());

    [Fact]
    public async Task ContinuousMetric_ThirtyOrMorePairs_UsesThePairedTTest()
    {
        const int n = 40;
        var bench = await BenchmarkAsync(n, "closeness");
        await AddModelAsync(A, Answering(OffsetA));
        await AddModelAsync(B, Answering(OffsetB));

        var results = await RunAsync(new AbTestDefinition { Name = "continuous", ModelIds = [A, B], BenchmarkId = bench });

        var (a, b) = ClosenessScores(n);
        var expected = HypothesisTests.PairedTTest(a, b);
        var pair = results.Pairs[0];
        results.Metric.Should().Be("closeness");
        pair.TestName.Should().Be("paired t");
        pair.Statistic.Should().BeApproximately(expected.Statistic, 1e-12);
        pair.PValue.Should().BeApproximately(expected.PValue, 1e-15);
        pair.DegreesOfFreedom.Should().Be(n - 1);
        pair.MeanDifference.Should().BeApproximately(a.Average() - b.Average(), 1e-12);
        pair.StandardError.Should().BeApproximately(StandardErrors.Paired(a, b), 1e-12);
        pair.EffectSize.Should().BeApproximately(EffectSizes.PairedCohensDz(a, b), 1e-12);
        pair.EffectSizeName.Should().Be("Cohen's d_z");
        pair.ItemCorrelation.Should().BeApproximately(Correlation.Pearson(a, b).Coefficient, 1e-12);
        pair.OnlyAPassed.Should().BeNull();
    }

    [Fact]
    public async Task ContinuousMetric_FewerThanThirtyPairs_UsesWilcoxon()
    {
        const int n = 20;
        var bench = await BenchmarkAsync(n, "closeness");
        await AddModelAsync(A, Answering(OffsetA));
        await AddModelAsync(B, Answering(OffsetB));

        var results = await RunAsync(new AbTestDefinition { Name = "small", ModelIds = [A, B], BenchmarkId = bench });

        var (a, b) = ClosenessScores(n);
        var expected = HypothesisTests.Wilcoxon(a, b);
        var pair = results.Pairs[0];
        pair.TestName.Should().Be("Wilcoxon signed-rank");
        pair.Statistic.Should().Be(expected.Statistic);
        pair.PValue.Should().BeApproximately(expected.PValue, 1e-15);
        results.ToText().Should().Contain("Wilcoxon signed-rank");
    }

    [Fact]
    public async Task UnpairedDesign_UsesFisherExact()
    {
        const int n = 80;
        static bool aRight(int i) => i % 10 != 0;
        static bool bRight(int i) => i % 3 != 0;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, Correct(aRight));
        await AddModelAsync(B, Correct(bRight));

        var results = await RunAsync(new AbTestDefinition { Name = "unpaired", ModelIds = [A, B], BenchmarkId = bench, Design = AbTestDesign.Unpaired });

        var sA = Enumerable.Range(0, n).Count(aRight);
        var sB = Enumerable.Range(0, n).Count(bRight);
        var pair = results.Pairs[0];
        pair.TestName.Should().Be("Fisher exact");
        pair.PValue.Should().Be(HypothesisTests.FisherExact(sA, n - sA, sB, n - sB).PValue);
        pair.ItemCorrelation.Should().BeNull();
        pair.Latency!.TestName.Should().Be("Mann-Whitney U");
    }

    [Fact]
    public async Task FailedCallInOneArm_DropsThatCaseFromThePair()
    {
        const int n = 40;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, new FakeChatClient((messages, _, _) =>
        {
            var i = CaseNumber(messages.Last().Text);
            return i == 7
                ? throw new InvalidOperationException("the model broke")
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, (2 * i).ToString(Inv))));
        }));
        await AddModelAsync(B, Correct(i => i % 2 == 0));

        var results = await RunAsync(new AbTestDefinition { Name = "failure", ModelIds = [A, B], BenchmarkId = bench });

        var pair = results.Pairs[0];
        pair.DroppedCases.Should().Be(1);
        pair.CountA.Should().Be(n - 1);
        results.Models[0].N.Should().Be(n - 1);
        results.Models[0].MissingCases.Should().Be(1);
        results.Models[1].N.Should().Be(n);
        var (b, c) = Discordant(n, i => i != 7, i => i % 2 == 0); // case 7 (A failed) is left out: B is wrong there too
        pair.OnlyAPassed.Should().Be(b);
        pair.PValue.Should().Be(HypothesisTests.McNemar(b, c).PValue);
        results.ToText().Should().Contain("dropped");
    }

    [Fact]
    public async Task Create_InvalidDefinition_ListsEveryProblem()
    {
        var bench = await BenchmarkAsync(5);
        await AddModelAsync(A, Correct(_ => true));

        var invalid = () => _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "bad", ModelIds = [A, A], BenchmarkId = bench, Alpha = 1.5 }, Ct).AsTask();
        var message = (await invalid.Should().ThrowAsync<ArgumentException>()).Which.Message;
        message.Should().Contain("at least two distinct models").And.Contain("repeated: 'local/a'").And.Contain("Alpha must be in (0, 1)");

        var missing = () => _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "missing", ModelIds = [A, "local/ghost"], BenchmarkId = "nope" }, Ct).AsTask();
        (await missing.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Contain("model 'local/ghost'").And.Contain("benchmark 'nope'");

        var zeroAlpha = () => _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "z", ModelIds = [A, "local/ghost"], BenchmarkId = bench, Alpha = 0 }, Ct).AsTask();
        await zeroAlpha.Should().ThrowAsync<ArgumentException>().WithMessage("*Alpha*");

        (await _kit.AbTests.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Create_StoresResolvedMetricAndRunIds_DuplicateIdRejected()
    {
        var bench = await BenchmarkAsync(5);
        await AddModelAsync(A, Correct(_ => true));
        await AddModelAsync(B, Correct(_ => true));

        var test = await _kit.AbTests.CreateAsync(new AbTestDefinition { Id = "t1", Name = "t", ModelIds = [A, B], BenchmarkId = bench }, Ct);

        test.Id.Should().Be("t1");
        test.Status.Should().Be(AbTestStatus.Created);
        test.Definition.PrimaryMetric.Should().Be(ExactMatchScorer.DefaultName);
        test.RunIds.Keys.Should().BeEquivalentTo([A, B]);
        (await _kit.AbTests.GetAsync("t1", Ct)).Should().Be(test);
        (await _kit.AbTests.ListAsync(Ct).ToListAsync(Ct)).Should().ContainSingle();
        await FluentActions.Awaiting(() => _kit.AbTests.GetResultsAsync("t1", Ct).AsTask()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*execute*");
        await FluentActions.Awaiting(() => _kit.AbTests.CreateAsync(new AbTestDefinition { Id = "t1", Name = "t", ModelIds = [A, B], BenchmarkId = bench }, Ct).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*'t1'*taken*");
        await FluentActions.Awaiting(() => _kit.AbTests.ExecuteAsync("ghost", cancellationToken: Ct)).Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task ExecuteAfterCancel_ResumesUnfinishedRunsAndReusesCompletedOnes()
    {
        const int n = 60;
        var bench = await BenchmarkAsync(n);
        var aClient = Correct(i => i % 10 != 0);
        var block = true;
        var bReachedTheBlock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bClient = new FakeChatClient(async (messages, _, ct) =>
        {
            var i = CaseNumber(messages.Last().Text);
            if (i >= 20)
            {
                bReachedTheBlock.TrySetResult();
            }

            if (Volatile.Read(ref block) && i >= 20)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, (i % 2 == 0 ? 2 * i : -1).ToString(Inv)));
        });
        await AddModelAsync(A, aClient);
        await AddModelAsync(B, bClient);
        var test = await _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "resume", ModelIds = [A, B], BenchmarkId = bench }, Ct);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = _kit.AbTests.ExecuteAsync(test.Id, cancellationToken: cancel.Token);
        // B blocks from case 20 on; A runs to its end. Streaming A's results follows its run until it has completed.
        await bReachedTheBlock.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await foreach (var unused in _kit.Engine.StreamResultsAsync(test.RunIds[A], Ct))
        {
        }

        (await _kit.Storage.Runs.GetAsync(test.RunIds[A], Ct))!.Status.Should().Be(RunStatus.Completed);

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OperationCanceledException>();
        (await _kit.AbTests.GetAsync(test.Id, Ct))!.Status.Should().Be(AbTestStatus.Cancelled);
        (await _kit.Storage.Runs.GetAsync(test.RunIds[B], Ct))!.Status.Should().Be(RunStatus.Cancelled);
        var storedB = (await _kit.Storage.Results.CountAsync(test.RunIds[B], Ct)).Total;
        storedB.Should().BeLessThan(n);
        var bCallsBefore = bClient.Calls;

        Volatile.Write(ref block, false);
        var results = await _kit.AbTests.ExecuteAsync(test.Id, cancellationToken: Ct);

        aClient.Calls.Should().Be(n, "the completed run of A is reused");
        (bClient.Calls - bCallsBefore).Should().Be((int)(n - storedB), "only B's missing cases are evaluated");
        results.Models.Select(m => m.RunId).Should().Equal(test.RunIds[A], test.RunIds[B]);
        results.Models.Should().OnlyContain(m => m.N == n);
        (await _kit.AbTests.GetAsync(test.Id, Ct))!.Status.Should().Be(AbTestStatus.Completed);
        (await _kit.Storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().HaveCount(2);
    }

    [Fact]
    public async Task CompareModels_UsesTheLatestCompletedRuns_AndSwappingMirrors()
    {
        const int n = 100;
        static bool aRight(int i) => i % 10 != 0;
        static bool bRight(int i) => i % 4 != 0;
        var bench = await BenchmarkAsync(n);
        await AddModelAsync(A, Correct(aRight));
        await AddModelAsync(B, Correct(bRight));
        await AddModelAsync(C, Correct(_ => true));
        await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = A, BenchmarkId = bench }, cancellationToken: Ct);
        var latestB = await _kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = B, BenchmarkId = bench }, cancellationToken: Ct);

        var ab = await _kit.AbTests.CompareModelsAsync([A, B], "arith@1", Ct);
        var ba = await _kit.AbTests.CompareModelsAsync([B, A], "arith@1", Ct);

        var (b, c) = Discordant(n, aRight, bRight);
        ab.Should().NotBeOfType<AbTestResults>();
        ab.Models[1].RunId.Should().Be(latestB.Id);
        ab.Pairs[0].PValue.Should().Be(HypothesisTests.McNemar(b, c).PValue);
        ab.Winner.Should().Be(A);
        ba.Winner.Should().Be(A);
        ba.Pairs[0].ModelA.Should().Be(B);
        ba.Pairs[0].MeanDifference.Should().BeApproximately(-ab.Pairs[0].MeanDifference, 1e-15);
        ba.Pairs[0].PValue.Should().Be(ab.Pairs[0].PValue);
        ba.Pairs[0].AdjustedPValue.Should().Be(ab.Pairs[0].AdjustedPValue);
        ba.Pairs[0].ConfidenceInterval.Lower.Should().BeApproximately(-ab.Pairs[0].ConfidenceInterval.Upper, 1e-12);
        ba.Pairs[0].OnlyAPassed.Should().Be(ab.Pairs[0].OnlyBPassed);
        ab.GetPair(B, A).Should().BeEquivalentTo(ba.Pairs[0], o => o.Excluding(p => p.Latency).Excluding(p => p.Cost).Excluding(p => p.ItemCorrelation));
        ab.ToText().Should().Contain(ab.Verdict).And.Contain("Comparison on dataset 'arith@1'");

        await FluentActions.Awaiting(() => _kit.AbTests.CompareModelsAsync([A, C], "arith@1", Ct)).Should().ThrowAsync<NotFoundException>().WithMessage("*'local/c'*");
        await FluentActions.Awaiting(() => _kit.AbTests.CompareModelsAsync([A, A], "arith@1", Ct)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void AddEvalKit_RegistersTheAbTestService()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IAbTestService>().Should().BeOfType<AbTestService>();
        _kit.AbTests.Should().BeOfType<AbTestService>();
    }

    private sealed class SyncProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
