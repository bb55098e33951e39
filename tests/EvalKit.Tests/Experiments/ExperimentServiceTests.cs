using System.Collections.Concurrent;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Statistics;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static EvalKit.Tests.Experiments.ExperimentKit;

namespace EvalKit.Tests.Experiments;

public sealed class ExperimentServiceTests : IAsyncDisposable
{
    private readonly ExperimentKit _kit = new();

    private IExperimentService Experiments => _kit.Host.Experiments;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Create_Matrix_FixesOneVariantPerCombinationWithItsRunIdAndOptions()
    {
        await _kit.BenchmarkAsync("arith");
        await _kit.BenchmarkAsync("more");
        await _kit.AddModelAsync(A, Correct(_ => true));
        await _kit.AddModelAsync(B, Correct(_ => true));

        var experiment = await Experiments.CreateAsync(new ExperimentDefinition
        {
            Name = "matrix",
            BenchmarkIds = ["arith", "more"],
            ModelIds = [A, B],
            PromptVariants = [new PromptVariant { Name = "terse", PromptTemplate = "Q: {{input}}" }, new PromptVariant { Name = "plain" }],
            OptionsVariants = [new OptionsVariant { Name = "cold", Temperature = 0 }, new OptionsVariant { Name = "warm", Temperature = 0.8f, Repetitions = 2 }],
            Options = new EvaluationOptions { MaxConcurrency = 3, Seed = 11 },
        }, Ct);

        experiment.Variants.Should().HaveCount(2 * 2 * 2 * 2);
        experiment.Variants.Select(v => v.Index).Should().Equal(Enumerable.Range(0, 16));
        experiment.Variants.Select(v => v.RunId).Should().OnlyHaveUniqueItems();
        experiment.Variants.Select(v => v.Label).Should().OnlyHaveUniqueItems();
        experiment.Variants[0].Label.Should().Be($"{A} · terse · cold @ arith");
        experiment.Variants[^1].Label.Should().Be($"{B} · plain · warm @ more");
        var warm = experiment.Variants.Single(v => v.ModelId == B && v.PromptVariant == "terse" && v.OptionsVariant == "warm" && v.BenchmarkId == "arith");
        warm.Options.Should().BeEquivalentTo(new EvaluationOptions { MaxConcurrency = 3, Seed = 11, Temperature = 0.8f, Repetitions = 2 });
        experiment.Variants.Where(v => v.OptionsVariant == "cold").Should().OnlyContain(v => v.Options.Temperature == 0 && v.Options.Repetitions == 1);
        experiment.Status.Should().Be(ExperimentStatus.Created);
        experiment.Definition.Id.Should().Be(experiment.Id);
        experiment.Definition.PrimaryMetric.Should().Be("exact_match");
        (await Experiments.GetAsync(experiment.Id, Ct)).Should().Be(experiment);
        (await Experiments.ListAsync(Ct).ToListAsync(Ct)).Should().ContainSingle().Which.Id.Should().Be(experiment.Id);
    }

    [Fact]
    public async Task Create_InvalidDefinition_ListsEveryProblem()
    {
        var act = async () => await Experiments.CreateAsync(new ExperimentDefinition
        {
            Name = " ",
            BenchmarkIds = [],
            ModelIds = [A, A],
            OptionsVariants = [new OptionsVariant { Name = "x", Temperature = float.NaN, Repetitions = 0 }, new OptionsVariant { Name = "x" }],
            Alpha = 1.5,
            MaxConcurrentRuns = 0,
        }, Ct);

        var message = (await act.Should().ThrowAsync<ArgumentException>()).Which.Message;
        message.Should().Contain("no name").And.Contain("names no benchmark").And.Contain("repeated: 'local/a'")
            .And.Contain("temperature").And.Contain("repetitions must be at least 1").And.Contain("options variant names must be distinct")
            .And.Contain("Alpha must be in (0, 1)").And.Contain("MaxConcurrentRuns must be at least 1");
    }

