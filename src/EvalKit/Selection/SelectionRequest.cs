using System.Globalization;
using EvalKit.Statistics;

namespace EvalKit.Selection;

/// <summary>
/// What a caller needs from a model: required capabilities, hard constraints, the weights of the criteria and the evidence
/// to judge them by. Requests compare by value (capability and candidate lists as sets), so equal requests share one cached
/// decision.
/// </summary>
public sealed record SelectionRequest
{
    private readonly string[] _requiredCapabilities = [];
    private readonly IReadOnlyList<string> _requiredCapabilitiesView = [];
    private readonly string[]? _candidateModelIds;
    private readonly IReadOnlyList<string>? _candidateModelIdsView;

    /// <summary>Gets the capabilities every selected model must have, such as <c>"chat"</c> or <c>"json"</c>.</summary>
    /// <value>The default value is empty. Stored without duplicates, in ordinal order.</value>
    public IReadOnlyList<string> RequiredCapabilities
    {
        get => _requiredCapabilitiesView;
        init
        {
            _requiredCapabilities = Normalize(value) ?? [];
            _requiredCapabilitiesView = Array.AsReadOnly(_requiredCapabilities);
        }
    }

    /// <summary>Gets the model ids to choose among, or <see langword="null"/> for every registered model.</summary>
    /// <value>The default value is <see langword="null"/>. Stored without duplicates, in ordinal order.</value>
    public IReadOnlyList<string>? CandidateModelIds
    {
        get => _candidateModelIdsView;
        init
        {
            _candidateModelIds = Normalize(value);
            _candidateModelIdsView = _candidateModelIds is null ? null : Array.AsReadOnly(_candidateModelIds);
        }
    }

    /// <summary>Gets a value indicating whether deprecated models may be selected. Retired models never are.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowDeprecated { get; init; }

    /// <summary>Gets the benchmark whose latest completed evaluation run gives each model's quality, or <see langword="null"/> for the latest completed run of any benchmark or dataset.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the metric that measures quality, or <see langword="null"/> for the primary metric of the run.</summary>
    public string? QualityMetric { get; init; }

    /// <summary>Gets the range of the quality metric, mapped linearly onto the score [0, 1] (values outside are clamped).</summary>
    /// <value>The default value is [0, 1]; use [0, 100] for metrics such as BLEU.</value>
    public Interval QualityRange { get; init; } = new(0, 1);

    /// <summary>Gets the minimum quality; with <see cref="ConservativeConstraints"/> the lower bound of the quality's interval must reach it.</summary>
    public double? MinQuality { get; init; }

    /// <summary>Gets the minimum success rate, in [0, 1]; with <see cref="ConservativeConstraints"/> the lower bound of its Wilson interval must reach it.</summary>
    public double? MinSuccessRate { get; init; }

    /// <summary>Gets the maximum cost of 1,000 requests, in the pricing's currency.</summary>
    public decimal? MaxCostPer1kRequests { get; init; }

    /// <summary>Gets the maximum cost of one million tokens (input and output together), in the pricing's currency.</summary>
    public decimal? MaxCostPerMillionTokens { get; init; }

    /// <summary>Gets the maximum 95th percentile of the latency; with <see cref="ConservativeConstraints"/> the upper bound of its interval must stay below it.</summary>
    public TimeSpan? MaxP95Latency { get; init; }

    /// <summary>Gets a value indicating whether constraints test the pessimistic end of each estimate's interval instead of the point estimate.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ConservativeConstraints { get; init; } = true;

    /// <summary>Gets the weights of the criteria.</summary>
    /// <value>The default value is <see cref="SelectionWeights.Default"/>.</value>
    public SelectionWeights Weights { get; init; } = SelectionWeights.Default;

    /// <summary>Gets how far back runtime metrics (latency, success, cost) count.</summary>
    /// <value>The default value is 1 day.</value>
    public TimeSpan RuntimeWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Gets the typical input tokens of a request, used to estimate cost from the registry's pricing when no measured cost exists.</summary>
    /// <value>The default value is 1,000.</value>
    public int TypicalInputTokens { get; init; } = 1_000;

