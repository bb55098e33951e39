using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Samples.WebApi.Hosting;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>The body of <c>POST /benchmarks</c>: a suite, and either a stored dataset (<c>dataset_id</c>) or one to import (<c>dataset</c>).</summary>
internal sealed class BenchmarkBody
{
    /// <summary>Gets the benchmark id (letters, digits and - _ . : @).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the suite's version; <c>1</c> when left out.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the id of a stored dataset (<c>name@version</c>), when no dataset is imported.</summary>
    public string? DatasetId { get; init; }

    /// <summary>Gets the dataset to import, when no stored dataset is named.</summary>
    public DatasetBody? Dataset { get; init; }

    /// <summary>Gets the user prompt template (<c>{{input}}</c>, <c>{{metadata.key}}</c>); <c>{{input}}</c> when left out.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Gets the system prompt.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets worked examples sent before every case.</summary>
    public IReadOnlyList<FewShotBody?>? FewShot { get; init; }

    /// <summary>Gets the names of the scorers; <c>exact_match</c> when left out.</summary>
    public IReadOnlyList<string?>? Scorers { get; init; }

    /// <summary>Gets the metric that decides comparisons; the first scorer's when left out.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the options runs of this suite use unless they name their own.</summary>
    public OptionsBody? DefaultOptions { get; init; }
}

/// <summary>A dataset to import: a name, a version and its cases.</summary>
internal sealed class DatasetBody
{
    /// <summary>Gets the dataset name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the dataset version; <c>1</c> when left out.</summary>
    public string? Version { get; init; }

    /// <summary>Gets a description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the cases; at least one.</summary>
    public IReadOnlyList<CaseBody?>? Cases { get; init; }
}

/// <summary>One case: an input (text or chat messages), its expected outputs, a group and metadata.</summary>
internal sealed class CaseBody
{
    /// <summary>Gets the case id, unique in the dataset.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the plain-text input.</summary>
    public string? Input { get; init; }

    /// <summary>Gets the chat input, instead of <see cref="Input"/>.</summary>
    public IReadOnlyList<ChatTurnBody?>? Messages { get; init; }

    /// <summary>Gets the expected outputs.</summary>
    public IReadOnlyList<string?>? References { get; init; }

    /// <summary>Gets the group (cluster) of the case.</summary>
    public string? Group { get; init; }

    /// <summary>Gets free-form metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>One chat turn of a case's input.</summary>
internal sealed class ChatTurnBody
{
    /// <summary>Gets the role: <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
    public string? Role { get; init; }

    /// <summary>Gets the text.</summary>
    public string? Text { get; init; }
}

/// <summary>A worked example.</summary>
internal sealed class FewShotBody
{
    /// <summary>Gets the example's input.</summary>
    public string? Input { get; init; }

    /// <summary>Gets the example's answer.</summary>
    public string? Output { get; init; }
}

/// <summary>A benchmark suite with its dataset, as the API shows it.</summary>
internal sealed record BenchmarkView(
    string Id,
    string? Name,
    string Version,
    string DatasetId,
    string PromptTemplate,
    string? SystemPrompt,
    IReadOnlyList<FewShotExample> FewShot,
    IReadOnlyList<string> Scorers,
    string? PrimaryMetric,
    OptionsView? DefaultOptions,
    DatasetInfo? Dataset)
{
    /// <summary>Shows a benchmark.</summary>
    /// <param name="benchmark">The benchmark.</param>
    /// <param name="dataset">Its dataset, if stored.</param>
    /// <returns>The view.</returns>
    public static BenchmarkView From(Benchmark benchmark, DatasetInfo? dataset) => new(
        benchmark.Id,
        benchmark.Name,
        benchmark.Version,
        benchmark.DatasetId,
        benchmark.PromptTemplate,
        benchmark.SystemPrompt,
        benchmark.FewShot,
        benchmark.Scorers,
        benchmark.PrimaryMetric,
        OptionsView.From(benchmark.DefaultOptions),
        dataset);
}

/// <summary>Checks the ids the API takes in paths.</summary>
internal static class Ids
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Checks an id: 1 to <see cref="MaxLength"/> letters, digits, '-', '_', '.', ':' or '@'.</summary>
    /// <param name="field">The JSON name of the field.</param>
    /// <param name="id">The id.</param>
    /// <param name="errors">Collects the problems.</param>
    public static void Check(string field, string? id, FieldErrors errors)
    {
        if (!errors.Require(field, id))
        {
            return;
        }

        if (id!.Length > MaxLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@'))
        {
            errors.Add(field, $"must be 1 to {MaxLength} letters, digits, '-', '_', '.', ':' or '@' (was '{id}').");
        }
    }

    /// <summary>Checks scorer names against the scorers registered with EvalKit.</summary>
    /// <param name="field">The JSON name of the list.</param>
    /// <param name="names">The names.</param>
    /// <param name="catalog">The registered scorers.</param>
    /// <param name="errors">Collects the problems.</param>
    /// <returns>The names.</returns>
    public static List<string> Scorers(string field, IReadOnlyList<string?>? names, ScorerCatalog catalog, FieldErrors errors)
    {
        var list = new List<string>();
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            var name = names![i];
            if (string.IsNullOrWhiteSpace(name) || !catalog.TryGet(name, out _))
            {
                errors.Add($"{field}[{i}]", $"'{name}' is not a registered scorer; known scorers: {string.Join(", ", catalog.Names.Order(StringComparer.Ordinal))}.");
            }
            else if (list.Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"{field}[{i}]", $"'{name}' is listed twice.");
            }
            else
            {
                list.Add(name);
            }
        }

        return list;
    }
}
