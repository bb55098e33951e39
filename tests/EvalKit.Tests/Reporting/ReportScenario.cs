using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;
using EvalKit.Reporting;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using EvalKit.Tests.Experiments;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Reporting;

/// <summary>
/// An executed experiment (three models, one benchmark with groups and tags) whose data is hostile: case inputs, ids,
/// groups, tags, answers, labels and the title carry HTML, script, Markdown and XML-breaking text.
/// </summary>
internal sealed class ReportScenario : IAsyncDisposable
{
    public const int Cases = 24;
    public const string ScriptInjection = "</script><img src=x onerror=alert(1)>";
    public const string HostileId = "<img src=x onerror=alert(2)>";
    public const string HostileGroup = "<svg onload=alert(3)>";
    public const string HostileLabel = "</title><script>alert(4)</script>|**bold**";
    public const string HostileTitle = "Report <script>alert(5)</script> & \"quotes\" | `code`";
    public const string HostileAnswer = "</details><script>alert('answer')</script>\u0001\u001b[31m, \"quoted\"\r\nnext line | `tick` **bold**";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private ReportScenario(ExperimentKit kit) => Kit = kit;

    public ExperimentKit Kit { get; }

    public Experiment Experiment { get; private set; } = null!;

    public IExperimentService Experiments => Kit.Host.Experiments;

    public static IEnumerable<EvalCase> HostileCases() => Enumerable.Range(0, Cases).Select(i => new EvalCase
    {
        Id = i == 3 ? HostileId : $"case-{i}",
        Input = i % 4 == 1 ? $"What is {i} + {i}? {ScriptInjection}" : $"What is {i} + {i}?",
        References = [(2 * i).ToString(Inv)],
        Group = i % 3 == 0 ? HostileGroup : $"g{i % 3}",
        Metadata = new Dictionary<string, string> { ["topic"] = i % 2 == 0 ? "even" : "odd & <odd>" },
    });

    public static async Task<ReportScenario> CreateAsync(IEvalKitStorage? storage = null)
    {
        var scenario = new ReportScenario(new ExperimentKit(storage));
        var kit = scenario.Kit;
        var info = await kit.Host.Datasets.ImportAsync(new Dataset("arith", "1", HostileCases()), ExperimentKit.Ct);
        await kit.Host.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "arith", DatasetId = info.Id, Scorers = ["exact_match", "closeness"], PrimaryMetric = "exact_match" }, ExperimentKit.Ct);
        await kit.AddModelAsync(ExperimentKit.A, ExperimentKit.Correct(i => i % 6 != 0, 120, 12), new ModelPricing { InputPerMillionTokens = 5, OutputPerMillionTokens = 15 });
        await kit.AddModelAsync(ExperimentKit.B, ExperimentKit.Correct(i => i % 3 != 0, 100, 10), new ModelPricing { InputPerMillionTokens = 0.5m, OutputPerMillionTokens = 1 });
        await kit.AddModelAsync(ExperimentKit.C, new FakeChatClient((messages, _, _) =>
        {
            var i = ExperimentKit.CaseNumber(messages.Last(m => m.Role == ChatRole.User).Text);
            if (i == 5)
            {
                throw new ModelCallException(ErrorCategory.ContentFilter, "refused: " + ScriptInjection);
            }

            var text = i % 4 == 1 ? $"{2 * i} {HostileAnswer}" : (2 * i).ToString(Inv);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 80, OutputTokenCount = 8 } });
        }), new ModelPricing { InputPerMillionTokens = 2, OutputPerMillionTokens = 4 });
        scenario.Experiment = await kit.Host.Experiments.CreateAsync(new ExperimentDefinition
        {
            Name = "hostile study",
            Description = "Description with <b>markup</b>",
            Hypothesis = "B is as good as A <i>and cheaper</i>",
            BenchmarkIds = ["arith"],
            ModelIds = [ExperimentKit.A, ExperimentKit.B, ExperimentKit.C],
            Options = new EvaluationOptions { MaxConcurrency = 4, MaxRetries = 0 },
        }, ExperimentKit.Ct);
        await kit.Host.Experiments.ExecuteAsync(scenario.Experiment.Id, cancellationToken: ExperimentKit.Ct);
        return scenario;
    }

    public ReportRequest Request(bool hostileLabels = true, bool gate = true) => new()
    {
        ExperimentId = Experiment.Id,
        Title = HostileTitle,
        Labels = hostileLabels ? new Dictionary<string, string> { [Experiment.Variants[2].RunId] = HostileLabel } : null,
        Gate = gate ? new RegressionGate { BaselineRunId = Experiment.Variants[0].RunId, CandidateRunId = Experiment.Variants[1].RunId, MinimumScore = 0.75 } : null,
    };

    public Task<EvaluationReport> ReportAsync(bool hostileLabels = true, bool gate = true) => Experiments.BuildReportAsync(Request(hostileLabels, gate), ExperimentKit.Ct);

    public async Task<byte[]> ExportAsync(ReportFormat format, ReportRequest? request = null)
    {
        using var stream = new MemoryStream();
        await Experiments.ExportAsync(request ?? Request(), format, stream, ExperimentKit.Ct);
        return stream.ToArray();
    }

    public ValueTask DisposeAsync() => Kit.DisposeAsync();
}
