using System.Globalization;
using System.Text.RegularExpressions;

namespace EvalKit.Scoring;

/// <summary>
/// Scores 1 when the choice letter read from the answer equals the reference's letter, else 0.
/// </summary>
/// <remarks>
/// <para>
/// The letter is read by the first rule that finds one, in this order (letters compare case-insensitively):
/// </para>
/// <list type="number">
/// <item>the last explicit statement, such as <c>The answer is (B)</c>, <c>Answer: d</c>, <c>correct option is **C**</c>
/// or <c>Final answer: B.</c>; a lowercase letter counts only when wrapped or followed by punctuation or the end
/// (so <c>the answer is a bit unclear</c> reads nothing);</item>
/// <item>the whole answer being one letter, possibly wrapped: <c>B</c>, <c>(b)</c>, <c>**C**</c>, <c>D.</c>;</item>
/// <item>the last bold letter, <c>**C**</c> or <c>**(C)**</c>;</item>
/// <item>a letter that opens the answer followed by <c>)</c>, <c>.</c> or <c>:</c>, as <c>B) Paris</c>;</item>
/// <item>the last parenthesized capital letter, <c>(B)</c>.</item>
/// </list>
/// <para>
/// An answer without a letter fails with an explanation (not an error); the letter read goes to <see cref="Score.Label"/>.
/// The reference is read with the same rules. The scorer is stateless and thread-safe.
/// </para>
/// </remarks>
public sealed class MultipleChoiceScorer : IScorer
{
    /// <summary>The default metric name, <c>multiple_choice</c>.</summary>
    public const string DefaultName = "multiple_choice";

    /// <summary>The default choice letters, <c>ABCDE</c>.</summary>
    public const string DefaultLetters = "ABCDE";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);
    private readonly Regex[] _rules;

    /// <summary>Initializes a new instance of the <see cref="MultipleChoiceScorer"/> class.</summary>
    /// <param name="letters">The choice letters (ASCII letters or digits, case-insensitive), such as <c>ABCD</c>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="letters"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="letters"/> is empty, repeats a letter or holds a character that is not an ASCII letter or digit; or <paramref name="name"/> is empty.</exception>
    public MultipleChoiceScorer(string letters = DefaultLetters, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(letters);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (letters.Length == 0)
        {
            throw new ArgumentException("At least one choice letter is required.", nameof(letters));
        }

        var upper = letters.ToUpperInvariant();
        if (upper.Any(c => !char.IsAsciiLetterOrDigit(c)) || upper.Distinct().Count() != upper.Length)
        {
            throw new ArgumentException("The choice letters must be distinct ASCII letters or digits.", nameof(letters));
        }

        Letters = upper;
        Name = name;
        _rules = BuildRules(upper);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the choice letters, upper-cased.</summary>
    public string Letters { get; }

    /// <summary>Reads the choice letter out of an answer.</summary>
    /// <param name="text">The answer.</param>
    /// <param name="letter">The upper-case letter, when found.</param>
    /// <returns><see langword="true"/> when a letter was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public bool TryExtractChoice(string text, out char letter)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rule in _rules)
        {
            Match? last = null;
            for (var m = rule.Match(text); m.Success; m = m.NextMatch())
            {
                last = m;
            }

            if (last is not null)
            {
                letter = char.ToUpperInvariant(last.Groups["l"].Value[0]);
                return true;
            }
        }

        letter = default;
        return false;
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

        var expected = new List<char>(context.References.Count);
        foreach (var reference in context.References)
        {
            if (TryExtractChoice(reference, out var r))
            {
                expected.Add(r);
            }
        }

        if (expected.Count == 0)
        {
            return ValueTask.FromResult(Score.Failed(
                Name,
                string.Format(CultureInfo.InvariantCulture, "No reference of case '{0}' is one of the letters {1}.", context.Case.Id, Letters)));
        }

        if (!TryExtractChoice(context.Output, out var answer))
        {
            return ValueTask.FromResult(Score.FromPass(Name, false) with
            {
                Explanation = string.Format(CultureInfo.InvariantCulture, "The answer names none of the letters {0}.", Letters),
            });
        }

        var label = answer.ToString();
        return ValueTask.FromResult(expected.Contains(answer)
            ? Score.FromPass(Name, true) with { Label = label }
            : Score.FromPass(Name, false) with
            {
                Label = label,
                Explanation = string.Format(CultureInfo.InvariantCulture, "The answer chose {0}; expected {1}.", label, string.Join(" or ", expected)),
            });
    }

    private static Regex[] BuildRules(string letters)
    {
        var set = "[" + Regex.Escape(letters) + "]";
        var lower = "[" + Regex.Escape(letters.ToLowerInvariant()) + "]";

        // A letter: capital anywhere, lowercase only when wrapped or followed by punctuation / end.
        var wrapped = @"(?:\*\*|__|[\(\[""'`*])";
        var letter =
            $@"(?:{wrapped}+\s*(?<l>{set}|{lower})\s*(?:\*\*|__|[\)\]""'`*])+|(?<l>{set})(?![\p{{L}}\p{{N}}])|(?<l>{lower})(?=\s*(?:$|[.,;:!?)\]*]|\r?\n)))";
        var statement =
            $@"(?i:answer|option|choice|solution)(?:\s+is|\s+would\s+be|\s+should\s+be)?\s*(?:[:=\-]|is)?\s*(?:(?i:option|choice)\s+)?{letter}";
        var options = RegexOptions.CultureInvariant | RegexOptions.Multiline;
        return
        [
            new Regex(statement, options, MatchTimeout),
            new Regex($@"\A\s*{wrapped}*\s*(?<l>{set}|{lower})\s*(?:\*\*|__|[\)\]""'`*])*\s*[.:]?\s*\z", options, MatchTimeout),
            new Regex($@"\*\*\s*\(?(?<l>{set}|{lower})\)?\s*\*\*", options, MatchTimeout),
            new Regex($@"\A\s*(?<l>{set}|{lower})\s*[).:]", options, MatchTimeout),
            new Regex($@"\((?<l>{set})\)", options, MatchTimeout),
        ];
    }
}
