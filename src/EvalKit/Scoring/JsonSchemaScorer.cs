using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace EvalKit.Scoring;

/// <summary>
/// Scores 1 when the answer is JSON that conforms to a JSON Schema, else 0 with the violations listed in
/// <see cref="Score.Explanation"/>, one per line as <c>instance location: message</c>. Validation uses JsonSchema.Net.
/// </summary>
/// <remarks>
/// An answer that is not JSON fails with the parser's message. The schema's draft comes from its <c>$schema</c>
/// keyword (2020-12 when absent); <c>format</c> is validated. The scorer is thread-safe: evaluations against the
/// shared schema are serialized, as JsonSchema.Net 7 caches evaluation state in the schema.
/// </remarks>
public sealed class JsonSchemaScorer : IScorer
{
    /// <summary>The default metric name, <c>json_schema</c>.</summary>
    public const string DefaultName = "json_schema";

    /// <summary>The most violations listed in an explanation; the rest are counted.</summary>
    public const int MaxListedErrors = 20;

    private readonly JsonSchema _schema;
    private readonly EvaluationOptions _evaluationOptions;
    private readonly bool _stripCodeFences;
    private readonly Lock _gate = new();

    /// <summary>Initializes a new instance of the <see cref="JsonSchemaScorer"/> class.</summary>
    /// <param name="schema">The JSON Schema text.</param>
    /// <param name="stripCodeFences">Whether a Markdown code fence around the answer (<c>```json ... ```</c>) is removed first.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a valid JSON Schema, or <paramref name="name"/> is empty.</exception>
    public JsonSchemaScorer(string schema, bool stripCodeFences = true, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try
        {
            _schema = JsonSchema.FromText(schema);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException("The schema is not a valid JSON Schema: " + ex.Message, nameof(schema), ex);
        }

        _evaluationOptions = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        _stripCodeFences = stripCodeFences;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var json = _stripCodeFences ? JsonFences.Strip(context.Output) : context.Output;
        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            return ValueTask.FromResult(Score.FromPass(Name, false) with { Explanation = "Not valid JSON: " + ex.Message });
        }

        EvaluationResults results;
        lock (_gate)
        {
            results = _schema.Evaluate(instance, _evaluationOptions);
        }

        if (results.IsValid)
        {
            return ValueTask.FromResult(Score.FromPass(Name, true));
        }

        var errors = new List<string>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add("/: the instance does not conform to the schema");
        }

        var text = new StringBuilder();
        for (var i = 0; i < Math.Min(errors.Count, MaxListedErrors); i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }

            text.Append(errors[i]);
        }

        if (errors.Count > MaxListedErrors)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n... and {errors.Count - MaxListedErrors} more");
        }

        return ValueTask.FromResult(Score.FromPass(Name, false) with { Explanation = text.ToString() });
    }

    private static void Collect(EvaluationResults results, List<string> errors)
    {
        if (results.HasErrors && results.Errors is not null)
        {
            var location = results.InstanceLocation.ToString();
            foreach (var error in results.Errors)
            {
                errors.Add(string.Format(CultureInfo.InvariantCulture, "{0}: {1}", location.Length == 0 ? "/" : location, error.Value));
            }
        }

        if (results.HasDetails)
        {
            foreach (var detail in results.Details)
            {
                Collect(detail, errors);
            }
        }
    }
}
