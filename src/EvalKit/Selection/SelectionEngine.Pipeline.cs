using System.Globalization;
using EvalKit.Registry;
using EvalKit.Storage;

namespace EvalKit.Selection;

/// <content>The pipeline that computes a decision on a cache miss.</content>
public sealed partial class SelectionEngine
{
    private const int CriterionCount = 4;

    /// <summary>Reads the candidates from the registry and screens them by capability and status (cheap: the registry's snapshot).</summary>
    private async ValueTask<(List<ModelDescriptor> Screened, List<RejectedModel> Rejected)> ScreenAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedModel>();
        var screened = new List<ModelDescriptor>();
        foreach (var model in await CandidatesAsync(request, rejected, cancellationToken).ConfigureAwait(false))
        {
            if (Screen(model, request) is { } rejection)
            {
                rejected.Add(rejection);
            }
            else
            {
                screened.Add(model);
            }
        }

        return (screened, rejected);
    }

    /// <summary>
    /// Reads the evidence about the screened models, applies the constraints, scores and ranks: the costly part of a
    /// decision, and the part EvalKit's cache keeps.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="screened">The models that passed screening.</param>
    /// <param name="rejectedSoFar">The models rejected before evidence was read (not changed).</param>
    /// <param name="version">The evidence source's version, read before anything else.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    private async ValueTask<CachedSelection> AssessAsync(
        SelectionRequest request, List<ModelDescriptor> screened, List<RejectedModel> rejectedSoFar, long version, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var query = new SelectionEvidenceQuery
        {
            BenchmarkId = request.BenchmarkId,
            QualityMetric = request.QualityMetric,
            From = now - request.RuntimeWindow,
            To = now.AddTicks(1),
            MinRuntimeSamples = _minRuntimeSamples,
        };

        var rejected = new List<RejectedModel>(rejectedSoFar);
        var feasible = new List<Candidate>();
        DateTimeOffset? changesAt = null;
        foreach (var model in screened)
        {
            var evidence = await _evidence.GetEvidenceAsync(model, query, cancellationToken).ConfigureAwait(false);
            if (evidence.ChangesAt is { } at && (changesAt is null || at < changesAt))
            {
                changesAt = at;
            }

            var candidate = Assess(model, evidence, request);
            var violations = CheckConstraints(candidate, request);
            if (violations.Count > 0)
            {
                rejected.Add(new RejectedModel
                {
                    ModelId = model.Id,
                    Reason = RejectionReason.Constraint,
                    Violations = violations,
                    Message = string.Join("; ", violations.Select(v => v.Message)),
                });
            }
            else
            {
                feasible.Add(candidate);
            }
        }

        feasible.Sort((a, b) => string.CompareOrdinal(a.Model.Id, b.Model.Id));
        if (request.ParetoOnly)
        {
            RemoveDominated(feasible, request.Weights, rejected);
        }

        var weights = Normalize(request.Weights);
        if (request.Scoring == ScoringMethod.Topsis)
        {
            ScoreTopsis(feasible, weights);
        }
        else
        {
            foreach (var candidate in feasible)
            {
                candidate.Score = WeightedSum(candidate.Scores, weights);
            }
        }

        // Best score first; equal scores in ordinal id order (the sort above), made explicit for a stable, total order.
        feasible.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Model.Id, b.Model.Id));
        var ranked = new ModelRecommendation[feasible.Count];
        var priorMeans = new double[feasible.Count];
        var fixedTerms = new double[feasible.Count];
        for (var i = 0; i < feasible.Count; i++)
        {
            var candidate = feasible[i];
            ranked[i] = Recommend(candidate, i + 1, weights, request);
            priorMeans[i] = candidate.Estimates[(int)SelectionCriterion.Quality] is null ? double.NaN : candidate.Scores[(int)SelectionCriterion.Quality];
            fixedTerms[i] = WeightedSum(candidate.Scores, weights) - (weights[(int)SelectionCriterion.Quality] * candidate.Scores[(int)SelectionCriterion.Quality]);
        }

        rejected.Sort((a, b) => string.CompareOrdinal(a.ModelId, b.ModelId));
        var explanation = new SelectionExplanation
        {
            Request = request,
            Ranked = ranked,
            Rejected = rejected,
            EvidenceVersion = version,
            ComputedAt = now,
        };
        return new CachedSelection(explanation, priorMeans, fixedTerms, weights[(int)SelectionCriterion.Quality], changesAt, _origin);
    }

    private static double[] Normalize(SelectionWeights weights)
    {
        var total = weights.Total;
        return [weights.Quality / total, weights.Cost / total, weights.Latency / total, weights.Reliability / total];
    }

    private static double WeightedSum(double[] scores, double[] weights)
    {
        var sum = 0.0;
        for (var j = 0; j < CriterionCount; j++)
        {
            sum += weights[j] * scores[j];
        }

        return sum;
    }

    private static RejectedModel? Screen(ModelDescriptor model, SelectionRequest request)
    {
        var missing = request.RequiredCapabilities.Where(c => !model.Capabilities.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            return new RejectedModel
            {
                ModelId = model.Id,
                Reason = RejectionReason.MissingCapability,
                Message = $"lacks the required capabilit{(missing.Length == 1 ? "y" : "ies")} {string.Join(", ", missing.Select(m => $"'{m}'"))}",
            };
        }

        return model.Status switch
        {
            ModelStatus.Retired => new RejectedModel { ModelId = model.Id, Reason = RejectionReason.Status, Message = "is retired" },
            ModelStatus.Deprecated when !request.AllowDeprecated => new RejectedModel
            {
                ModelId = model.Id,
                Reason = RejectionReason.Status,
                Message = "is deprecated and the request does not allow deprecated models" + (model.Metadata.TryGetValue("deprecation.reason", out var why) ? $" ({why})" : string.Empty),
            },
            _ => null,
        };
    }

    private async ValueTask<List<ModelDescriptor>> CandidatesAsync(SelectionRequest request, List<RejectedModel> rejected, CancellationToken cancellationToken)
    {
        var models = new List<ModelDescriptor>();
        if (request.CandidateModelIds is null)
        {
            await foreach (var model in _registry.ListAsync(null, cancellationToken).ConfigureAwait(false))
            {
                models.Add(model);
            }

            return models;
        }

        foreach (var id in request.CandidateModelIds)
        {
            if (await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } model)
            {
                models.Add(model);
            }
            else
            {
                rejected.Add(new RejectedModel { ModelId = id, Reason = RejectionReason.NotRegistered, Message = "is not registered" });
            }
        }

        return models;
    }

    private Candidate Assess(ModelDescriptor model, ModelEvidence evidence, SelectionRequest request)
    {
        var candidate = new Candidate(model);
        foreach (var (criterion, note) in evidence.Notes)
        {
            candidate.Notes[(int)criterion] = note;
        }

        candidate.Estimates[(int)SelectionCriterion.Quality] = evidence.Quality;
        candidate.Estimates[(int)SelectionCriterion.Latency] = evidence.LatencyP95Milliseconds;
        candidate.Estimates[(int)SelectionCriterion.Reliability] = evidence.SuccessRate;
        candidate.Estimates[(int)SelectionCriterion.Cost] = evidence.CostPer1kRequests;
        candidate.CostPerMillionTokens = evidence.CostPerMillionTokens;
        if (evidence.CostPer1kRequests is null || evidence.CostPerMillionTokens is null)
        {
            PriceFromRegistry(candidate, request);
        }

        for (var j = 0; j < CriterionCount; j++)
        {
            candidate.Scores[j] = candidate.Estimates[j] is { } estimate ? ScaleScore((SelectionCriterion)j, estimate.Value, request) : _missingScore;
        }

        return candidate;
    }

    private static void PriceFromRegistry(Candidate candidate, SelectionRequest request)
    {
        var cost = (int)SelectionCriterion.Cost;
        if (candidate.Model.Pricing is not { } pricing)
        {
            if (candidate.Estimates[cost] is null)
            {
                candidate.Notes[cost] = (candidate.Notes[cost] is { } note ? note + "; " : string.Empty) + "the registry has no pricing for the model";
            }

            return;
        }

        var source = string.Create(
            CultureInfo.InvariantCulture,
            $"{pricing.InputPerMillionTokens}/{pricing.OutputPerMillionTokens} {pricing.Currency} per million input/output tokens at {request.TypicalInputTokens}/{request.TypicalOutputTokens} typical tokens");
        if (candidate.Estimates[cost] is null)
        {
            var perRequest = ((request.TypicalInputTokens * pricing.InputPerMillionTokens) + (request.TypicalOutputTokens * pricing.OutputPerMillionTokens)) / 1_000_000m;
            candidate.Estimates[cost] = new Estimate { Value = (double)(perRequest * 1000), Origin = EvidenceOrigin.Pricing, Source = source };
        }

        var tokens = request.TypicalInputTokens + request.TypicalOutputTokens;
        if (candidate.CostPerMillionTokens is null && tokens > 0)
        {
            var blended = ((request.TypicalInputTokens * pricing.InputPerMillionTokens) + (request.TypicalOutputTokens * pricing.OutputPerMillionTokens)) / tokens;
            candidate.CostPerMillionTokens = new Estimate { Value = (double)blended, Origin = EvidenceOrigin.Pricing, Source = source };
        }
    }

    private double ScaleScore(SelectionCriterion criterion, double value, SelectionRequest request) => criterion switch
    {
        SelectionCriterion.Quality => Math.Clamp((value - request.QualityRange.Lower) / request.QualityRange.Width, 0, 1),
        SelectionCriterion.Cost => _scales.ScoreCost(value),
        SelectionCriterion.Latency => _scales.ScoreLatency(value),
        _ => _scales.ScoreReliability(value),
    };

    private static List<ConstraintViolation> CheckConstraints(Candidate candidate, SelectionRequest request)
    {
        var violations = new List<ConstraintViolation>();
        var conservative = request.ConservativeConstraints;
        if (request.MinQuality is { } minQuality)
        {
            Check(violations, ConstraintKind.MinQuality, minQuality, candidate.Estimates[(int)SelectionCriterion.Quality], atLeast: true, conservative, candidate.Notes[(int)SelectionCriterion.Quality]);
        }

        if (request.MinSuccessRate is { } minSuccess)
        {
            Check(violations, ConstraintKind.MinSuccessRate, minSuccess, candidate.Estimates[(int)SelectionCriterion.Reliability], atLeast: true, conservative, candidate.Notes[(int)SelectionCriterion.Reliability]);
        }

        if (request.MaxCostPer1kRequests is { } maxCost)
        {
            Check(violations, ConstraintKind.MaxCostPer1kRequests, (double)maxCost, candidate.Estimates[(int)SelectionCriterion.Cost], atLeast: false, conservative, candidate.Notes[(int)SelectionCriterion.Cost]);
        }

        if (request.MaxCostPerMillionTokens is { } maxTokenCost)
        {
            Check(violations, ConstraintKind.MaxCostPerMillionTokens, (double)maxTokenCost, candidate.CostPerMillionTokens, atLeast: false, conservative, candidate.Notes[(int)SelectionCriterion.Cost]);
        }

        if (request.MaxP95Latency is { } maxLatency)
        {
            Check(violations, ConstraintKind.MaxP95Latency, maxLatency.TotalMilliseconds, candidate.Estimates[(int)SelectionCriterion.Latency], atLeast: false, conservative, candidate.Notes[(int)SelectionCriterion.Latency]);
        }

        return violations;
    }

    private static void Check(List<ConstraintViolation> violations, ConstraintKind kind, double limit, Estimate? estimate, bool atLeast, bool conservative, string? note)
    {
        var c = CultureInfo.InvariantCulture;
        var (what, unit) = Describe(kind);
        if (estimate is null)
        {
            violations.Add(new ConstraintViolation
            {
                Constraint = kind,
                Limit = limit,
                Message = $"insufficient evidence to test the {what} constraint" + (note is null ? string.Empty : $": {note}"),
            });
            return;
        }

        var bound = !conservative ? "point estimate"
            : estimate.Interval is null ? "point estimate; the evidence gives no interval"
            : atLeast ? "lower 95% bound" : "upper 95% bound";
        var actual = conservative && estimate.Interval is { } interval ? (atLeast ? interval.Lower : interval.Upper) : estimate.Value;
        var excess = atLeast ? limit - actual : actual - limit;
        if (excess > 0)
        {
            var verb = atLeast ? "is below the minimum" : "exceeds the maximum";
            violations.Add(new ConstraintViolation
            {
                Constraint = kind,
                Limit = limit,
                Actual = actual,
                Excess = excess,
                Evidence = estimate,
                Message = string.Create(c, $"{what} {actual:0.####}{unit} ({bound}) {verb} {limit:0.####}{unit} by {excess:0.####}{unit} [{SelectionExplanation.Describe(estimate)}]"),
            });
        }
    }

    private static (string What, string Unit) Describe(ConstraintKind kind) => kind switch
    {
        ConstraintKind.MinQuality => ("quality", string.Empty),
        ConstraintKind.MinSuccessRate => ("success rate", string.Empty),
        ConstraintKind.MaxCostPer1kRequests => ("cost per 1k requests", string.Empty),
        ConstraintKind.MaxCostPerMillionTokens => ("cost per million tokens", string.Empty),
        _ => ("p95 latency", " ms"),
    };

    private static void RemoveDominated(List<Candidate> feasible, SelectionWeights weights, List<RejectedModel> rejected)
    {
        var kept = new List<Candidate>(feasible.Count);
        foreach (var candidate in feasible)
        {
            var dominator = feasible.FirstOrDefault(other => !ReferenceEquals(other, candidate) && Dominates(other, candidate, weights));
            if (dominator is null)
            {
                kept.Add(candidate);
                continue;
            }

            var c = CultureInfo.InvariantCulture;
            var compared = string.Join(", ", Enumerable.Range(0, CriterionCount)
                .Where(j => weights[(SelectionCriterion)j] > 0)
                .Select(j => string.Create(c, $"{(SelectionCriterion)j} {dominator.Scores[j]:0.####} vs {candidate.Scores[j]:0.####}")));
            rejected.Add(new RejectedModel
            {
                ModelId = candidate.Model.Id,
                Reason = RejectionReason.Dominated,
                DominatedBy = dominator.Model.Id,
                Message = $"dominated by {dominator.Model.Id}, at least as good on every weighted criterion and better on one (scale scores: {compared})",
            });
        }

        feasible.Clear();
        feasible.AddRange(kept);
    }

    private static bool Dominates(Candidate a, Candidate b, SelectionWeights weights)
    {
        var strictly = false;
        for (var j = 0; j < CriterionCount; j++)
        {
            if (weights[(SelectionCriterion)j] <= 0)
            {
                continue;
            }

            if (a.Scores[j] < b.Scores[j])
            {
                return false;
            }

            strictly |= a.Scores[j] > b.Scores[j];
        }

        return strictly;
    }

    /// <summary>TOPSIS over the fixed-scale scores (all benefit criteria): vector normalization, weights, distances to the ideal and anti-ideal.</summary>
    private static void ScoreTopsis(List<Candidate> feasible, double[] weights)
    {
        var ideal = new double[CriterionCount];
        var antiIdeal = new double[CriterionCount];
        var norms = new double[CriterionCount];
        for (var j = 0; j < CriterionCount; j++)
        {
            norms[j] = Math.Sqrt(feasible.Sum(f => f.Scores[j] * f.Scores[j]));
            ideal[j] = double.NegativeInfinity;
            antiIdeal[j] = double.PositiveInfinity;
            foreach (var f in feasible)
            {
                var v = Weighted(f, j);
                ideal[j] = Math.Max(ideal[j], v);
                antiIdeal[j] = Math.Min(antiIdeal[j], v);
            }
        }

        foreach (var f in feasible)
        {
            double plus = 0, minus = 0;
            for (var j = 0; j < CriterionCount; j++)
            {
                var v = Weighted(f, j);
                plus += (v - ideal[j]) * (v - ideal[j]);
                minus += (v - antiIdeal[j]) * (v - antiIdeal[j]);
            }

            f.DistanceToIdeal = Math.Sqrt(plus);
            f.DistanceToAntiIdeal = Math.Sqrt(minus);
            var total = f.DistanceToIdeal.Value + f.DistanceToAntiIdeal.Value;
            f.Score = total > 0 ? f.DistanceToAntiIdeal.Value / total : 1; // every candidate equal (or alone): all ideal
        }

        double Weighted(Candidate f, int j) => norms[j] > 0 ? weights[j] * f.Scores[j] / norms[j] : 0;
    }

    private static ModelRecommendation Recommend(Candidate candidate, int rank, double[] weights, SelectionRequest request)
    {
        var criteria = new CriterionScore[CriterionCount];
        for (var j = 0; j < CriterionCount; j++)
        {
            var criterion = (SelectionCriterion)j;
            var estimate = candidate.Estimates[j];
            criteria[j] = new CriterionScore
            {
                Criterion = criterion,
                RawValue = estimate?.Value,
                Unit = criterion switch
                {
                    SelectionCriterion.Quality => request.QualityMetric ?? "primary metric",
                    SelectionCriterion.Cost => (candidate.Model.Pricing?.Currency ?? "currency") + " per 1k requests",
                    SelectionCriterion.Latency => "ms (p95)",
                    _ => "success rate",
                },
                Score = candidate.Scores[j],
                Weight = weights[j],
                Contribution = weights[j] * candidate.Scores[j],
                Evidence = estimate,
                Note = estimate is null ? "insufficient evidence: " + (candidate.Notes[j] ?? "no evidence") : candidate.Notes[j],
            };
        }

        return new ModelRecommendation
        {
            Model = candidate.Model,
            Rank = rank,
            Score = candidate.Score,
            Criteria = criteria,
            DistanceToIdeal = candidate.DistanceToIdeal,
            DistanceToAntiIdeal = candidate.DistanceToAntiIdeal,
        };
    }

    private sealed class Candidate(ModelDescriptor model)
    {
        public ModelDescriptor Model { get; } = model;

        public Estimate?[] Estimates { get; } = new Estimate?[CriterionCount];

        public string?[] Notes { get; } = new string?[CriterionCount];

        public double[] Scores { get; } = new double[CriterionCount];

        public Estimate? CostPerMillionTokens { get; set; }

        public double Score { get; set; }

        public double? DistanceToIdeal { get; set; }

        public double? DistanceToAntiIdeal { get; set; }
    }
}
