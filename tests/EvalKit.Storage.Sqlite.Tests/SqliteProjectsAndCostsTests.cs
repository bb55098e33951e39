using System.Globalization;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Projects;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// Projects, cost accounting and budgets over a real SQLite file, with fake models that report usage and a fake clock:
/// runs, A/B tests and experiments join projects; reports split evaluation, judge and embedding costs and count unknown
/// costs apart; estimates come from history or prompt length; budgets refuse, stop and resume runs, and alert.
/// </summary>
public sealed class SqliteProjectsAndCostsTests : IAsyncDisposable
{
    private const string Priced = "local/priced";       // 2 per million input tokens, 10 per million output tokens
    private const string Unpriced = "local/unpriced";   // no pricing: its cost is unknown
    private const string Pricey = "local/pricey";       // 1000 per million output tokens: 1.00 per call of 1000 tokens
    private const string JudgeModel = "judge/model";    // 1 and 5 per million
    private const string EmbedModel = "embed/model";    // 0.1 per million

    // A Monday, so that the week of the first day holds the three days the tests run on.
    private static readonly DateTimeOffset Start = new(2026, 3, 30, 10, 0, 0, TimeSpan.Zero);

    private readonly SqliteTestDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ModelClientMap _clients = new();
    private readonly Alerts _alerts = new();
    private readonly FakeEmbeddings _embeddings = new();
    private readonly EvalKitHost _kit;

