using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Scoring;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>Builders of test records.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static ModelDescriptor Model(string id = "local/test", int revision = 1) => new()
    {
        Id = id,
        DisplayName = "Test model",
        Provider = "local",
        Version = "2026-01",
        Capabilities = new HashSet<string> { "chat", "json" },
        Pricing = new ModelPricing { InputPerMillionTokens = 0.15m, OutputPerMillionTokens = 0.60m },
        ContextWindow = 128_000,
        Metadata = new Dictionary<string, string> { ["family"] = "test" },
        Revision = revision,
        UpdatedAt = Epoch,
    };

    public static EvalCase Case(int i, string? group = null) => new()
    {
        Id = $"case-{i}",
        Input = $"What is {i} + {i}?",
        References = [(i + i).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        Group = group,
        Metadata = new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static IEnumerable<EvalCase> Cases(int count, int groups = 0) =>
        Enumerable.Range(0, count).Select(i => Case(i, groups > 0 ? $"g{i % groups}" : null));

    public static DatasetImport Import(string name, IEnumerable<EvalCase> cases, string version = "1") =>
        new(name, version, cases.ToAsyncEnumerable(), Epoch, "test data");

    public static EvaluationRun Run(string id, string modelId = "local/test", string datasetId = "ds@1", DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        ModelId = modelId,
        ModelRevision = 1,
        DatasetId = datasetId,
        DatasetHash = "abc",
        Scorers = ["exact_match"],
        PrimaryMetric = "exact_match",
        Options = new EvaluationOptions { MaxConcurrency = 4, Repetitions = 2 },
        Status = RunStatus.Pending,
        TotalCount = 10,
        CreatedAt = createdAt ?? Epoch,
    };

    public static CaseResult Result(string runId, long ordinal, int repetition = 0, bool failed = false) => new()
    {
        RunId = runId,
        CaseOrdinal = ordinal,
        CaseId = $"case-{ordinal}",
        Repetition = repetition,
        Group = ordinal % 2 == 0 ? "even" : null,
        Output = failed ? null : $"answer {ordinal}",
        Scores = failed ? [] : [Score.FromPass("exact_match", ordinal % 3 == 0), new Score { Name = "bleu", Value = 12.5, Explanation = "why" }],
        Latency = failed ? null : TimeSpan.FromTicks(12_345 + ordinal),
        InputTokens = failed ? null : 10 + ordinal,
        OutputTokens = failed ? null : 3,
        Cost = failed ? null : 0.000123456789m,
        Error = failed ? new CaseError(ErrorCategory.RateLimited, "429: slow down") : null,
        RetryCount = failed ? 3 : 0,
        Cached = ordinal == 7,
        CompletedAt = Epoch.AddSeconds(ordinal),
    };

    public static MetricPoint Point(string modelId, string name, double value, DateTimeOffset at) => new()
    {
        ModelId = modelId,
        Name = name,
        Value = value,
        Timestamp = at,
        Tags = new Dictionary<string, string> { ["source"] = "test" },
    };
}
