using MathNet.Numerics.Distributions;

namespace EvalKit.Selection;

/// <summary>
/// Thompson sampling among the feasible models of a decision, per task class. Each model keeps a posterior of its reward in
/// [0, 1] from runtime outcomes, with exponential discounting of old evidence and a prior from the offline quality evidence;
/// a minimum exploration share keeps every feasible model in play. Each tenant learns on its own: its outcomes never move
/// another tenant's choices.
/// </summary>
internal sealed class OnlineLearner
{
    private const double MaxVariance = 0.25; // the largest variance of a reward in [0, 1]
    private const double MinVariance = 0.0025;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string TaskClass), TaskClassState> _classes = [];
    private readonly Random _random;
    private readonly double _minShare;
    private readonly double _discount;
    private readonly double _priorStrength;
    private readonly OnlineRewardModel _model;

    public OnlineLearner(OnlineLearningOptions options)
    {
        _random = options.Seed is { } seed ? new Random(seed) : Random.Shared;
        _minShare = options.MinExplorationShare;
        _discount = options.DiscountFactor;
        _priorStrength = options.PriorStrength;
        _model = options.RewardModel;
    }

    /// <summary>Draws the model to serve a request: uniformly with the exploration probability, else the argmax of the sampled utility.</summary>
    /// <returns>The index of the chosen model in <see cref="SelectionDecision.Ranked"/>.</returns>
    public int Choose(string tenant, SelectionDecision decision, string? taskClass)
    {
        var ranked = decision.Ranked;
        if (ranked.Length <= 1)
        {
            return 0;
        }

        lock (_gate)
        {
            if (_random.NextDouble() < Math.Min(1, _minShare * ranked.Length))
            {
                return _random.Next(ranked.Length);
            }

            _classes.TryGetValue((tenant, taskClass ?? string.Empty), out var state);
            var best = 0;
            var bestUtility = double.NegativeInfinity;
            for (var i = 0; i < ranked.Length; i++)
            {
                Arm? arm = null;
                state?.Arms.TryGetValue(ranked[i].ModelId, out arm);
                var sample = Sample(arm, state?.Step ?? 0, decision.PriorMeans[i]);
                var utility = (decision.QualityWeight * sample) + decision.FixedTerms[i];
                if (utility > bestUtility)
                {
                    best = i;
                    bestUtility = utility;
                }
            }

            return best;
        }
    }

    /// <summary>Records an outcome: every model's evidence in the task class decays by the discount factor, then the reward is added.</summary>
    public void Record(string tenant, string? taskClass, string modelId, double reward)
    {
        lock (_gate)
        {
            var key = (tenant, taskClass ?? string.Empty);
            if (!_classes.TryGetValue(key, out var state))
            {
                _classes[key] = state = new TaskClassState();
            }

            state.Step++;
            if (!state.Arms.TryGetValue(modelId, out var arm))
            {
                state.Arms[modelId] = arm = new Arm();
            }

            var decay = Decay(arm, state.Step);
            arm.Weight = (arm.Weight * decay) + 1;
            arm.Sum = (arm.Sum * decay) + reward;
            arm.SumOfSquares = (arm.SumOfSquares * decay) + (reward * reward);
            arm.Step = state.Step;
        }
    }

    /// <summary>Forgets a tenant's evidence about one model in every task class, or all of the tenant's evidence (erasure).</summary>
    public void Forget(string tenant, string? modelId)
    {
        lock (_gate)
        {
            foreach (var key in _classes.Keys.Where(k => string.Equals(k.Tenant, tenant, StringComparison.Ordinal)).ToList())
            {
                if (modelId is null)
                {
                    _classes.Remove(key);
                }
                else
                {
                    _classes[key].Arms.Remove(modelId);
                }
            }
        }
    }

    /// <summary>Gets the discounted evidence of a model in a task class: (weight, mean reward). For tests and diagnostics.</summary>
    public (double Weight, double Mean) Posterior(string tenant, string? taskClass, string modelId)
    {
        lock (_gate)
        {
            if (!_classes.TryGetValue((tenant, taskClass ?? string.Empty), out var state) || !state.Arms.TryGetValue(modelId, out var arm))
            {
                return (0, double.NaN);
            }

            var decay = Decay(arm, state.Step);
            return (arm.Weight * decay, arm.Sum / arm.Weight);
        }
    }

    private double Decay(Arm arm, long step) => _discount == 1 ? 1 : Math.Pow(_discount, step - arm.Step);

    private double Sample(Arm? arm, long step, double priorMean)
    {
        var decay = arm is null ? 0 : Decay(arm, step);
        var weight = arm is null ? 0 : arm.Weight * decay;
        var sum = arm is null ? 0 : arm.Sum * decay;
        var hasPrior = !double.IsNaN(priorMean);
        var prior = hasPrior ? priorMean : 0.5;
        var strength = hasPrior ? _priorStrength : 0;
        if (_model == OnlineRewardModel.Beta)
        {
            var alpha = 1 + (strength * prior) + sum;
            var beta = 1 + (strength * (1 - prior)) + (weight - sum);
            return Beta.Sample(_random, alpha, Math.Max(beta, 1e-9));
        }

        // Normal–normal: the prior N(prior, 0.25 / strength) (flat without offline evidence), the observed variance of the
        // rewards (floored; 0.25 until two observations exist) as the known variance of one observation.
        var squares = arm is null ? 0 : arm.SumOfSquares * decay;
        var variance = MaxVariance;
        if (weight > 1)
        {
            var mean = sum / weight;
            variance = Math.Clamp(((squares / weight) - (mean * mean)) * weight / (weight - 1), MinVariance, MaxVariance);
        }

        var priorPrecision = strength > 0 ? strength / MaxVariance : 1e-6;
        var precision = priorPrecision + (weight / variance);
        var posteriorMean = ((priorPrecision * prior) + (sum / variance)) / precision;
        return Normal.Sample(_random, posteriorMean, Math.Sqrt(1 / precision));
    }

    private sealed class TaskClassState
    {
        public long Step { get; set; }

        public Dictionary<string, Arm> Arms { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Arm
    {
        public double Weight { get; set; }

        public double Sum { get; set; }

        public double SumOfSquares { get; set; }

        public long Step { get; set; }
    }
}
