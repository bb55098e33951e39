using System.Globalization;
using System.Text.RegularExpressions;

namespace EvalKit.Scoring;

/// <summary>
/// Scores 1 when a regular expression matches the answer, else 0. The pattern is either fixed or, with
/// <see cref="FromReferences"/>, each reference of the case (the answer passes when any of them matches).
/// </summary>
/// <remarks>
/// Every match runs with a timeout; a pattern that times out or a reference that is not a valid pattern gives
/// a failed score (<see cref="Score.Error"/>), not a fail. The matched text goes to <see cref="Score.Label"/>.
/// The scorer is thread-safe.
/// </remarks>
public sealed class RegexScorer : IScorer
{
    /// <summary>The default metric name, <c>regex</c>.</summary>
    public const string DefaultName = "regex";

    /// <summary>The default match timeout: one second.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _regex;
    private readonly RegexOptions _options;
    private readonly TimeSpan _timeout;

    /// <summary>Initializes a new instance of the <see cref="RegexScorer"/> class with a fixed pattern.</summary>
    /// <param name="pattern">The pattern searched for in the answer.</param>
    /// <param name="options">The regular expression options.</param>
    /// <param name="timeout">The match timeout; <see langword="null"/> for <see cref="DefaultTimeout"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is not a valid regular expression, or <paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public RegexScorer(string pattern, RegexOptions options = RegexOptions.None, TimeSpan? timeout = null, string name = DefaultName)
        : this(options, timeout, name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _regex = new Regex(pattern, options, _timeout);
        Pattern = pattern;
    }

    private RegexScorer(RegexOptions options, TimeSpan? timeout, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var t = timeout ?? DefaultTimeout;
        if (t <= TimeSpan.Zero && t != Regex.InfiniteMatchTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "The timeout must be positive.");
        }

        _options = options;
        _timeout = t;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the fixed pattern, or <see langword="null"/> when the references are the patterns.</summary>
    public string? Pattern { get; }

    /// <summary>Creates a scorer that uses each reference of a case as the pattern.</summary>
    /// <param name="options">The regular expression options.</param>
    /// <param name="timeout">The match timeout; <see langword="null"/> for <see cref="DefaultTimeout"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <returns>The scorer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static RegexScorer FromReferences(RegexOptions options = RegexOptions.None, TimeSpan? timeout = null, string name = DefaultName) =>
        new(options, timeout, name);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (_regex is not null)
        {
            return ValueTask.FromResult(Run(_regex, context.Output));
        }

        if (context.References.Count == 0)
        {
            return ValueTask.FromResult(ScorerErrors.NoReference(Name, context));
        }

        for (var i = 0; i < context.References.Count; i++)
        {
            Regex regex;
            try
            {
                regex = new Regex(context.References[i], _options, _timeout);
            }
            catch (ArgumentException ex)
            {
                return ValueTask.FromResult(Score.Failed(
                    Name,
                    string.Format(CultureInfo.InvariantCulture, "Reference {0} of case '{1}' is not a valid pattern: {2}", i, context.Case.Id, ex.Message)));
            }

            var score = Run(regex, context.Output);
            if (score.Passed != false)
            {
                return ValueTask.FromResult(score);
            }
        }

        return ValueTask.FromResult(Score.FromPass(Name, false) with { Explanation = "No reference pattern matches the answer." });
    }

    private Score Run(Regex regex, string output)
    {
        try
        {
            var match = regex.Match(output);
            return match.Success
                ? Score.FromPass(Name, true) with { Label = match.Value }
                : Score.FromPass(Name, false) with
                {
                    Explanation = string.Format(CultureInfo.InvariantCulture, "The pattern '{0}' does not match the answer.", regex),
                };
        }
        catch (RegexMatchTimeoutException)
        {
            return Score.Failed(
                Name,
                string.Format(CultureInfo.InvariantCulture, "The pattern '{0}' timed out after {1} ms.", regex, regex.MatchTimeout.TotalMilliseconds));
        }
    }
}
