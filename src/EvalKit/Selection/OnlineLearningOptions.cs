namespace EvalKit.Selection;

/// <summary>Options of the online learner (<see cref="SelectionMode.Online"/>): Thompson sampling among the feasible models.</summary>
public sealed class OnlineLearningOptions
{
    /// <summary>Gets or sets the seed of the learner's random numbers, or <see langword="null"/> for <see cref="Random.Shared"/>.</summary>
    /// <value>The default value is <see langword="null"/>. Set it for reproducible decisions (tests, simulations).</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the minimum share of traffic each feasible model gets, whatever its posterior.</summary>
    /// <value>The default value is 0.01. With M models, a decision is uniform over them with probability min(1, M × share).</value>
    public double MinExplorationShare { get; set; } = 0.01;

    /// <summary>
    /// Gets or sets the factor by which every model's evidence in a task class decays at each new outcome in that class,
    /// in (0, 1]; 1 keeps all evidence. The effective memory is about 1 / (1 − factor) outcomes.
    /// </summary>
    /// <value>The default value is 0.999 (a memory of about 1,000 outcomes).</value>
    public double DiscountFactor { get; set; } = 0.999;

    /// <summary>
    /// Gets or sets the weight, in pseudo-observations, of the prior taken from the offline quality evidence (the evaluation run);
    /// a model without offline evidence starts from an uninformative prior.
    /// </summary>
    /// <value>The default value is 5.</value>
    public double PriorStrength { get; set; } = 5;

    /// <summary>Gets or sets the posterior kept per model.</summary>
    /// <value>The default value is <see cref="OnlineRewardModel.Beta"/>.</value>
    public OnlineRewardModel RewardModel { get; set; } = OnlineRewardModel.Beta;
}
