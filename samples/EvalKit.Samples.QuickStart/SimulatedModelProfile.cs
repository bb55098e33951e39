namespace EvalKit.Samples.QuickStart;

/// <summary>How a simulated local model answers: how often it is wrong, how, how fast, and how often its calls fail.</summary>
public sealed record SimulatedModelProfile
{
    /// <summary>Gets the model id, such as <c>local/oracle-large</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the share of prompts, in percent, that the model answers wrongly (chosen by a stable hash of the prompt).</summary>
    public int WrongPercent { get; init; }

    /// <summary>Gets what a wrong answer looks like.</summary>
    public MistakeStyle Mistakes { get; init; } = MistakeStyle.Abstains;

    /// <summary>Gets the shortest simulated latency, in milliseconds.</summary>
    public int MinLatencyMilliseconds { get; init; } = 1;

    /// <summary>Gets the longest simulated latency, in milliseconds.</summary>
    public int MaxLatencyMilliseconds { get; init; } = 1;

    /// <summary>Gets the share of prompts, in percent, whose first attempt fails with a transient error (a retry succeeds).</summary>
    public int FirstAttemptFailurePercent { get; init; }

    /// <summary>Gets the share of prompts, in percent, whose every attempt fails with a transient error.</summary>
    public int PersistentFailurePercent { get; init; }
}
