using EvalKit.Scoring;

namespace EvalKit.Evaluation;

/// <summary>What to evaluate: a model over a benchmark suite, or over a dataset with scorers.</summary>
public sealed record EvaluationRequest
{
    /// <summary>Gets the registered model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the benchmark id; when set, the dataset, prompt, scorers and primary metric come from the benchmark.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the dataset id, when no benchmark is named.</summary>
    public string? DatasetId { get; init; }

    /// <summary>Gets scorer instances to use in addition to (or instead of) the named ones.</summary>
    /// <remarks>A run resumed later finds its scorers by name among the scorers registered with EvalKit; scorers passed only here cannot be found then.</remarks>
    public IReadOnlyList<IScorer>? Scorers { get; init; }

    /// <summary>Gets the names of registered scorers to use, when no benchmark is named. Exact match when neither names nor instances are given.</summary>
    public IReadOnlyList<string>? ScorerNames { get; init; }

    /// <summary>Gets the user prompt template, when no benchmark is named.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Gets the system prompt, when no benchmark is named.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets worked examples sent before every case, when no benchmark is named.</summary>
    public IReadOnlyList<Datasets.FewShotExample>? FewShot { get; init; }

    /// <summary>Gets the options; the benchmark's defaults, then EvalKit's, apply when <see langword="null"/>.</summary>
    public EvaluationOptions? Options { get; init; }

    /// <summary>Gets the run id to use, or <see langword="null"/> to generate one.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// Gets the project the run belongs to, or <see langword="null"/> for none. The project must exist in the tenant, and its
    /// budget applies to the run (see <see cref="Projects.ProjectBudget"/>).
    /// </summary>
    public string? ProjectId { get; init; }
}
