using System.Text.Json.Serialization;
using EvalKit.Samples.WebApi.Hosting;
using EvalKit.Selection;
using EvalKit.Statistics;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>The body of <c>POST /selection/recommend</c> and <c>POST /selection/explain</c>: what the caller needs from a model.</summary>
internal sealed class SelectionBody
{
    /// <summary>Gets the capabilities every selected model must have.</summary>
    public IReadOnlyList<string>? RequiredCapabilities { get; init; }

    /// <summary>Gets the models to choose among; every registered model when left out.</summary>
    public IReadOnlyList<string>? CandidateModelIds { get; init; }

    /// <summary>Gets whether deprecated models may be chosen.</summary>
    public bool? AllowDeprecated { get; init; }

    /// <summary>Gets the benchmark whose latest completed runs give each model's quality.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the quality metric; the runs' primary metric when left out.</summary>
    public string? QualityMetric { get; init; }

    /// <summary>Gets the range of the quality metric; [0, 1] when left out.</summary>
    public RangeBody? QualityRange { get; init; }

    /// <summary>Gets the minimum quality.</summary>
    public double? MinQuality { get; init; }

    /// <summary>Gets the minimum success rate, in [0, 1].</summary>
    public double? MinSuccessRate { get; init; }

    /// <summary>Gets the maximum cost of 1,000 requests.</summary>
    [JsonPropertyName("max_cost_per_1k_requests")]
    public decimal? MaxCostPer1kRequests { get; init; }

    /// <summary>Gets the maximum cost of one million tokens.</summary>
    public decimal? MaxCostPerMillionTokens { get; init; }

    /// <summary>Gets the maximum 95th percentile of the latency, in milliseconds.</summary>
    public double? MaxP95LatencyMs { get; init; }

    /// <summary>Gets whether constraints test the pessimistic end of each interval (default <see langword="true"/>).</summary>
    public bool? ConservativeConstraints { get; init; }

    /// <summary>Gets the weights of the criteria.</summary>
    public WeightsBody? Weights { get; init; }

    /// <summary>Gets how far back runtime metrics count, in hours; 24 when left out.</summary>
    public double? RuntimeWindowHours { get; init; }

    /// <summary>Gets whether only the Pareto front is ranked.</summary>
    public bool? ParetoOnly { get; init; }

    /// <summary>Gets how criterion scores combine: <c>weighted_sum</c> (default) or <c>topsis</c>.</summary>
    public ScoringMethod? Scoring { get; init; }

    /// <summary>Gets the number of ranked models returned by <c>recommend</c>; 3 when left out.</summary>
    public int? TopK { get; init; }

    /// <summary>Gets the class of task, for the online learner.</summary>
    public string? TaskClass { get; init; }

    /// <summary>Builds the request; its own checks (<see cref="SelectionRequest.Validate"/>) name the field that is wrong.</summary>
    /// <param name="errors">Collects the problems.</param>
    /// <returns>The request.</returns>
    public SelectionRequest ToRequest(FieldErrors errors)
    {
        var defaults = new SelectionRequest();
        if (MaxP95LatencyMs is { } latency && !(double.IsFinite(latency) && latency > 0))
        {
            errors.Add("max_p95_latency_ms", "must be a positive number of milliseconds.");
        }

        if (RuntimeWindowHours is { } hours && !(double.IsFinite(hours) && hours > 0 && hours <= 24 * 366))
        {
            errors.Add("runtime_window_hours", "must be a positive number of hours, at most a year.");
        }

        var request = new SelectionRequest
        {
            RequiredCapabilities = RequiredCapabilities ?? [],
            CandidateModelIds = CandidateModelIds,
            AllowDeprecated = AllowDeprecated ?? defaults.AllowDeprecated,
            BenchmarkId = BenchmarkId,
            QualityMetric = QualityMetric,
            QualityRange = QualityRange is null ? defaults.QualityRange : new Interval(QualityRange.Lower ?? 0, QualityRange.Upper ?? 1),
            MinQuality = MinQuality,
            MinSuccessRate = MinSuccessRate,
            MaxCostPer1kRequests = MaxCostPer1kRequests,
            MaxCostPerMillionTokens = MaxCostPerMillionTokens,
            MaxP95Latency = MaxP95LatencyMs is { } ms && double.IsFinite(ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null,
            ConservativeConstraints = ConservativeConstraints ?? defaults.ConservativeConstraints,
            Weights = Weights is null ? defaults.Weights : new SelectionWeights(
                Weights.Quality ?? defaults.Weights.Quality,
                Weights.Cost ?? defaults.Weights.Cost,
                Weights.Latency ?? defaults.Weights.Latency,
                Weights.Reliability ?? defaults.Weights.Reliability),
            RuntimeWindow = RuntimeWindowHours is { } h && double.IsFinite(h) && h > 0 && h <= 24 * 366 ? TimeSpan.FromHours(h) : defaults.RuntimeWindow,
            ParetoOnly = ParetoOnly ?? defaults.ParetoOnly,
            Scoring = Scoring ?? defaults.Scoring,
            TopK = TopK ?? defaults.TopK,
            TaskClass = TaskClass,
        };

        try
        {
            request.Validate();
        }
        catch (ArgumentException e)
        {
            var field = e.ParamName is { } name && name.StartsWith("request.", StringComparison.Ordinal) ? name["request.".Length..] : "body";
            errors.Add(FieldErrors.JsonPath(field), e.Message);
        }

        return request;
    }
}

/// <summary>A closed range.</summary>
internal sealed class RangeBody
{
    /// <summary>Gets the lower bound.</summary>
    public double? Lower { get; init; }