    [Fact]
    public async Task Create_MissingModelsAndBenchmarks_NamesEveryOne()
    {
        await _kit.AddModelAsync(A, Correct(_ => true));

        var act = async () => await Experiments.CreateAsync(new ExperimentDefinition { Name = "x", BenchmarkIds = ["nope"], ModelIds = [A, "local/ghost"] }, Ct);

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Contain("model 'local/ghost'").And.Contain("benchmark 'nope'").And.NotContain("model 'local/a'");
    }

    [Fact]
    public async Task Create_PrimaryMetricNotScoredByTheBenchmark_Throws()
    {
        await _kit.BenchmarkAsync();
        await _kit.AddModelAsync(A, Correct(_ => true));

        var act = async () => await Experiments.CreateAsync(new ExperimentDefinition { Name = "x", BenchmarkIds = ["arith"], ModelIds = [A], PrimaryMetric = "bleu" }, Ct);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'bleu' is not among the scorers of benchmark(s) 'arith'");
    }

    [Fact]
    public async Task Execute_RunsEveryVariantWithItsPromptAndOptions_RecordsRunsAndComparesThem()
    {
        const int n = 40;
        await _kit.BenchmarkAsync(cases: n, scorers: ["closeness", "exact_match"], promptTemplate: "{{input}}");
        var prompts = new ConcurrentBag<(string Model, string System, string User, float? Temperature)>();
        FakeChatClient Recording(string model, Func<int, bool> correct) => new((messages, options, _) =>
        {
            var user = messages.Last(m => m.Role == ChatRole.User).Text;
            prompts.Add((model, messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty, user, options?.Temperature));
            var i = CaseNumber(user);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, (correct(i) ? 2 * i : (2 * i) + 1).ToString(Inv))));
        });
        await _kit.AddModelAsync(A, Recording(A, i => i % 10 != 0));
        await _kit.AddModelAsync(B, Recording(B, i => i % 2 == 0));
        var experiment = await Experiments.CreateAsync(new ExperimentDefinition
        {
            Name = "prompts",
            Hypothesis = "the terse prompt is as good",
            BenchmarkIds = ["arith"],
            ModelIds = [A, B],
            PromptVariants = [new PromptVariant { Name = "default" }, new PromptVariant { Name = "terse", PromptTemplate = "Terse. {{input}}", SystemPrompt = "Numbers only." }],
            OptionsVariants = [new OptionsVariant { Name = "t=0.3", Temperature = 0.3f }],
            PrimaryMetric = "exact_match",
        }, Ct);

        var results = await Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);

        results.Experiment.Status.Should().Be(ExperimentStatus.Completed);
        (await Experiments.GetAsync(experiment.Id, Ct))!.Status.Should().Be(ExperimentStatus.Completed);
        results.Runs.Select(r => r.VariantIndex).Should().Equal(0, 1, 2, 3);
        results.Runs.Should().OnlyContain(r => r.Status == RunStatus.Completed && r.CompletedAt != null && r.Error == null);
        results.Runs.Select(r => r.RunId).Should().Equal(experiment.Variants.Select(v => v.RunId));
        (await Experiments.ListRunsAsync(experiment.Id, Ct).ToListAsync(Ct)).Should().Equal(results.Runs);

        prompts.Should().HaveCount(4 * n).And.OnlyContain(p => p.Temperature == 0.3f);
        prompts.Count(p => p.User.StartsWith("Terse. What is", StringComparison.Ordinal) && p.System == "Numbers only.").Should().Be(2 * n);
        prompts.Count(p => p.User.StartsWith("What is", StringComparison.Ordinal) && p.System.Length == 0).Should().Be(2 * n);

        // A run whose prompt the variant changed records the primary metric the experiment named, not its first scorer.
        var terse = experiment.Variants.First(v => v.PromptVariant == "terse");
        var terseRun = (await _kit.Host.Storage.Runs.GetAsync(terse.RunId, Ct))!;
        terseRun.PrimaryMetric.Should().Be("exact_match");
        terseRun.PromptTemplate.Should().Be("Terse. {{input}}");
        terseRun.Options.Temperature.Should().Be(0.3f);

        var comparison = results.Comparisons.Should().ContainSingle().Subject;
        comparison.PrimaryMetric.Should().Be("exact_match");
        comparison.Runs.Select(r => r.Label).Should().Equal(experiment.Variants.Select(v => v.Label));
        comparison.Metrics.Select(m => m.Metric).Should().Equal("exact_match", "closeness");
        comparison.Primary.Pairs.Should().HaveCount(6);
        var (b, c) = (Enumerable.Range(0, n).Count(i => i % 10 != 0 && i % 2 != 0), Enumerable.Range(0, n).Count(i => i % 10 == 0 && i % 2 == 0));
        var pair = comparison.Primary.GetPair(experiment.Variants[0].Label, experiment.Variants[2].Label);
        pair.TestName.Should().Be("McNemar exact");
        pair.PValue.Should().Be(HypothesisTests.McNemar(b, c).PValue);
        results.ToText().Should().Contain("Experiment 'prompts'").And.Contain(comparison.Verdict);
    }

    [Fact]
    public async Task Execute_AgainAfterCancellation_SkipsFinishedRunsAndResumesTheOthers()
    {
        const int n = 30;
        await _kit.BenchmarkAsync(cases: n);
        var aClient = Correct(i => i % 3 != 0);
        var block = true;
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bClient = new FakeChatClient(async (messages, _, ct) =>
        {
            var i = CaseNumber(messages.Last().Text);
            if (Volatile.Read(ref block) && i >= 10)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, (2 * i).ToString(Inv)));
        });
        await _kit.AddModelAsync(A, aClient);
        await _kit.AddModelAsync(B, bClient);
        var experiment = await Experiments.CreateAsync(new ExperimentDefinition
        {
            Name = "resume", BenchmarkIds = ["arith"], ModelIds = [A, B], MaxConcurrentRuns = 1, Options = new EvaluationOptions { MaxConcurrency = 1 },
        }, Ct);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = Experiments.ExecuteAsync(experiment.Id, cancellationToken: cancel.Token);
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OperationCanceledException>();

        (await Experiments.GetAsync(experiment.Id, Ct))!.Status.Should().Be(ExperimentStatus.Cancelled);
        var records = await Experiments.ListRunsAsync(experiment.Id, Ct).ToListAsync(Ct);
        records.Select(r => r.Status).Should().Equal(RunStatus.Completed, RunStatus.Cancelled);
        aClient.Calls.Should().Be(n);
        var storedB = (await _kit.Host.Storage.Results.CountAsync(experiment.Variants[1].RunId, Ct)).Total;
        storedB.Should().Be(10);
        var bCallsBefore = bClient.Calls;

        Volatile.Write(ref block, false);
        var results = await Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);

        aClient.Calls.Should().Be(n, "the completed run is skipped");
        (bClient.Calls - bCallsBefore).Should().Be(n - 10, "only the missing cases are evaluated");
        results.Runs.Should().OnlyContain(r => r.Status == RunStatus.Completed);
        results.Runs[1].StartedAt.Should().Be(records[1].StartedAt, "the record of a resumed run keeps its first start");
        results.Experiment.Status.Should().Be(ExperimentStatus.Completed);
        (await _kit.Host.Storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Should().HaveCount(2, "no run is created twice");
        results.Comparisons.Should().ContainSingle().Which.Primary.Models.Should().OnlyContain(m => m.N == n);
    }

    [Fact]
    public async Task Execute_RunsAtMostMaxConcurrentRunsAtOnce()
    {
        await _kit.BenchmarkAsync(cases: 6);
        var inFlight = 0;
        var peak = 0;
        var twoInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeChatClient Tracking() => new(async (messages, _, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            if (now >= 2)
            {
                twoInFlight.TrySetResult();
            }

            // Every call waits until two runs overlap once, so that the limit is reached, not just respected.
            await twoInFlight.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Interlocked.Decrement(ref inFlight);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, (2 * CaseNumber(messages.Last().Text)).ToString(Inv)));
        });
        foreach (var model in new[] { A, B, C, "local/d" })
        {
            await _kit.AddModelAsync(model, Tracking());
        }

        var experiment = await Experiments.CreateAsync(new ExperimentDefinition
        {
            Name = "limit", BenchmarkIds = ["arith"], ModelIds = [A, B, C, "local/d"], MaxConcurrentRuns = 2, Options = new EvaluationOptions { MaxConcurrency = 1 },
        }, Ct);

        var results = await Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);

        peak.Should().Be(2);
        results.Runs.Should().HaveCount(4).And.OnlyContain(r => r.Status == RunStatus.Completed);
    }

    [Fact]
    public async Task Execute_AVariantFails_TheOthersComplete_AndExecutingAgainFinishes()
    {
        await _kit.BenchmarkAsync(cases: 12);
        await _kit.AddModelAsync(A, Correct(_ => true));
        await _kit.Host.Registry.RegisterAsync(new EvalKit.Registry.ModelDescriptor { Id = B }, Ct);   // registered, but no client serves it yet
        var experiment = await Experiments.CreateAsync(new ExperimentDefinition { Name = "fails", BenchmarkIds = ["arith"], ModelIds = [A, B] }, Ct);

        var act = () => Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);

        var error = (await act.Should().ThrowAsync<EvalKitException>()).Which;
        error.Message.Should().Contain("1 of 2 variants").And.Contain(B).And.Contain(experiment.Variants[1].RunId).And.Contain("Execute the experiment again");
        error.InnerException.Should().BeOfType<NotFoundException>();
        var stored = (await Experiments.GetAsync(experiment.Id, Ct))!;
        stored.Status.Should().Be(ExperimentStatus.Failed);
        stored.Error.Should().Contain(B);
        var records = await Experiments.ListRunsAsync(experiment.Id, Ct).ToListAsync(Ct);
        records[0].Status.Should().Be(RunStatus.Completed);
        records[1].Status.Should().Be(RunStatus.Failed);
        records[1].Error.Should().Contain("No IChatClient serves model");

        _kit.Clients.Add(B, Correct(i => i % 2 == 0));
        var results = await Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);

        results.Runs.Should().OnlyContain(r => r.Status == RunStatus.Completed && r.Error == null);
        results.Experiment.Status.Should().Be(ExperimentStatus.Completed);
        results.Experiment.Error.Should().BeNull();
    }

    [Fact]
    public async Task Execute_ARunCancelledThroughTheEngine_FailsTheExperimentNamingIt_AndExecutingAgainResumes()
    {
        await _kit.BenchmarkAsync(cases: 10);
        var block = true;
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _kit.AddModelAsync(A, Correct(_ => true));
        await _kit.AddModelAsync(B, new FakeChatClient(async (messages, _, ct) =>
        {
            var i = CaseNumber(messages.Last().Text);
            if (Volatile.Read(ref block) && i >= 5)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, (2 * i).ToString(Inv)));
        }));
        var experiment = await Experiments.CreateAsync(new ExperimentDefinition { Name = "x", BenchmarkIds = ["arith"], ModelIds = [A, B], Options = new EvaluationOptions { MaxConcurrency = 1 } }, Ct);

        var execution = Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        (await _kit.Host.Engine.CancelAsync(experiment.Variants[1].RunId, Ct)).Should().BeTrue();

        (await FluentActions.Awaiting(() => execution).Should().ThrowAsync<EvalKitException>()).Which.Message.Should().Contain($"{B} (run {experiment.Variants[1].RunId}): cancelled");
        (await Experiments.ListRunsAsync(experiment.Id, Ct).ToListAsync(Ct)).Select(r => r.Status).Should().Equal(RunStatus.Completed, RunStatus.Cancelled);
        (await Experiments.GetAsync(experiment.Id, Ct))!.Status.Should().Be(ExperimentStatus.Failed);

        Volatile.Write(ref block, false);
        (await Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct)).Runs.Should().OnlyContain(r => r.Status == RunStatus.Completed);
    }

    [Fact]
    public async Task Templates_SaveThenCreateWithOverrides_KeepsTheTemplateAndRecordsIt()
    {
        await _kit.BenchmarkAsync();
        await _kit.AddModelAsync(A, Correct(_ => true));
        await _kit.AddModelAsync(B, Correct(_ => true));
        var definition = new ExperimentDefinition
        {
            Id = "ignored", Name = "nightly", Description = "every night", BenchmarkIds = ["arith"], ModelIds = [A],
            OptionsVariants = [new OptionsVariant { Name = "t=0", Temperature = 0 }], Alpha = 0.01,
        };

        var template = await Experiments.SaveTemplateAsync("nightly", definition, Ct);
        var experiment = await Experiments.CreateFromTemplateAsync("nightly", d => d with { Name = "nightly 2026-11-29", ModelIds = [A, B] }, Ct);
        var plain = await Experiments.CreateFromTemplateAsync("nightly", cancellationToken: Ct);

        template.Definition.Id.Should().BeNull("each experiment gets its own id");
        (await Experiments.GetTemplateAsync("nightly", Ct)).Should().Be(template);
        (await Experiments.ListTemplatesAsync(Ct).ToListAsync(Ct)).Should().ContainSingle();
        experiment.TemplateId.Should().Be("nightly");
        experiment.Definition.Name.Should().Be("nightly 2026-11-29");
        experiment.Definition.Alpha.Should().Be(0.01);
        experiment.Variants.Select(v => v.Label).Should().Equal($"{A} · t=0", $"{B} · t=0");
        plain.Definition.Name.Should().Be("nightly");
        plain.Variants.Should().ContainSingle();
        plain.Id.Should().NotBe(experiment.Id);

        var resaved = await Experiments.SaveTemplateAsync("nightly", definition with { ModelIds = [B] }, Ct);
        resaved.CreatedAt.Should().Be(template.CreatedAt);
        resaved.Definition.ModelIds.Should().Equal(B);
    }

    [Fact]
    public async Task Templates_MissingTemplateInvalidDefinitionOrNullOverride_Throw()
    {
        await _kit.BenchmarkAsync();
        await _kit.AddModelAsync(A, Correct(_ => true));
        await Experiments.SaveTemplateAsync("t", new ExperimentDefinition { Name = "t", BenchmarkIds = ["arith"], ModelIds = [A] }, Ct);

        await FluentActions.Awaiting(() => Experiments.CreateFromTemplateAsync("missing", cancellationToken: Ct).AsTask())
            .Should().ThrowAsync<NotFoundException>().WithMessage("*experiment template*missing*");
        await FluentActions.Awaiting(() => Experiments.CreateFromTemplateAsync("t", _ => null!, Ct).AsTask())
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("*returned null*");
        await FluentActions.Awaiting(() => Experiments.SaveTemplateAsync("bad", new ExperimentDefinition { Name = "", BenchmarkIds = ["arith"], ModelIds = [A] }, Ct).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*template 'bad'*no name*");
    }

    [Fact]
    public async Task Execute_UnknownExperiment_ThrowsNotFound()
    {
        await FluentActions.Awaiting(() => Experiments.ExecuteAsync("nope", cancellationToken: Ct)).Should().ThrowAsync<NotFoundException>().WithMessage("*experiment*nope*");
    }

    [Fact]
    public void Services_AreRegisteredByAddEvalKitAndExposedByTheHost()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();
        services.AddEvalKit();
        using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(IExperimentService)).Should().Be(1);
        var first = provider.GetRequiredService<IExperimentService>();
        first.Should().BeOfType<ExperimentService>();
        provider.GetRequiredService<IExperimentService>().Should().BeSameAs(first);
        _kit.Host.Experiments.Should().BeOfType<ExperimentService>();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
