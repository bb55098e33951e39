namespace EvalKit.Experiments;

/// <summary>The cases that flipped between two runs on the primary metric, A being the earlier run of the pair.</summary>
public sealed record RunPairFlips
{
    private readonly IReadOnlyList<FlippedCase> _passToFail = [];
    private readonly IReadOnlyList<FlippedCase> _failToPass = [];

    /// <summary>Gets the first run's label.</summary>
    public required string LabelA { get; init; }

    /// <summary>Gets the second run's label.</summary>
    public required string LabelB { get; init; }

    /// <summary>Gets the cases that passed in A and fail in B (regressions when A is the baseline), by ordinal.</summary>
    public IReadOnlyList<FlippedCase> PassToFail
    {
        get => _passToFail;
        init => _passToFail = value is null ? [] : [.. value];
    }

    /// <summary>Gets the cases that failed in A and pass in B (improvements when A is the baseline), by ordinal.</summary>
    public IReadOnlyList<FlippedCase> FailToPass
    {
        get => _failToPass;
        init => _failToPass = value is null ? [] : [.. value];
    }
}
