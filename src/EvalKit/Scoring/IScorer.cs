namespace EvalKit.Scoring;

/// <summary>Scores a model's answer. Implementations are thread-safe: the engine calls one instance concurrently.</summary>
public interface IScorer
{
    /// <summary>Gets the metric name the scorer produces, unique among the scorers of a run.</summary>
    string Name { get; }

    /// <summary>Scores one answer.</summary>
    /// <param name="context">The case and the answer.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The score. A scorer that cannot score returns <see cref="Score.Failed(string, string)"/> or throws; the engine records either as an error of this score.</returns>
    ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default);
}
