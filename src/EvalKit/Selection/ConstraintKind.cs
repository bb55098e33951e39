namespace EvalKit.Selection;

/// <summary>A hard constraint of a <see cref="SelectionRequest"/>.</summary>
public enum ConstraintKind
{
    /// <summary><see cref="SelectionRequest.MinQuality"/>.</summary>
    MinQuality,

    /// <summary><see cref="SelectionRequest.MinSuccessRate"/>.</summary>
    MinSuccessRate,

    /// <summary><see cref="SelectionRequest.MaxCostPer1kRequests"/>.</summary>
    MaxCostPer1kRequests,

    /// <summary><see cref="SelectionRequest.MaxCostPerMillionTokens"/>.</summary>
    MaxCostPerMillionTokens,

    /// <summary><see cref="SelectionRequest.MaxP95Latency"/>.</summary>
    MaxP95Latency,
}
