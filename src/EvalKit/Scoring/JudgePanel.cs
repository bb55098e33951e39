using System.Globalization;
using System.Text;

namespace EvalKit.Scoring;

/// <summary>
/// A panel of judges (any scorers, usually <see cref="JudgeScorer"/>s over different models) scoring the same answer;
/// the value is the mean of the judges that succeeded.
/// </summary>
/// <remarks>
/// Judges run concurrently. Failed judges are left out of the mean and listed in the explanation; when all fail, the
/// panel's score fails. <see cref="Score.Passed"/> is the majority of the judges' pass verdicts when every successful
/// judge gives one (a tie fails). Keep the judges' individual scores with <see cref="ScoreEachAsync"/> to measure their
/// agreement with <see cref="JudgeAgreement"/>. The panel's <see cref="Score.Usage"/> lists the usage of every judge's
/// calls. The panel is thread-safe when its judges are.
/// </remarks>
public sealed class JudgePanel : IScorer
{
    /// <summary>The default metric name, <c>judge_panel</c>.</summary>
    public const string DefaultName = "judge_panel";

    /// <summary>Initializes a new instance of the <see cref="JudgePanel"/> class.</summary>
    /// <param name="judges">The judges, at least one.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="judges"/>, a judge or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="judges"/> is empty, or <paramref name="name"/> is empty.</exception>
    public JudgePanel(IEnumerable<IScorer> judges, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(judges);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        IScorer[] list = [.. judges];
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one judge is required.", nameof(judges));
        }

        if (list.Any(j => j is null))
        {
            throw new ArgumentNullException(nameof(judges), "A judge is null.");
        }

        Judges = list;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the judges, in order.</summary>
    public IReadOnlyList<IScorer> Judges { get; }

    /// <summary>Scores the answer with every judge, concurrently.</summary>
    /// <param name="context">The case and the answer.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The judges' scores, in the order of <see cref="Judges"/>; a judge that threw gives a failed score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<Score>> ScoreEachAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tasks = new Task<Score>[Judges.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = RunAsync(Judges[i], context, cancellationToken);
        }

        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        var scores = await ScoreEachAsync(context, cancellationToken).ConfigureAwait(false);
        return Combine(scores);
    }

    /// <summary>Combines the judges' scores into the panel's score.</summary>
    /// <param name="scores">The judges' scores.</param>
    /// <returns>The panel's score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> is <see langword="null"/>.</exception>
    public Score Combine(IReadOnlyList<Score> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var explanation = new StringBuilder();
        double sum = 0;
        int count = 0, passes = 0, verdicts = 0;
        List<ScoreUsage>? usage = null;
        foreach (var score in scores)
        {
            // Every judge's calls count, whether or not its score does.
            if (score.Usage is { } judgeUsage)
            {
                (usage ??= []).AddRange(judgeUsage);
            }

            if (explanation.Length > 0)
            {
                explanation.Append("; ");
            }

            if (score.Value is { } value)
            {
                sum += value;
                count++;
                if (score.Passed is { } passed)
                {
                    verdicts++;
                    passes += passed ? 1 : 0;
                }

                explanation.Append(CultureInfo.InvariantCulture, $"{score.Name}: {value}");
            }
            else
            {
                explanation.Append(CultureInfo.InvariantCulture, $"{score.Name}: failed ({score.Error})");
            }
        }

        if (count == 0)
        {
            return Score.Failed(Name, "Every judge failed: " + explanation) with { Usage = usage };
        }

        return new Score
        {
            Name = Name,
            Value = sum / count,
            Passed = verdicts == count ? passes * 2 > count : null,
            Explanation = explanation.ToString(),
            Usage = usage,
        };
    }

    private static async Task<Score> RunAsync(IScorer judge, ScoringContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await judge.ScoreAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Score.Failed(judge.Name, Security.SecretText.Scrub(ex.Message));
        }
    }
}
