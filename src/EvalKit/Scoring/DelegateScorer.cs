using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>A scorer made of a function: an asynchronous one returning a <see cref="Score"/>, or a synchronous one returning a value.</summary>
/// <remarks>
/// The scorer is as thread-safe as the function it wraps. The score's <see cref="Score.Name"/> is always this scorer's
/// <see cref="Name"/>. Exceptions thrown by the function propagate to the caller.
/// </remarks>
public sealed class DelegateScorer : IScorer
{
    private readonly Func<ScoringContext, CancellationToken, ValueTask<Score>>? _asyncScorer;
    private readonly Func<ScoringContext, double>? _valueScorer;
    private readonly double? _passThreshold;

    /// <summary>Initializes a new instance of the <see cref="DelegateScorer"/> class over an asynchronous function.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="scorer">The function; its score is renamed to <paramref name="name"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public DelegateScorer(string name, Func<ScoringContext, CancellationToken, ValueTask<Score>> scorer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scorer);
        Name = name;
        _asyncScorer = scorer;
    }

    /// <summary>Initializes a new instance of the <see cref="DelegateScorer"/> class over a function returning a value.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="scorer">The function; a value that is not finite gives a failed score.</param>
    /// <param name="passThreshold">When set, the answer passes when the value is at least this threshold.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="scorer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="passThreshold"/> is not finite.</exception>
    public DelegateScorer(string name, Func<ScoringContext, double> scorer, double? passThreshold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scorer);
        if (passThreshold is { } t && !double.IsFinite(t))
        {
            throw new ArgumentOutOfRangeException(nameof(passThreshold), t, "The threshold must be finite.");
        }

        Name = name;
        _valueScorer = scorer;
        _passThreshold = passThreshold;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public async ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (_asyncScorer is not null)
        {
            var score = await _asyncScorer(context, cancellationToken).ConfigureAwait(false);
            if (score is null)
            {
                return Score.Failed(Name, "The scoring function returned no score.");
            }

            return string.Equals(score.Name, Name, StringComparison.Ordinal) ? score : score with { Name = Name };
        }

        var value = _valueScorer!(context);
        if (!double.IsFinite(value))
        {
            return Score.Failed(Name, string.Format(CultureInfo.InvariantCulture, "The scoring function returned {0}.", value));
        }

        return new Score { Name = Name, Value = value, Passed = _passThreshold is { } threshold ? value >= threshold : null };
    }
}
