namespace EvalKit.Scoring;

/// <summary>One scorer's verdict on one answer.</summary>
public sealed record Score
{
    private readonly IReadOnlyList<ScoreUsage>? _usage;

    /// <summary>Gets the metric name, such as <c>exact_match</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the value, or <see langword="null"/> when the scorer failed (see <see cref="Error"/>).</summary>
    public double? Value { get; init; }

    /// <summary>Gets whether the answer passed, for pass/fail metrics.</summary>
    public bool? Passed { get; init; }

    /// <summary>Gets a label, such as a judge's verdict.</summary>
    public string? Label { get; init; }

    /// <summary>Gets the scorer's explanation, if it gives one.</summary>
    public string? Explanation { get; init; }

    /// <summary>Gets the error, when the scorer failed; the model's answer is kept regardless.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Gets what the scorer's own model calls used and cost for this answer (a judge, a panel of judges, an embedding
    /// model), one entry per model or per call, or <see langword="null"/> when the scorer called no model.
    /// </summary>
    public IReadOnlyList<ScoreUsage>? Usage
    {
        get => _usage;
        init => _usage = value is null || value.Count == 0 ? null : [.. value];
    }

    /// <summary>Creates a pass/fail score with the value 1 or 0.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="passed">Whether the answer passed.</param>
    /// <returns>The score.</returns>
    public static Score FromPass(string name, bool passed) => new() { Name = name, Value = passed ? 1.0 : 0.0, Passed = passed };

    /// <summary>Creates the score of a scorer that failed.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="error">What went wrong.</param>
    /// <returns>The score, without a value.</returns>
    public static Score Failed(string name, string error) => new() { Name = name, Error = error };

    /// <inheritdoc/>
    public bool Equals(Score? other) =>
        other is not null
        && Name == other.Name && Nullable.Equals(Value, other.Value) && Passed == other.Passed && Label == other.Label
        && Explanation == other.Explanation && Error == other.Error
        && (Usage is null ? other.Usage is null : other.Usage is not null && Usage.SequenceEqual(other.Usage));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Value, Passed, Label, Explanation, Error, Usage?.Count);
}