    /// <summary>Gets the typical output tokens of a request, used to estimate cost from the registry's pricing when no measured cost exists.</summary>
    /// <value>The default value is 250.</value>
    public int TypicalOutputTokens { get; init; } = 250;

    /// <summary>Gets a value indicating whether only models on the Pareto front (not dominated on the weighted criteria) are ranked.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ParetoOnly { get; init; }

    /// <summary>Gets how per-criterion scores combine into one score.</summary>
    /// <value>The default value is <see cref="ScoringMethod.WeightedSum"/>.</value>
    public ScoringMethod Scoring { get; init; } = ScoringMethod.WeightedSum;

    /// <summary>Gets the number of ranked models a router considers (its fallback list); <see cref="ISelectionEngine.RankAsync"/> takes its own count.</summary>
    /// <value>The default value is 3.</value>
    public int TopK { get; init; } = 3;

    /// <summary>Gets how the engine picks among the feasible models.</summary>
    /// <value>The default value is <see cref="SelectionMode.Ranked"/>.</value>
    public SelectionMode Mode { get; init; } = SelectionMode.Ranked;

    /// <summary>Gets the class of task the request belongs to (such as <c>"easy"</c> or <c>"code"</c>); the online learner keeps separate posteriors per class.</summary>
    public string? TaskClass { get; init; }

    /// <inheritdoc/>
    public bool Equals(SelectionRequest? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && AllowDeprecated == other.AllowDeprecated
            && ConservativeConstraints == other.ConservativeConstraints
            && ParetoOnly == other.ParetoOnly
            && Scoring == other.Scoring
            && Mode == other.Mode
            && TopK == other.TopK
            && TypicalInputTokens == other.TypicalInputTokens
            && TypicalOutputTokens == other.TypicalOutputTokens
            && RuntimeWindow == other.RuntimeWindow
            && Weights == other.Weights
            && QualityRange == other.QualityRange
            && MinQuality == other.MinQuality
            && MinSuccessRate == other.MinSuccessRate
            && MaxCostPer1kRequests == other.MaxCostPer1kRequests
            && MaxCostPerMillionTokens == other.MaxCostPerMillionTokens
            && MaxP95Latency == other.MaxP95Latency
            && string.Equals(BenchmarkId, other.BenchmarkId, StringComparison.Ordinal)
            && string.Equals(QualityMetric, other.QualityMetric, StringComparison.Ordinal)
            && string.Equals(TaskClass, other.TaskClass, StringComparison.Ordinal)
            && SameIds(_requiredCapabilities, other._requiredCapabilities)
            && SameIds(_candidateModelIds, other._candidateModelIds));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(AllowDeprecated);
        hash.Add(ConservativeConstraints);
        hash.Add(ParetoOnly);
        hash.Add(Scoring);
        hash.Add(Mode);
        hash.Add(TopK);
        hash.Add(TypicalInputTokens);
        hash.Add(TypicalOutputTokens);
        hash.Add(RuntimeWindow);
        hash.Add(Weights);
        hash.Add(QualityRange);
        hash.Add(MinQuality);
        hash.Add(MinSuccessRate);
        hash.Add(MaxCostPer1kRequests);
        hash.Add(MaxCostPerMillionTokens);
        hash.Add(MaxP95Latency);
        hash.Add(BenchmarkId, StringComparer.Ordinal);
        hash.Add(QualityMetric, StringComparer.Ordinal);
        hash.Add(TaskClass, StringComparer.Ordinal);
        foreach (var capability in _requiredCapabilities)
        {
            hash.Add(capability, StringComparer.Ordinal);
        }