    /// <summary>Gets the upper bound.</summary>
    public double? Upper { get; init; }
}

/// <summary>The weights of the selection criteria; members left out keep their defaults (0.5, 0.2, 0.15, 0.15).</summary>
internal sealed class WeightsBody
{
    /// <summary>Gets the weight of quality.</summary>
    public double? Quality { get; init; }

    /// <summary>Gets the weight of cost.</summary>
    public double? Cost { get; init; }

    /// <summary>Gets the weight of latency.</summary>
    public double? Latency { get; init; }

    /// <summary>Gets the weight of reliability.</summary>
    public double? Reliability { get; init; }
}

/// <summary>A ranked model with its score and, per criterion, the value, scale score, weight, contribution and evidence.</summary>
internal sealed record RecommendationView(
    string ModelId,
    int Rank,
    double Score,
    bool HasInsufficientEvidence,
    IReadOnlyList<CriterionScore> Criteria,
    double? DistanceToIdeal,
    double? DistanceToAntiIdeal,
    ModelView Model)
{
    /// <summary>Shows a recommendation.</summary>
    /// <param name="recommendation">The recommendation.</param>
    /// <returns>The view.</returns>
    public static RecommendationView From(ModelRecommendation recommendation) => new(
        recommendation.ModelId,
        recommendation.Rank,
        recommendation.Score,
        recommendation.HasInsufficientEvidence,
        recommendation.Criteria,
        recommendation.DistanceToIdeal,
        recommendation.DistanceToAntiIdeal,
        ModelView.From(recommendation.Model));
}

/// <summary>The answer of <c>POST /selection/recommend</c>: the chosen model and the top of the ranking.</summary>
/// <param name="Recommended">The chosen model.</param>
/// <param name="Ranked">The best models, best first (at most <c>top_k</c>).</param>
internal sealed record RecommendView(RecommendationView Recommended, IReadOnlyList<RecommendationView> Ranked);

/// <summary>The answer of <c>POST /selection/explain</c>: why the engine decides as it does.</summary>
internal sealed record ExplanationView(
    string? Winner,
    double? Margin,
    IReadOnlyList<RecommendationView> Ranked,
    IReadOnlyList<RejectedModel> Rejected,
    long EvidenceVersion,
    DateTimeOffset ComputedAt,
    string Text)
{
    /// <summary>Shows an explanation.</summary>
    /// <param name="explanation">The explanation.</param>
    /// <returns>The view.</returns>
    public static ExplanationView From(SelectionExplanation explanation) => new(
        explanation.Winner?.ModelId,
        explanation.Margin,
        [.. explanation.Ranked.Select(RecommendationView.From)],
        explanation.Rejected,
        explanation.EvidenceVersion,
        explanation.ComputedAt,
        explanation.ToString());
}
