using System.Globalization;
using System.Text.RegularExpressions;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Experiments;

/// <summary>An EvalKit host with scripted models over the arithmetic cases of <see cref="TestData.Cases"/> ("What is i + i?").</summary>
internal sealed partial class ExperimentKit : IAsyncDisposable
{
    public const string A = "local/a";
    public const string B = "local/b";
    public const string C = "local/c";
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // 1 / (1 + |answer − reference|): a continuous score.
    public static readonly DelegateScorer Closeness = new("closeness", ctx =>
        double.TryParse(ctx.Output.Trim(), NumberStyles.Float, Inv, out var v) ? 1.0 / (1 + Math.Abs(v - double.Parse(ctx.References[0], Inv))) : 0);

    public ExperimentKit(IEvalKitStorage? storage = null)
    {
        Host = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, storage: storage, clients: Clients, scorers: [Closeness]);
    }

    public ModelClientMap Clients { get; } = new();

    public EvalKitHost Host { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The case number i of a prompt that contains "What is i + i?".</summary>
    public static int CaseNumber(string prompt) => int.Parse(CaseNumberPattern().Match(prompt).Groups[1].Value, Inv);

    /// <summary>A model that answers case i correctly (2i) when <paramref name="correct"/> says so, else 2i + 1.</summary>
    public static FakeChatClient Correct(Func<int, bool> correct, long inputTokens = 100, long outputTokens = 10) =>
        Answering(i => correct(i) ? 0 : 1, inputTokens, outputTokens);

    /// <summary>A model that answers case i with 2i + offset(i).</summary>
    public static FakeChatClient Answering(Func<int, double> offset, long inputTokens = 100, long outputTokens = 10) =>
        FakeChatClient.Answering(p => { var i = CaseNumber(p); return ((2 * i) + offset(i)).ToString(Inv); }, inputTokens, outputTokens);

    public async Task<string> BenchmarkAsync(string id = "arith", int cases = 40, IReadOnlyList<string>? scorers = null, string? promptTemplate = null, int groups = 0)
    {
        var info = await Host.Datasets.ImportAsync(new Dataset(id, "1", TestData.Cases(cases, groups)), Ct);
        await Host.Datasets.SaveBenchmarkAsync(
            new Benchmark { Id = id, DatasetId = info.Id, Scorers = scorers ?? [ExactMatchScorer.DefaultName], PromptTemplate = promptTemplate ?? "{{input}}" }, Ct);
        return id;
    }

    public async Task AddModelAsync(string id, IChatClient client, ModelPricing? pricing = null)
    {
        Clients.Add(id, client);
        await Host.Registry.RegisterAsync(new ModelDescriptor { Id = id, Pricing = pricing ?? new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 } }, Ct);
    }

    /// <summary>Evaluates a model on a benchmark directly through the engine and returns the completed run.</summary>
    public async Task<EvaluationRun> RunAsync(string modelId, string benchmarkId, EvaluationOptions? options = null) =>
        await Host.Engine.EvaluateAsync(new EvaluationRequest { ModelId = modelId, BenchmarkId = benchmarkId, Options = options }, cancellationToken: Ct);

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    [GeneratedRegex(@"What is (\d+) \+")]
    private static partial Regex CaseNumberPattern();
}
