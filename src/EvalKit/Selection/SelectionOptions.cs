using System.Globalization;

namespace EvalKit.Selection;

/// <summary>Options of the selection engine.</summary>
public sealed class SelectionOptions
{
    /// <summary>Gets or sets the fixed scales that map raw values onto scores.</summary>
    /// <value>The default value is a new <see cref="ReferenceScales"/> with its documented defaults.</value>
    public ReferenceScales Scales { get; set; } = new();

    /// <summary>Gets or sets the options of the online learner.</summary>
    /// <value>The default value is a new <see cref="OnlineLearningOptions"/> with its defaults.</value>
    public OnlineLearningOptions Online { get; set; } = new();

    /// <summary>
    /// Gets or sets the minimum number of runtime samples in the window for runtime metrics to count as evidence; with fewer,
    /// the evaluation run's figures are used, or the evidence is reported as insufficient.
    /// </summary>
    /// <value>The default value is 30.</value>
    public int MinRuntimeSamples { get; set; } = 30;

    /// <summary>
    /// Gets or sets the score a criterion gets when a model has no evidence for it. Zero (the default) means a model never gains
    /// rank from missing evidence; the explanation says the evidence is insufficient either way.
    /// </summary>
    /// <value>The default value is 0.</value>
    public double MissingEvidenceScore { get; set; }

    /// <summary>
    /// Gets or sets how long a decision is kept by an engine that has no EvalKit cache to check it against the store (an
    /// engine built without one, or over a store without change counters): runtime metrics and other processes' writes are
    /// seen within this time. A change of the evidence source's <see cref="ISelectionEvidenceSource.Version"/> invalidates it
    /// at once.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    /// <remarks>
    /// With EvalKit's cache (every engine <c>AddEvalKit</c> or <c>EvalKitHost</c> builds) decisions are kept for
    /// <see cref="Caching.EvalKitCachingOptions.SelectionDecisions"/> instead, because the store's change counters say when one
    /// is stale.
    /// </remarks>
    public TimeSpan DecisionTimeToLive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the maximum number of cached decisions; the cache is emptied when it is full.</summary>
    /// <value>The default value is 1,024.</value>
    public int DecisionCacheCapacity { get; set; } = 1_024;

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Scales is null)
        {
            problems.Add($"{nameof(Scales)} must not be null.");
        }
        else
        {
            try
            {
                Scales.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }
        }

        if (Online is null)
        {
            problems.Add($"{nameof(Online)} must not be null.");
        }
        else
        {
            if (!(Online.MinExplorationShare >= 0 && Online.MinExplorationShare <= 1))
            {
                problems.Add(Invariant($"Online.MinExplorationShare must lie in [0, 1] (was {Online.MinExplorationShare})."));
            }

            if (!(Online.DiscountFactor > 0 && Online.DiscountFactor <= 1))
            {
                problems.Add(Invariant($"Online.DiscountFactor must lie in (0, 1] (was {Online.DiscountFactor})."));
            }

            if (!(Online.PriorStrength >= 0 && double.IsFinite(Online.PriorStrength)))
            {
                problems.Add(Invariant($"Online.PriorStrength must be a finite, non-negative number (was {Online.PriorStrength})."));
            }

            if (!Enum.IsDefined(Online.RewardModel))
            {
                problems.Add($"Online.RewardModel is not a defined reward model (was {Online.RewardModel}).");
            }
        }

        if (MinRuntimeSamples < 1)
        {
            problems.Add(Invariant($"{nameof(MinRuntimeSamples)} must be at least 1 (was {MinRuntimeSamples})."));
        }

        if (!(MissingEvidenceScore >= 0 && MissingEvidenceScore <= 1))
        {
            problems.Add(Invariant($"{nameof(MissingEvidenceScore)} must lie in [0, 1] (was {MissingEvidenceScore})."));
        }

        if (DecisionTimeToLive < TimeSpan.Zero)
        {
            problems.Add(Invariant($"{nameof(DecisionTimeToLive)} must not be negative (was {DecisionTimeToLive})."));
        }

        if (DecisionCacheCapacity < 1)
        {
            problems.Add(Invariant($"{nameof(DecisionCacheCapacity)} must be at least 1 (was {DecisionCacheCapacity})."));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid selection options: " + string.Join(" ", problems));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
