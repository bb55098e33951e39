namespace EvalKit.Selection;

/// <summary>The posterior the online learner keeps per model for its reward in [0, 1].</summary>
public enum OnlineRewardModel
{
    /// <summary>
    /// A Beta posterior: a success (or a quality signal q) adds q to α and 1 − q to β. Exact for binary signals; the usual
    /// fractional update for signals in [0, 1].
    /// </summary>
    Beta,

    /// <summary>A Normal posterior of the mean reward (normal–normal with the observed variance), for continuous quality signals.</summary>
    Normal,
}
