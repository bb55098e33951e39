using System.Text.Json;

namespace EvalKit.Scoring;

/// <summary>Scores 1 when the answer is valid JSON (RFC 8259, no comments or trailing commas), else 0 with the parser's message.</summary>
/// <remarks>The scorer is stateless and thread-safe. It needs no reference.</remarks>
public sealed class JsonValidityScorer : IScorer
{
    /// <summary>The default metric name, <c>json_valid</c>.</summary>
    public const string DefaultName = "json_valid";

    private readonly bool _stripCodeFences;

    /// <summary>Initializes a new instance of the <see cref="JsonValidityScorer"/> class.</summary>
    /// <param name="stripCodeFences">Whether a Markdown code fence around the JSON (<c>```json ... ```</c>) is removed first.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public JsonValidityScorer(bool stripCodeFences = true, string name = DefaultName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _stripCodeFences = stripCodeFences;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Tells whether a text is valid JSON.</summary>
    /// <param name="text">The text.</param>
    /// <param name="stripCodeFences">Whether a Markdown code fence is removed first.</param>
    /// <param name="error">The parser's message when the text is not valid JSON.</param>
    /// <returns><see langword="true"/> when the text is valid JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool IsValid(string text, bool stripCodeFences, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var json = stripCodeFences ? JsonFences.Strip(text) : text;
        try
        {
            using var document = JsonDocument.Parse(json);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(IsValid(context.Output, _stripCodeFences, out var error)
            ? Score.FromPass(Name, true)
            : Score.FromPass(Name, false) with { Explanation = "Not valid JSON: " + error });
    }
}
