using System.Globalization;
using System.Text.RegularExpressions;

namespace EvalKit.Scoring;

/// <summary>
/// Scores 1 when the number read from the answer equals the number of any reference within a tolerance, else 0.
/// </summary>
/// <remarks>
/// <para>
/// Numbers are read with thousands separators (<c>1,234,567.5</c>: commas between groups of exactly three digits),
/// signs (<c>-3</c>, <c>+3</c>, the Unicode minus <c>−3</c>), decimals (<c>.5</c>, <c>2.50</c>), scientific notation
/// (<c>6.02e23</c>, <c>1E-3</c>) and percents (<c>50%</c>, see <see cref="NumericScorerOptions.PercentAsFraction"/>).
/// A sign counts only when it does not follow a letter or digit, so the range <c>3-5</c> reads 3 and 5.
/// </para>
/// <para>
/// An answer without a number fails (<see cref="Score.Passed"/> is <see langword="false"/>, with an explanation);
/// it is not an error. A case whose references hold no number gives a failed score (<see cref="Score.Error"/>).
/// The scorer is stateless and thread-safe.
/// </para>
/// </remarks>
public sealed partial class NumericScorer : IScorer
{
    /// <summary>The default metric name, <c>numeric_match</c>.</summary>
    public const string DefaultName = "numeric_match";

    private readonly NumericScorerOptions _options;

    /// <summary>Initializes a new instance of the <see cref="NumericScorer"/> class.</summary>
    /// <param name="options">The options; <see langword="null"/> for <see cref="NumericScorerOptions.Default"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative or not finite, or the position is not defined.</exception>
    public NumericScorer(NumericScorerOptions? options = null, string name = DefaultName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= NumericScorerOptions.Default;
        if (!double.IsFinite(options.AbsoluteTolerance) || options.AbsoluteTolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AbsoluteTolerance, "The absolute tolerance must be finite and non-negative.");
        }

        if (!double.IsFinite(options.RelativeTolerance) || options.RelativeTolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RelativeTolerance, "The relative tolerance must be finite and non-negative.");
        }

        if (!Enum.IsDefined(options.Position))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Position, "Unknown number position.");
        }

        _options = options;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Reads a number out of a text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="position">Which number to read.</param>
    /// <param name="percentAsFraction">Whether a number followed by <c>%</c> is divided by 100.</param>
    /// <param name="value">The number, when found.</param>
    /// <returns><see langword="true"/> when the text holds a finite number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool TryExtractNumber(string text, NumberPosition position, bool percentAsFraction, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        var found = false;
        foreach (var match in NumberRegex().EnumerateMatches(text))
        {
            if (TryParse(text.AsSpan(match.Index, match.Length), percentAsFraction, out var v))
            {
                value = v;
                found = true;
                if (position == NumberPosition.First)
                {
                    return true;
                }
            }
        }

        return found;
    }

    /// <summary>Tells whether two numbers are equal within the tolerances: |a − b| ≤ max(absolute, relative × max(|a|, |b|)).</summary>
    /// <param name="a">The first number.</param>
    /// <param name="b">The second number.</param>
    /// <param name="absoluteTolerance">The absolute tolerance.</param>
    /// <param name="relativeTolerance">The relative tolerance.</param>
    /// <returns><see langword="true"/> when the numbers are close.</returns>
    public static bool AreClose(double a, double b, double absoluteTolerance, double relativeTolerance)
    {
        if (a == b)
        {
            return true;
        }

        var difference = Math.Abs(a - b);
        return difference <= absoluteTolerance || difference <= relativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.References.Count == 0)
        {
            return ValueTask.FromResult(ScorerErrors.NoReference(Name, context));
        }

        var references = new List<double>(context.References.Count);
        foreach (var reference in context.References)
        {
            if (TryExtractNumber(reference, NumberPosition.First, _options.PercentAsFraction, out var r))
            {
                references.Add(r);
            }
        }

        if (references.Count == 0)
        {
            return ValueTask.FromResult(Score.Failed(
                Name,
                string.Format(CultureInfo.InvariantCulture, "No reference of case '{0}' holds a number.", context.Case.Id)));
        }

        if (!TryExtractNumber(context.Output, _options.Position, _options.PercentAsFraction, out var answer))
        {
            return ValueTask.FromResult(Score.FromPass(Name, false) with { Explanation = "The answer holds no number." });
        }

        var label = answer.ToString("R", CultureInfo.InvariantCulture);
        foreach (var r in references)
        {
            if (AreClose(answer, r, _options.AbsoluteTolerance, _options.RelativeTolerance))
            {
                return ValueTask.FromResult(Score.FromPass(Name, true) with { Label = label });
            }
        }

        return ValueTask.FromResult(Score.FromPass(Name, false) with
        {
            Label = label,
            Explanation = string.Format(
                CultureInfo.InvariantCulture,
                "The answer's number {0} differs from the reference {1}.",
                label,
                string.Join(" / ", references.Select(r => r.ToString("R", CultureInfo.InvariantCulture)))),
        });
    }

    private static bool TryParse(ReadOnlySpan<char> token, bool percentAsFraction, out double value)
    {
        Span<char> buffer = token.Length <= 128 ? stackalloc char[token.Length] : new char[token.Length];
        var length = 0;
        var percent = false;
        foreach (var c in token)
        {
            switch (c)
            {
                case ',':
                case ' ':
                    break;
                case '%':
                    percent = true;
                    break;
                case '\u2212':
                    buffer[length++] = '-';
                    break;
                default:
                    buffer[length++] = c;
                    break;
            }
        }

        if (!double.TryParse(buffer[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return false;
        }

        if (percent && percentAsFraction)
        {
            value /= 100;
        }

        return true;
    }

    [GeneratedRegex(
        @"(?:(?<![\p{L}\p{N}_.])[-+\u2212])?(?<![\d.])(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?(?:\s?%)?",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex NumberRegex();
}