        if (_candidateModelIds is not null)
        {
            hash.Add(_candidateModelIds.Length);
            foreach (var id in _candidateModelIds)
            {
                hash.Add(id, StringComparer.Ordinal);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>Checks the request and reports the first invalid field by name.</summary>
    /// <exception cref="ArgumentException">A field is invalid; <see cref="ArgumentException.ParamName"/> names it.</exception>
    public void Validate()
    {
        foreach (var capability in _requiredCapabilities)
        {
            Require(!string.IsNullOrWhiteSpace(capability), nameof(RequiredCapabilities), "must not contain empty capability names");
        }

        if (_candidateModelIds is not null)
        {
            foreach (var id in _candidateModelIds)
            {
                Require(!string.IsNullOrWhiteSpace(id), nameof(CandidateModelIds), "must not contain empty model ids");
            }
        }

        Require(BenchmarkId is null || !string.IsNullOrWhiteSpace(BenchmarkId), nameof(BenchmarkId), "must be null or a benchmark id");
        Require(QualityMetric is null || !string.IsNullOrWhiteSpace(QualityMetric), nameof(QualityMetric), "must be null or a metric name");
        Require(double.IsFinite(QualityRange.Lower) && double.IsFinite(QualityRange.Upper) && QualityRange.Upper > QualityRange.Lower, nameof(QualityRange), $"must be a finite interval with Upper > Lower (was [{F(QualityRange.Lower)}, {F(QualityRange.Upper)}])");
        Require(MinQuality is null || double.IsFinite(MinQuality.Value), nameof(MinQuality), $"must be a finite number (was {F(MinQuality)})");
        Require(MinSuccessRate is null || MinSuccessRate is >= 0 and <= 1, nameof(MinSuccessRate), $"must lie in [0, 1] (was {F(MinSuccessRate)})");
        Require(MaxCostPer1kRequests is null || MaxCostPer1kRequests >= 0, nameof(MaxCostPer1kRequests), $"must not be negative (was {MaxCostPer1kRequests?.ToString(CultureInfo.InvariantCulture)})");
        Require(MaxCostPerMillionTokens is null || MaxCostPerMillionTokens >= 0, nameof(MaxCostPerMillionTokens), $"must not be negative (was {MaxCostPerMillionTokens?.ToString(CultureInfo.InvariantCulture)})");
        Require(MaxP95Latency is null || MaxP95Latency > TimeSpan.Zero, nameof(MaxP95Latency), $"must be positive (was {MaxP95Latency})");
        Require(RuntimeWindow > TimeSpan.Zero, nameof(RuntimeWindow), $"must be positive (was {RuntimeWindow})");
        Require(TypicalInputTokens >= 0, nameof(TypicalInputTokens), $"must not be negative (was {TypicalInputTokens})");
        Require(TypicalOutputTokens >= 0, nameof(TypicalOutputTokens), $"must not be negative (was {TypicalOutputTokens})");
        Require(TopK >= 1, nameof(TopK), $"must be at least 1 (was {TopK})");
        Require(Enum.IsDefined(Scoring), nameof(Scoring), $"is not a defined scoring method (was {Scoring})");
        Require(Enum.IsDefined(Mode), nameof(Mode), $"is not a defined selection mode (was {Mode})");
        ValidateWeight(Weights.Quality, "Weights.Quality");
        ValidateWeight(Weights.Cost, "Weights.Cost");
        ValidateWeight(Weights.Latency, "Weights.Latency");
        ValidateWeight(Weights.Reliability, "Weights.Reliability");
        Require(Weights.Total > 0, nameof(Weights), "must have at least one positive weight (all were 0)");
    }

    private static void ValidateWeight(double weight, string field) =>
        Require(double.IsFinite(weight) && weight >= 0, field, $"must be a finite, non-negative number (was {F(weight)})");

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"SelectionRequest.{field} {problem}.", "request." + field);
        }
    }

    private static string F(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "null";

    private static string[]? Normalize(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return null;
        }

        var copy = values.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(copy, StringComparer.Ordinal);
        return copy;
    }

    private static bool SameIds(string[]? a, string[]? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.AsSpan().SequenceEqual(b));
}
