using EvalKit.Evaluation;
using EvalKit.Scoring;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>The body of <c>POST /evaluations</c>: a model over a benchmark, or over a dataset with scorers.</summary>
internal sealed class StartEvaluationBody
{
    /// <summary>Gets the registered model id.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the benchmark id; the dataset, prompt and scorers then come from the benchmark.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the dataset id, when no benchmark is named.</summary>
    public string? DatasetId { get; init; }

    /// <summary>Gets the scorer names, when no benchmark is named.</summary>
    public IReadOnlyList<string?>? Scorers { get; init; }

    /// <summary>Gets the prompt template, when no benchmark is named.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Gets the system prompt, when no benchmark is named.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets the options; the benchmark's defaults, then EvalKit's, when left out.</summary>
    public OptionsBody? Options { get; init; }
}

/// <summary>An evaluation run and its progress, as the API shows it.</summary>
internal sealed record EvaluationView(
    string RunId,
    RunStatus Status,
    string ModelId,
    int ModelRevision,
    string? BenchmarkId,
    string DatasetId,
    IReadOnlyList<string> Scorers,
    string? PrimaryMetric,
    long Done,
    long Failed,
    long Total,
    double Fraction,
    double? RatePerSecond,
    double? EstimatedRemainingSeconds,
    OptionsView Options,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double ElapsedSeconds,
    string? Error,
    SummaryView? Summary)
{
    /// <summary>Shows a run with its progress.</summary>
    /// <param name="run">The stored run, read after <paramref name="status"/>: its status is the newer one.</param>
    /// <param name="status">Its progress.</param>
    /// <returns>The view.</returns>
    public static EvaluationView From(EvaluationRun run, EvaluationStatus status) => new(
        run.Id,
        run.Status,
        run.ModelId,
        run.ModelRevision,
        run.BenchmarkId,
        run.DatasetId,
        run.Scorers,
        run.PrimaryMetric,
        status.Done,
        status.Failed,
        status.Total,
        status.Fraction,
        status.Rate,
        status.EstimatedRemaining?.TotalSeconds,
        OptionsView.From(run.Options)!,
        run.CreatedAt,
        run.StartedAt,
        run.CompletedAt,
        run.Elapsed.TotalSeconds,
        run.Error,
        SummaryView.From(run.Summary));
}

/// <summary>A run's summary, as the API shows it (durations in milliseconds or seconds).</summary>
internal sealed record SummaryView(
    IReadOnlyDictionary<string, MetricSummary> Metrics,
    LatencyView? LatencyMs,
    long Total,
    long Succeeded,
    long Failed,
    long Retries,
    double SuccessRate,
    double ErrorRate,
    double RetryRate,
    long? InputTokens,
    long? OutputTokens,
    decimal? TotalCost,
    decimal? CostPerRequest,
    double? DurationSeconds,
    double? Throughput)
{
    /// <summary>Shows a summary.</summary>
    /// <param name="summary">The summary.</param>
    /// <returns>The view, or <see langword="null"/>.</returns>
    public static SummaryView? From(EvaluationSummary? summary) => summary is null ? null : new(
        new SortedDictionary<string, MetricSummary>(summary.Metrics.ToDictionary(), StringComparer.Ordinal),
        LatencyView.From(summary.Latency),
        summary.Total,
        summary.Succeeded,
        summary.Failed,
        summary.Retries,
        summary.SuccessRate,
        summary.ErrorRate,
        summary.RetryRate,
        summary.InputTokens,
        summary.OutputTokens,
        summary.TotalCost,
        summary.CostPerRequest,
        summary.Duration?.TotalSeconds,
        summary.Throughput);
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencyView(int Count, double Mean, double P50, double P95, double P99)
{
    /// <summary>Shows a latency summary.</summary>
    /// <param name="latency">The summary.</param>
    /// <returns>The view, or <see langword="null"/>.</returns>
    public static LatencyView? From(LatencySummary? latency) => latency is null ? null : new(
        latency.Count, latency.Mean.TotalMilliseconds, latency.P50.TotalMilliseconds, latency.P95.TotalMilliseconds, latency.P99.TotalMilliseconds);
}

/// <summary>One (case, repetition) result, as the API shows it.</summary>
internal sealed record CaseResultView(
    long CaseOrdinal,
    string CaseId,
    int Repetition,
    string? Group,
    string? Output,
    IReadOnlyList<Score> Scores,
    double? LatencyMs,
    long? InputTokens,
    long? OutputTokens,
    decimal? Cost,
    CaseError? Error,
    int RetryCount,
    bool Cached,
    DateTimeOffset CompletedAt)
{
    /// <summary>Shows a result.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The view.</returns>
    public static CaseResultView From(CaseResult result) => new(
        result.CaseOrdinal,
        result.CaseId,
        result.Repetition,
        result.Group,
        result.Output,
        result.Scores,
        result.Latency?.TotalMilliseconds,
        result.InputTokens,
        result.OutputTokens,
        result.Cost,
        result.Error,
        result.RetryCount,
        result.Cached,
        result.CompletedAt);
}

/// <summary>The answer of <c>POST /evaluations/{id}/cancel</c>.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Cancelled">Always <see langword="true"/> (a run that is not running is a 409).</param>
internal sealed record CancelView(string RunId, bool Cancelled);
