using EvalKit.Scoring;

namespace EvalKit.Evaluation;

/// <summary>The result of one (case, repetition) of a run: the answer, its scores, timing, usage and cost, or the error.</summary>
public sealed record CaseResult
{
    private readonly IReadOnlyList<Score> _scores = [];

    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the case's ordinal in its dataset (0-based); with <see cref="Repetition"/> it is the result's key in the run.</summary>
    public required long CaseOrdinal { get; init; }

    /// <summary>Gets the case id.</summary>
    public required string CaseId { get; init; }

    /// <summary>Gets the repetition (0-based).</summary>
    public int Repetition { get; init; }

    /// <summary>Gets the case's group, copied from the case for clustered statistics.</summary>
    public string? Group { get; init; }

    /// <summary>Gets the model's answer, or <see langword="null"/> when the call failed.</summary>
    public string? Output { get; init; }

    /// <summary>Gets the scores.</summary>
    public IReadOnlyList<Score> Scores
    {
        get => _scores;
        init => _scores = value is null ? [] : [.. value];
    }

    /// <summary>Gets the time the model call took (the last attempt), or <see langword="null"/> for cached answers.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>Gets the time to the first streamed token (the last attempt), when the run streams answers.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Gets the input tokens, or <see langword="null"/> when the model did not report them.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the output tokens, or <see langword="null"/> when the model did not report them.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets the cost, or <see langword="null"/> when pricing or token counts are unknown.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets the error, when the model call failed.</summary>
    public CaseError? Error { get; init; }

    /// <summary>Gets how many times the call was retried.</summary>
    public int RetryCount { get; init; }

    /// <summary>Gets whether the answer came from the response cache.</summary>
    public bool Cached { get; init; }

    /// <summary>Gets when the result was produced.</summary>
    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>Gets the response-cache key of the call, while the result is on its way to the store (not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal string? CacheKey { get; init; }

    /// <summary>Gets whether the model call succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Finds a score by metric name.</summary>
    /// <param name="name">The metric name.</param>
    /// <returns>The score, or <see langword="null"/>.</returns>
    public Score? GetScore(string name)
    {
        for (var i = 0; i < _scores.Count; i++)
        {
            if (string.Equals(_scores[i].Name, name, StringComparison.Ordinal))
            {
                return _scores[i];
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public bool Equals(CaseResult? other) =>
        other is not null
        && RunId == other.RunId && CaseOrdinal == other.CaseOrdinal && CaseId == other.CaseId && Repetition == other.Repetition
        && Group == other.Group && Output == other.Output && Scores.SequenceEqual(other.Scores) && Latency == other.Latency
        && TimeToFirstToken == other.TimeToFirstToken
        && InputTokens == other.InputTokens && OutputTokens == other.OutputTokens && Cost == other.Cost && Equals(Error, other.Error)
        && RetryCount == other.RetryCount && Cached == other.Cached && CompletedAt == other.CompletedAt;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RunId, CaseOrdinal, Repetition);
}
