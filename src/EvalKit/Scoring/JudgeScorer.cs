using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace EvalKit.Scoring;

/// <summary>
/// LLM-as-judge: asks a judge model to rate the answer on a declared scale with a rubric prompt, and reads its verdict.
/// </summary>
/// <remarks>
/// <para>
/// The verdict is read by <see cref="TryParseVerdict(string, out double, out string?)"/>: a JSON object such as
/// <c>{"score": 4, "reason": "..."}</c> (anywhere in the reply, also inside a code fence), else a <c>Score: 4</c>
/// (or <c>Rating: 4/5</c>) line. A verdict that cannot be read, or whose score lies outside
/// [<see cref="JudgeOptions.MinScore"/>, <see cref="JudgeOptions.MaxScore"/>], gives a failed score whose
/// <see cref="Score.Error"/> holds the raw verdict, never a silent zero.
/// </para>
/// <para>
/// The value is the raw score, or 0..1 with <see cref="JudgeOptions.Normalize"/>; <see cref="Score.Label"/> is the raw
/// score. Exceptions of the chat client propagate. The judge client is used but not owned. The scorer is thread-safe.
/// </para>
/// <para>
/// Every score, failed or not, carries the judge call's usage in <see cref="Score.Usage"/> (see <see cref="JudgeOptions.ModelId"/>).
/// </para>
/// </remarks>
public sealed partial class JudgeScorer : IScorer
{
    /// <summary>The default metric name, <c>judge</c>.</summary>
    public const string DefaultName = "judge";

    private static readonly string[] ScoreKeys = ["score", "rating", "grade"];
    private static readonly string[] ReasonKeys = ["reason", "reasoning", "explanation", "rationale"];

    private readonly IChatClient _judge;
    private readonly JudgeOptions _options;

    /// <summary>Initializes a new instance of the <see cref="JudgeScorer"/> class.</summary>
    /// <param name="judge">The judge model's chat client; not disposed by the scorer.</param>
    /// <param name="options">The options; <see langword="null"/> for <see cref="JudgeOptions.Default"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="judge"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or the prompt template is empty or lacks <c>{{output}}</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not finite or its minimum is not below its maximum.</exception>
    public JudgeScorer(IChatClient judge, JudgeOptions? options = null, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= JudgeOptions.Default;
        if (string.IsNullOrWhiteSpace(options.PromptTemplate) || !OutputPlaceholderRegex().IsMatch(options.PromptTemplate))
        {
            throw new ArgumentException("The prompt template must contain the {{output}} placeholder.", nameof(options));
        }

        if (!double.IsFinite(options.MinScore) || !double.IsFinite(options.MaxScore) || options.MinScore >= options.MaxScore)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The scale must be finite with its minimum below its maximum.");
        }

        _judge = judge;
        _options = options;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Reads a judge's verdict: a JSON object with a <c>score</c> (or <c>rating</c>, <c>grade</c>), else a <c>Score: n</c> line.</summary>
    /// <param name="verdict">The judge's reply.</param>
    /// <param name="score">The score, when found.</param>
    /// <param name="reason">The reason (<c>reason</c>, <c>explanation</c>, <c>rationale</c> or a <c>Reason:</c> line), when given.</param>
    /// <returns><see langword="true"/> when a score was found; its range is not checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="verdict"/> is <see langword="null"/>.</exception>
    public static bool TryParseVerdict(string verdict, out double score, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        score = 0;
        reason = null;
        if (JudgeText.TryFindJsonObject(verdict, ScoreKeys, out var element, out var owner))
        {
            using (owner)
            {
                JudgeText.TryGetProperty(element, ScoreKeys, out var scoreElement);
                if (!JudgeText.TryGetNumber(scoreElement, out score))
                {
                    return false;
                }

                if (JudgeText.TryGetProperty(element, ReasonKeys, out var reasonElement))
                {
                    reason = reasonElement.ValueKind == JsonValueKind.String ? reasonElement.GetString() : reasonElement.GetRawText();
                }

                return true;
            }
        }

        var line = JudgeText.LastLineValue(verdict, "score|rating|grade");
        if (line is null)
        {
            return false;
        }

        var number = LeadingNumberRegex().Match(line);
        if (!number.Success
            || !double.TryParse(number.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out score)
            || !double.IsFinite(score))
        {
            score = 0;
            return false;
        }

        reason = JudgeText.LastLineValue(verdict, "reason|reasoning|explanation|rationale");
        return true;
    }

    /// <summary>Renders the prompt for a case and answer.</summary>
    /// <param name="context">The case and the answer.</param>
    /// <returns>The prompt sent to the judge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public string RenderPrompt(ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = context.Case.Input.ToPromptText(),
            ["output"] = context.Output,
            ["reference"] = context.References.Count == 0 ? "(none)" : string.Join('\n', context.References),
            ["min"] = _options.MinScore.ToString(CultureInfo.InvariantCulture),
            ["max"] = _options.MaxScore.ToString(CultureInfo.InvariantCulture),
        };
        return JudgeText.Render(_options.PromptTemplate, values);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prompt = RenderPrompt(context);
        var response = await _judge.GetResponseAsync(prompt, _options.ChatOptions?.Clone(), cancellationToken).ConfigureAwait(false);
        var verdict = response.Text ?? string.Empty;

        // The call was made whatever the verdict: its usage goes with the score, failed or not.
        ScoreUsage[] usage = [ScoreUsage.Judge(ScoreUsage.JudgeModelId(_options.ModelId, _judge, response), response.Usage)];
        if (!TryParseVerdict(verdict, out var score, out var reason))
        {
            return Score.Failed(Name, "Unparsable judge verdict: " + verdict) with { Usage = usage };
        }

        if (score < _options.MinScore || score > _options.MaxScore)
        {
            return Score.Failed(
                Name,
                string.Format(
                    CultureInfo.InvariantCulture,
                    "Judge score {0} is outside the scale {1} to {2}; verdict: {3}",
                    score,
                    _options.MinScore,
                    _options.MaxScore,
                    verdict)) with { Usage = usage };
        }

        return new Score
        {
            Name = Name,
            Value = _options.Normalize ? (score - _options.MinScore) / (_options.MaxScore - _options.MinScore) : score,
            Passed = _options.PassThreshold is { } threshold ? score >= threshold : null,
            Label = score.ToString(CultureInfo.InvariantCulture),
            Explanation = _options.IncludeReason ? reason : null,
            Usage = usage,
        };
    }

    [GeneratedRegex(@"^\(?([-+]?\d+(?:\.\d+)?)(?!\d)(?!\.\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LeadingNumberRegex();

    [GeneratedRegex(@"\{\{\s*output\s*\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OutputPlaceholderRegex();
}