    public SqliteProjectsAndCostsTests()
    {
        // Correct answers from the priced models, wrong ones from the unpriced model; every call reports its usage.
        _clients.Add(Priced, Answering(correct: true, inputTokens: 100, outputTokens: 20));
        _clients.Add(Unpriced, Answering(correct: false, inputTokens: 100, outputTokens: 20));
        _clients.Add(Pricey, Answering(correct: true, inputTokens: 0, outputTokens: 1000));
        var judge = new FakeChatClient((_, _, _) => Task.FromResult(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, """{"score": 4, "reason": "fine"}""")) { Usage = new UsageDetails { InputTokenCount = 200, OutputTokenCount = 10 } }));
        IScorer[] scorers =
        [
            new JudgeScorer(judge, new JudgeOptions { ModelId = JudgeModel }),
            new SemanticSimilarityScorer(_embeddings, new SemanticSimilarityOptions { ModelId = EmbedModel, BatchWindow = TimeSpan.Zero }),
        ];
        _kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, _db.Open(), _clients, scorers, _clock, budgetObservers: [_alerts]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _kit.DisposeAsync();
        _db.Dispose();
    }

    private static FakeChatClient Answering(bool correct, long inputTokens, long outputTokens) =>
        FakeChatClient.Answering(
            prompt => correct ? (2 * int.Parse(prompt.Split(' ')[2], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) : "no idea",
            inputTokens,
            outputTokens);

    private async Task<string> SetUpAsync(int cases = 10)
    {
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = Priced, Pricing = new ModelPricing { InputPerMillionTokens = 2, OutputPerMillionTokens = 10 } }, Ct);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = Unpriced }, Ct);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = Pricey, Pricing = new ModelPricing { InputPerMillionTokens = 0, OutputPerMillionTokens = 1000 } }, Ct);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = JudgeModel, Pricing = new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 5 } }, Ct);
        await _kit.Registry.RegisterAsync(new ModelDescriptor { Id = EmbedModel, Pricing = new ModelPricing { InputPerMillionTokens = 0.1m, OutputPerMillionTokens = 0 } }, Ct);
        var dataset = (await _kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(cases)), Ct)).Id;
        await _kit.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "bench", DatasetId = dataset, Scorers = ["exact_match", "judge"], PrimaryMetric = "exact_match" }, Ct);
        return dataset;
    }

    private Task<Project> ProjectAsync(string id, ProjectBudget? budget = null) =>
        _kit.Projects.CreateAsync(new ProjectDefinition { Id = id, Name = $"Project {id}", Budget = budget }, Ct).AsTask();

    private Task<EvaluationRun> EvaluateAsync(string model, string? projectId, string? benchmark = "bench", string? dataset = null, EvaluationOptions? options = null) =>
        _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = model, BenchmarkId = benchmark, DatasetId = dataset, ProjectId = projectId, Options = options ?? new EvaluationOptions { MaxConcurrency = 1 } },
            cancellationToken: Ct);

    private async Task<List<AuditEntry>> AuditAsync(string operation) =>
        [.. (await _kit.Audit.QueryAsync(new AuditQuery { Operation = operation, PageSize = 1000 }, Ct)).Entries];

    [Fact]
    public async Task Projects_CreateRenameBudgetAndDelete_ArePersistedAndAudited()
    {
        var created = await _kit.Projects.CreateAsync(new ProjectDefinition { Name = "Support bot", Description = "Answers tickets" }, Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var renamed = await _kit.Projects.RenameAsync(created.Id, "Support assistant", Ct);
        var budgeted = await _kit.Projects.SetBudgetAsync(created.Id, new ProjectBudget { HardLimit = 100, SoftLimit = 80, Period = BudgetPeriod.Monthly }, Ct);

        created.Id.Should().NotBeNullOrWhiteSpace();
        created.CreatedAt.Should().Be(Start);
        renamed.Name.Should().Be("Support assistant");
        renamed.UpdatedAt.Should().Be(Start.AddMinutes(5));
        await using (var reopened = _db.Open())
        {
            (await reopened.Projects.GetAsync(created.Id, Ct)).Should().Be(budgeted, "every change is stored");
        }

        (await _kit.Projects.ListAsync(Ct).ToListAsync(Ct)).Should().ContainSingle().Which.Name.Should().Be("Support assistant");
        (await _kit.Projects.DeleteAsync(created.Id, Ct)).Should().BeTrue();
        (await _kit.Projects.DeleteAsync(created.Id, Ct)).Should().BeFalse();
        (await _kit.Projects.GetAsync(created.Id, Ct)).Should().BeNull();

        foreach (var kind in (string[])[EvalKitOperationKinds.ProjectCreate, EvalKitOperationKinds.ProjectRename, EvalKitOperationKinds.ProjectBudgetSet])
        {
            (await AuditAsync(kind)).Should().ContainSingle().Which.Should().Match<AuditEntry>(e => e.RecordId == created.Id && e.RecordType == EvalKitRecordTypes.Project && e.Outcome == AuditOutcome.Succeeded);
        }

        (await AuditAsync(EvalKitOperationKinds.ProjectDelete)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Create_InvalidDefinition_IsRefusedWithEveryProblem()
    {
        var act = async () => await _kit.Projects.CreateAsync(
            new ProjectDefinition { Id = "bad id!", Name = " ", Budget = new ProjectBudget { HardLimit = 5, SoftLimit = 6 } }, Ct);

        var thrown = await act.Should().ThrowAsync<ArgumentException>();
        thrown.Which.Message.Should().Contain("no name").And.Contain("'bad id!' is not a valid project id").And.Contain("soft limit 6 exceeds the hard limit 5");
        (await _kit.Projects.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Records_InAMissingProject_AreRefused_AndNothingIsStored()
    {
        await SetUpAsync();

        var run = async () => await EvaluateAsync(Priced, "ghost");
        var test = async () => await _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "t", ModelIds = [Priced, Unpriced], BenchmarkId = "bench", ProjectId = "ghost" }, Ct);
        var experiment = async () => await _kit.Experiments.CreateAsync(new ExperimentDefinition { Name = "e", BenchmarkIds = ["bench"], ModelIds = [Priced], ProjectId = "ghost" }, Ct);

        (await run.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Contain("'ghost'");
        (await test.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Contain("project 'ghost'");
        (await experiment.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Contain("project 'ghost'");
        (await _kit.Storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty();
        (await _kit.Storage.AbTests.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
        (await _kit.Storage.Experiments.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task RunsAbTestsAndExperiments_JoinTheirProject_AndListByIt()
    {
        await SetUpAsync(cases: 3);
        await ProjectAsync("p1");
        await ProjectAsync("p2");

        var run = await EvaluateAsync(Priced, "p1");
        var test = await _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "t", ModelIds = [Priced, Unpriced], BenchmarkId = "bench", ProjectId = "p2" }, Ct);
        await _kit.AbTests.ExecuteAsync(test.Id, cancellationToken: Ct);
        var experiment = await _kit.Experiments.CreateAsync(new ExperimentDefinition { Name = "e", BenchmarkIds = ["bench"], ModelIds = [Priced], ProjectId = "p2" }, Ct);
        var results = await _kit.Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);
        await _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "no project", ModelIds = [Priced, Unpriced], BenchmarkId = "bench" }, Ct);

        run.ProjectId.Should().Be("p1");
        (await _kit.Projects.ListRunsAsync("p1", Ct).ToListAsync(Ct)).Select(r => r.Id).Should().Equal(run.Id);
        var p2Runs = await _kit.Projects.ListRunsAsync("p2", Ct).ToListAsync(Ct);
        p2Runs.Select(r => r.Id).Should().BeEquivalentTo([.. test.RunIds.Values, .. results.Runs.Select(r => r.RunId)], "the test's and the experiment's runs join the project");
        p2Runs.Should().OnlyContain(r => r.ProjectId == "p2");
        (await _kit.AbTests.ListAsync("p2", Ct).ToListAsync(Ct)).Select(t => t.Id).Should().Equal(test.Id);
        (await _kit.AbTests.ListAsync(Ct).ToListAsync(Ct)).Should().HaveCount(2);
        (await _kit.Experiments.ListAsync("p2", Ct).ToListAsync(Ct)).Select(e => e.Id).Should().Equal(experiment.Id);
        (await _kit.Experiments.ListAsync("p1", Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Delete_ProjectWithLinkedRecords_IsRefused_NamingThem()
    {
        await SetUpAsync(cases: 2);
        await ProjectAsync("p");
        var run = await EvaluateAsync(Priced, "p");
        var test = await _kit.AbTests.CreateAsync(new AbTestDefinition { Name = "t", ModelIds = [Priced, Unpriced], BenchmarkId = "bench", ProjectId = "p" }, Ct);

        var act = async () => await _kit.Projects.DeleteAsync("p", Ct);

        var thrown = (await act.Should().ThrowAsync<ProjectInUseException>()).Which;
        thrown.ProjectId.Should().Be("p");
        thrown.Linked.RunCount.Should().Be(1);
        thrown.Linked.AbTestCount.Should().Be(1);
        thrown.Message.Should().Contain("Project 'p' cannot be deleted").And.Contain($"1 run ('{run.Id}')").And.Contain($"1 A/B test ('{test.Id}')");
        (await _kit.Projects.GetAsync("p", Ct)).Should().NotBeNull();
        (await AuditAsync(EvalKitOperationKinds.ProjectDelete)).Should().ContainSingle().Which.Should().Match<AuditEntry>(
            e => e.Outcome == AuditOutcome.Failed && e.ErrorType == typeof(ProjectInUseException).FullName);
    }

    // Three days of runs: p1 on Monday (priced model, judged) and Tuesday (unpriced model, judged), p2 and no project on
    // Wednesday, the first of April (priced model; semantic similarity embeds one text per answer: the answers equal
    // their references, and a text is embedded once).
    private async Task<(EvaluationRun A, EvaluationRun B, EvaluationRun C, EvaluationRun D)> ThreeDaysAsync()
    {
        var dataset = await SetUpAsync();
        await ProjectAsync("p1");
        await ProjectAsync("p2");
        var a = await EvaluateAsync(Priced, "p1");
        _clock.Advance(TimeSpan.FromDays(1));
        var b = await EvaluateAsync(Unpriced, "p1");
        _clock.Advance(TimeSpan.FromDays(1));
        var c = await _kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = Priced, DatasetId = dataset, ScorerNames = ["semantic_similarity"], ProjectId = "p2", Options = new EvaluationOptions { MaxConcurrency = 1 } },
            cancellationToken: Ct);
        var d = await EvaluateAsync(Priced, null, benchmark: null, dataset: dataset);
        return (a, b, c, d);
    }

    [Fact]
    public async Task Scorers_RecordTheirUsage_PricedFromTheRegistry_InTheStoredScores()
    {
        var (a, _, c, _) = await ThreeDaysAsync();

        var judged = (await _kit.Engine.GetResultsAsync(a.Id, Ct)).Results[0].GetScore("judge")!;
        judged.Usage.Should().ContainSingle().Which.Should().Be(
            new ScoreUsage { Kind = ScoreUsageKind.Judge, ModelId = JudgeModel, Calls = 1, InputTokens = 200, OutputTokens = 10, Cost = 0.00025m });
        var embedded = (await _kit.Engine.GetResultsAsync(c.Id, Ct)).Results[0].GetScore("semantic_similarity")!;
        embedded.Usage.Should().ContainSingle().Which.Should().Be(
            new ScoreUsage { Kind = ScoreUsageKind.Embedding, ModelId = EmbedModel, Calls = 1, InputTokens = 10, OutputTokens = 0, Cost = 0.000001m });
        _embeddings.Texts.Should().Be(10, "each answer equals its reference, and a text requested twice is embedded once");
        (await _kit.Engine.GetResultsAsync(c.Id, Ct)).Results.Should().OnlyContain(r => r.GetScore("semantic_similarity")!.Usage!.Single().Calls == 1);
    }

    [Fact]
    public async Task CostReport_ByProjectModelAndDay_SeparatesJudgeAndEmbeddingCosts_AndCountsUnknownCostsApart()
    {
        await ThreeDaysAsync();

        var report = await _kit.Costs.GetReportAsync(new CostQuery { GroupBy = CostGrouping.Project | CostGrouping.Model | CostGrouping.Period }, Ct);

        report.Lines.Select(l => (l.PeriodStart, l.ProjectId, l.ModelId)).Should().Equal(
            (new DateOnly(2026, 3, 30), "p1", Priced),
            (new DateOnly(2026, 3, 31), "p1", Unpriced),
            (new DateOnly(2026, 4, 1), null, Priced),
            (new DateOnly(2026, 4, 1), "p2", Priced));
        var (monday, tuesday, noProject, p2) = (report.Lines[0], report.Lines[1], report.Lines[2], report.Lines[3]);

        // 10 calls × (100 × 2 + 20 × 10) / 1M; 10 judge calls × (200 × 1 + 10 × 5) / 1M.
        monday.Evaluation.Should().Be(new UsageTotals { Calls = 10, InputTokens = 1000, OutputTokens = 200, Cost = 0.004m });
        monday.Judge.Should().Be(new UsageTotals { Calls = 10, InputTokens = 2000, OutputTokens = 100, Cost = 0.0025m });
        monday.Embedding.Should().Be(UsageTotals.Empty);
        monday.Cost.Should().Be(0.0065m);

        // The unpriced model's calls are unknown, never free; its judge calls are priced.
        tuesday.Evaluation.Should().Be(new UsageTotals { Calls = 10, InputTokens = 1000, OutputTokens = 200, Cost = 0, UnknownCostCalls = 10 });
        tuesday.Judge.Cost.Should().Be(0.0025m);
        tuesday.UnknownCostCalls.Should().Be(10);

        // 10 texts of 10 tokens × 0.1 / 1M.
        p2.Embedding.Should().Be(new UsageTotals { Calls = 10, InputTokens = 100, Cost = 0.00001m });
        p2.Judge.Should().Be(UsageTotals.Empty);
        noProject.Cost.Should().Be(0.004m);

        report.Total.Evaluation.Cost.Should().Be(0.012m);
        report.Total.Judge.Cost.Should().Be(0.005m);
        report.Total.Embedding.Cost.Should().Be(0.00001m);
        report.Total.UnknownCostCalls.Should().Be(10);
    }

    [Fact]
    public async Task CostReport_ByWeekAndMonth_AndFiltered_UsesUtcCalendarPeriods()
    {
        await ThreeDaysAsync();

        var weekly = await _kit.Costs.GetReportAsync(new CostQuery { GroupBy = CostGrouping.Period, Period = CostPeriod.Week }, Ct);
        var monthly = await _kit.Costs.GetReportAsync(new CostQuery { GroupBy = CostGrouping.Period, Period = CostPeriod.Month }, Ct);
        var byBenchmark = await _kit.Costs.GetReportAsync(new CostQuery { GroupBy = CostGrouping.Benchmark | CostGrouping.Model, ProjectId = "p1" }, Ct);
        var april = await _kit.Costs.GetReportAsync(new CostQuery { From = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), ModelId = Priced }, Ct);

        weekly.Lines.Should().ContainSingle().Which.PeriodStart.Should().Be(new DateOnly(2026, 3, 30), "Monday to Wednesday is one ISO week");
        monthly.Lines.Select(l => (l.PeriodStart, l.Cost)).Should().Equal((new DateOnly(2026, 3, 1), 0.009m), (new DateOnly(2026, 4, 1), 0.00801m));
        byBenchmark.Lines.Select(l => (l.BenchmarkId, l.ModelId, l.Cost)).Should().Equal(("bench", Priced, 0.0065m), ("bench", Unpriced, 0.0025m));
        april.Lines.Should().ContainSingle().Which.Evaluation.Should().Be(new UsageTotals { Calls = 20, InputTokens = 2000, OutputTokens = 400, Cost = 0.008m });
        april.Total.Embedding.Cost.Should().Be(0.00001m);
    }

    [Fact]
    public async Task Estimate_WithoutHistory_UsesPromptLengthAndTheOutputLimit_ThenTheModelsHistory()
    {
        await SetUpAsync(cases: 3);
        var request = new EvaluationRequest { ModelId = Priced, BenchmarkId = "bench", Options = new EvaluationOptions { MaxOutputTokens = 100 } };

        var before = await _kit.Costs.EstimateCostAsync(request, Ct);
        await EvaluateAsync(Priced, null);
        var after = await _kit.Costs.EstimateCostAsync(request, Ct);
        var unpriced = await _kit.Costs.EstimateCostAsync(request with { ModelId = Unpriced }, Ct);

        // "What is 0 + 0?" is 14 characters: 3.5 tokens; 3 calls × (3.5 × 2 + 100 × 10) / 1M.
        before.Should().BeEquivalentTo(new
        {
            ModelId = Priced, Calls = 3L, InputTokensPerCall = 3.5, OutputTokensPerCall = 100.0, Basis = CostEstimateBasis.PromptLength,
            EvaluationCost = 0.003021m, ScorerCost = 0m, ScorerCostFromHistory = false, TotalCost = 0.003021m, Currency = "USD",
        });

        // The completed run reported 100 and 20 tokens per call, and its judge cost 0.00025 per answer.
        after.Basis.Should().Be(CostEstimateBasis.History);
        after.HistoryRuns.Should().Be(1);
        (after.InputTokensPerCall, after.OutputTokensPerCall).Should().Be((100.0, 20.0));
        after.EvaluationCost.Should().Be(0.0012m);
        after.ScorerCost.Should().Be(0.00075m);
        after.TotalCost.Should().Be(0.00195m);
        unpriced.TotalCost.Should().BeNull("a model without pricing cannot be estimated");
    }

    [Fact]
    public async Task HardLimit_RefusesARunWhoseEstimateExceedsWhatIsLeft_StoringNothing()
    {
        await SetUpAsync(cases: 3);
        await ProjectAsync("p", new ProjectBudget { HardLimit = 0.001m });

        var act = async () => await EvaluateAsync(Priced, "p");

        // No history and no output limit: 3 × (3.5 × 2 + 512 × 10) / 1M = 0.015381.
        var thrown = (await act.Should().ThrowAsync<BudgetExceededException>()).Which;
        (thrown.ProjectId, thrown.Limit, thrown.Spent, thrown.Estimate).Should().Be(("p", 0.001m, 0m, 0.015381m));
        thrown.Message.Should().Contain("project 'p'").And.Contain("limit 0.001").And.Contain("spent 0").And.Contain("estimate 0.015381");
        (await _kit.Storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty("a refused run stores nothing");
        _alerts.Received.Should().ContainSingle().Which.Should().Match<BudgetAlert>(a => a.Kind == BudgetAlertKind.HardLimitReached && a.Estimate == 0.015381m);
        (await AuditAsync(EvalKitOperationKinds.EvaluationEvaluate)).Should().ContainSingle().Which.ErrorType.Should().Be(typeof(BudgetExceededException).FullName);
    }

    [Fact]
    public async Task HardLimit_StopsARunBeforeACallWouldExceedIt_KeepsWhatItStored_AndItResumesOnceRaised()
    {
        var dataset = await SetUpAsync(cases: 10);
        await ProjectAsync("p", new ProjectBudget { HardLimit = 3.5m });

        // Estimated at 0.01 per call (10 output tokens), each call costs 1.00: after three calls, the average says the fourth
        // would take spending to 4.00.
        var options = new EvaluationOptions { MaxConcurrency = 1, MaxOutputTokens = 10 };
        var act = async () => await EvaluateAsync(Pricey, "p", benchmark: null, dataset: dataset, options: options);

        var thrown = (await act.Should().ThrowAsync<BudgetExceededException>()).Which;
        (thrown.Limit, thrown.Spent, thrown.Estimate).Should().Be((3.5m, 3m, 1m));
        var run = (await _kit.Storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().ContainSingle().Subject;
        run.Status.Should().Be(RunStatus.Failed);
        run.Error.Should().Contain("The budget of project 'p' is exceeded");
        (await _kit.Storage.Results.CountAsync(run.Id, Ct)).Total.Should().Be(3, "what was stored is kept");
        (await _kit.Projects.GetBudgetStatusAsync("p", Ct)).Should().Match<BudgetStatus>(s => s.Spent == 3m && s.Remaining == 0.5m && !s.HardLimitReached);

        await _kit.Projects.SetBudgetAsync("p", new ProjectBudget { HardLimit = 20m }, Ct);
        var resumed = await _kit.Engine.ResumeAsync(run.Id, Ct);

        resumed.Status.Should().Be(RunStatus.Completed);
        (await _kit.Storage.Results.CountAsync(run.Id, Ct)).Total.Should().Be(10);
        (await _kit.Projects.GetBudgetStatusAsync("p", Ct)).Spent.Should().Be(10m);
        _alerts.Received.Should().ContainSingle().Which.Kind.Should().Be(BudgetAlertKind.HardLimitReached);
    }

    [Fact]
    public async Task SoftLimit_AlertsOncePerRun_AndAuditsIt()
    {
        var dataset = await SetUpAsync(cases: 5);
        await ProjectAsync("p", new ProjectBudget { SoftLimit = 2.5m });
        var options = new EvaluationOptions { MaxConcurrency = 1, MaxOutputTokens = 10 };

        await EvaluateAsync(Pricey, "p", benchmark: null, dataset: dataset, options: options);
        await EvaluateAsync(Pricey, "p", benchmark: null, dataset: dataset, options: options);

        // The first run crosses 2.5 with its third call; the second starts above it.
        _alerts.Received.Select(a => (a.Kind, a.Spent, a.Limit)).Should().Equal(
            (BudgetAlertKind.SoftLimitReached, 3m, 2.5m), (BudgetAlertKind.SoftLimitReached, 5m, 2.5m));
        (await AuditAsync(EvalKitOperationKinds.ProjectBudgetSoftLimit)).Should().HaveCount(2).And.OnlyContain(e => e.RecordId == "p" && e.RecordType == EvalKitRecordTypes.Project);
        (await _kit.Projects.GetBudgetStatusAsync("p", Ct)).Should().Match<BudgetStatus>(s => s.Spent == 10m && s.SoftLimitReached && s.Remaining == null);
    }

    [Fact]
    public async Task MonthlyBudget_StartsAgainOnTheFirstOfTheMonth()
    {
        var dataset = await SetUpAsync(cases: 3);
        await ProjectAsync("p", new ProjectBudget { HardLimit = 3.5m, Period = BudgetPeriod.Monthly });
        var options = new EvaluationOptions { MaxConcurrency = 1, MaxOutputTokens = 10 };
        Task<EvaluationRun> RunAsync() => EvaluateAsync(Pricey, "p", benchmark: null, dataset: dataset, options: options);
        await RunAsync();   // spends 3.00 in March; from then on, the history estimates 3.00 a run

        var inMarch = async () => await RunAsync();
        (await inMarch.Should().ThrowAsync<BudgetExceededException>()).Which.Should().Match<BudgetExceededException>(
            e => e.Spent == 3m && e.Estimate == 3m && e.PeriodStart == new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        _clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var status = await _kit.Projects.GetBudgetStatusAsync("p", Ct);
        var inApril = await RunAsync();

        status.Should().Match<BudgetStatus>(s => s.Spent == 0m && s.PeriodStart == new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)
            && s.PeriodEnd == new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        inApril.Status.Should().Be(RunStatus.Completed);
        (await _kit.Projects.GetBudgetStatusAsync("p", Ct)).Spent.Should().Be(3m);
    }

    [Fact]
    public async Task Summary_GivesRecentRunsTheBestModelPerBenchmarkAndSpendByDay()
    {
        var (a, b, _, _) = await ThreeDaysAsync();

        var summary = await _kit.Projects.GetSummaryAsync("p1", new ProjectSummaryOptions { RecentRuns = 1, SpendDays = 3 }, Ct);

        summary.Project.Id.Should().Be("p1");
        summary.RunCount.Should().Be(2);
        summary.RecentRuns.Select(r => r.Id).Should().Equal(b.Id);
        var leader = summary.BestModels.Should().ContainSingle().Subject;
        leader.Should().Match<BenchmarkLeader>(l => l.BenchmarkId == "bench" && l.ModelId == Priced && l.RunId == a.Id && l.Metric == "exact_match"
            && l.Mean == 1.0 && l.N == 10 && l.Contenders == 2 && !l.OverlapsRunnerUp);
        leader.ConfidenceInterval.Upper.Should().BeApproximately(1.0, 1e-12);
        leader.ConfidenceInterval.Lower.Should().BeInRange(0.6, 0.8);
        summary.SpendByDay.Should().Equal(
            new DailySpend(new DateOnly(2026, 3, 30), 0.0065m, 0, 20),
            new DailySpend(new DateOnly(2026, 3, 31), 0.0025m, 10, 20),
            new DailySpend(new DateOnly(2026, 4, 1), 0m, 0, 0));
        summary.TotalSpend.Cost.Should().Be(0.009m);
        summary.TotalSpend.UnknownCostCalls.Should().Be(10);
        summary.Budget.Should().Match<BudgetStatus>(s => s.Budget == null && s.Spent == 0.009m && s.PeriodStart == null);
    }

    [Fact]
    public async Task EncryptingAndRedactingDecorators_PassProjectsAndUsageThrough()
    {
        using var inner = _db.Open();
        var keys = new EncryptionKeyRing(new EncryptionKey("k1", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        await using var store = new RedactingEvalKitStorage(new EncryptingEvalKitStorage(inner, keys, ownsInner: false), ownsInner: true);
        var project = new Project { Id = "p", Name = "p", CreatedAt = Start, UpdatedAt = Start };
        await store.Projects.TryAddAsync(project, Ct);
        await store.Runs.TryAddAsync(TestData.Run("r") with { ProjectId = "p" }, Ct);
        var judged = new Score
        {
            Name = "judge", Value = 1, Explanation = "a reason that is stored encrypted",
            Usage = [new ScoreUsage { Kind = ScoreUsageKind.Judge, ModelId = JudgeModel, InputTokens = 10, OutputTokens = 2, Cost = 0.5m }],
        };
        await store.Results.AppendAsync([TestData.Result("r", 0) with { Scores = [judged], Cost = 0.25m, Cached = false }], Ct);

        (await inner.Projects.GetAsync("p", Ct)).Should().Be(project);
        (await store.Projects.ListRunsAsync("p", Ct).ToListAsync(Ct)).Should().ContainSingle();
        var row = (await store.Usage.AggregateAsync(new UsageQuery { ProjectId = "p" }, Ct).ToListAsync(Ct)).Should().ContainSingle().Subject;
        (row.Evaluation.Cost, row.Judge.Cost, row.Judge.Calls).Should().Be((0.25m, 0.5m, 1L));
        (await store.Results.ReadAsync("r", Ct).ToListAsync(Ct)).Single().Scores[0].Should().Be(judged, "the explanation decrypts and the usage is intact");
    }

    /// <summary>Collects budget alerts.</summary>
    private sealed class Alerts : IBudgetObserver
    {
        private readonly List<BudgetAlert> _received = [];

        public IReadOnlyList<BudgetAlert> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public ValueTask OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken = default)
        {
            lock (_received)
            {
                _received.Add(alert);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>An embedding model that reports ten input tokens per text.</summary>
    private sealed class FakeEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        private int _texts;

        public int Texts => Volatile.Read(ref _texts);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            Interlocked.Add(ref _texts, texts.Count);
            var embeddings = new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(new[] { t.Length, 1f })))
            {
                Usage = new UsageDetails { InputTokenCount = 10 * texts.Count },
            };
            return Task.FromResult(embeddings);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
