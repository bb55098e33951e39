using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace EvalKit.Scoring;

/// <summary>
/// Compares two answers to one input with a judge model, asking twice with the answers' positions swapped to cancel
/// position bias; the orders' outcomes are combined into a <see cref="PairwiseVerdict"/>.
/// </summary>
/// <remarks>
/// The judge's reply is read as a JSON object with a <c>winner</c> of <c>"1"</c>, <c>"2"</c> or <c>"tie"</c>, else a
/// <c>Winner: 1</c> line, else a <c>[[1]]</c>, <c>[[2]]</c> or <c>[[tie]]</c> mark. The judge client is used but not
/// owned. The class is thread-safe.
/// </remarks>
public sealed partial class PairwiseJudge
{
    private static readonly string[] WinnerKeys = ["winner", "better", "verdict"];
    private readonly IChatClient _judge;
    private readonly PairwiseJudgeOptions _options;

    /// <summary>Initializes a new instance of the <see cref="PairwiseJudge"/> class.</summary>
    /// <param name="judge">The judge model's chat client; not disposed.</param>
    /// <param name="options">The options; <see langword="null"/> for <see cref="PairwiseJudgeOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="judge"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The prompt template is empty.</exception>
    public PairwiseJudge(IChatClient judge, PairwiseJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(judge);
        options ??= PairwiseJudgeOptions.Default;
        if (string.IsNullOrWhiteSpace(options.PromptTemplate))
        {
            throw new ArgumentException("The prompt template is empty.", nameof(options));
        }

        _judge = judge;
        _options = options;
    }

    /// <summary>Reads the position that won from a judge's reply.</summary>
    /// <param name="verdict">The reply.</param>
    /// <param name="position">1 or 2 for the winning position, 0 for a tie.</param>
    /// <returns><see langword="true"/> when the reply names a winner or a tie.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="verdict"/> is <see langword="null"/>.</exception>
    public static bool TryParseVerdict(string verdict, out int position)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (JudgeText.TryFindJsonObject(verdict, WinnerKeys, out var element, out var owner))
        {
            using (owner)
            {
                JudgeText.TryGetProperty(element, WinnerKeys, out var winner);
                var text = winner.ValueKind switch
                {
                    JsonValueKind.String => winner.GetString(),
                    JsonValueKind.Number => winner.GetRawText(),
                    _ => null,
                };
                return TryReadPosition(text, out position);
            }
        }

        var line = JudgeText.LastLineValue(verdict, "winner|better response|verdict");
        if (line is not null && TryReadPosition(line, out position))
        {
            return true;
        }

        var marks = MarkRegex().Matches(verdict);
        if (marks.Count > 0)
        {
            return TryReadPosition(marks[^1].Groups[1].Value, out position);
        }

        position = -1;
        return false;
    }

    /// <summary>Compares two answers, asking the judge with A first and then with B first.</summary>
    /// <param name="input">The input both answers respond to.</param>
    /// <param name="answerA">Answer A.</param>
    /// <param name="answerB">Answer B.</param>
    /// <param name="reference">A reference answer, if any.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/>, <paramref name="answerA"/> or <paramref name="answerB"/> is <see langword="null"/>.</exception>
    /// <exception cref="EvalKitException">A reply of the judge names no winner; the message holds the raw reply.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<PairwiseVerdict> CompareAsync(
        string input,
        string answerA,
        string answerB,
        string? reference = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(answerA);
        ArgumentNullException.ThrowIfNull(answerB);
        var (firstPosition, firstVerdict, firstResponse) = await AskAsync(input, answerA, answerB, reference, cancellationToken).ConfigureAwait(false);
        var (swappedPosition, swappedVerdict, swappedResponse) = await AskAsync(input, answerB, answerA, reference, cancellationToken).ConfigureAwait(false);
        var first = firstPosition switch { 1 => PairwiseOutcome.AWins, 2 => PairwiseOutcome.BWins, _ => PairwiseOutcome.Tie };
        var swapped = swappedPosition switch { 1 => PairwiseOutcome.BWins, 2 => PairwiseOutcome.AWins, _ => PairwiseOutcome.Tie };
        var consistent = first == swapped;
        return new PairwiseVerdict(consistent ? first : PairwiseOutcome.Tie, consistent, first, swapped, firstVerdict, swappedVerdict)
        {
            Usage = new ScoreUsage
            {
                Kind = ScoreUsageKind.Judge,
                ModelId = ScoreUsage.JudgeModelId(_options.ModelId, _judge, firstResponse),
                Calls = 2,
                InputTokens = firstResponse.Usage?.InputTokenCount + swappedResponse.Usage?.InputTokenCount,
                OutputTokens = firstResponse.Usage?.OutputTokenCount + swappedResponse.Usage?.OutputTokenCount,
            },
        };
    }

    private async Task<(int Position, string Verdict, ChatResponse Response)> AskAsync(
        string input,
        string response1,
        string response2,
        string? reference,
        CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = input,
            ["response_1"] = response1,
            ["response_2"] = response2,
            ["reference"] = string.IsNullOrEmpty(reference) ? "(none)" : reference,
        };
        var prompt = JudgeText.Render(_options.PromptTemplate, values);
        var response = await _judge.GetResponseAsync(prompt, _options.ChatOptions?.Clone(), cancellationToken).ConfigureAwait(false);
        var verdict = response.Text ?? string.Empty;
        if (!TryParseVerdict(verdict, out var position))
        {
            throw new EvalKitException(string.Format(CultureInfo.InvariantCulture, "Unparsable pairwise judge verdict: {0}", verdict));
        }

        return (position, verdict, response);
    }

    private static bool TryReadPosition(string? text, out int position)
    {
        var t = text?.Trim().Trim('*', '"', '\'', '.', '[', ']', '(', ')').Trim() ?? string.Empty;
        if (t.StartsWith("response", StringComparison.OrdinalIgnoreCase))
        {
            t = t["response".Length..].Trim();
        }

        position = t.ToUpperInvariant() switch
        {
            "1" or "A" => 1,
            "2" or "B" => 2,
            "TIE" or "0" or "DRAW" or "EQUAL" or "NONE" => 0,
            _ => -1,
        };
        return position >= 0;
    }

    [GeneratedRegex(@"\[\[\s*(1|2|tie)\s*\]\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MarkRegex();
}
