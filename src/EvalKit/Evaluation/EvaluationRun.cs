namespace EvalKit.Evaluation;

/// <summary>An evaluation run: one model over one dataset with fixed scorers and options.</summary>
public sealed record EvaluationRun
{
    private readonly string? _promptTemplate;
    private readonly IReadOnlyList<string> _scorers = [];
    private readonly IReadOnlyList<Datasets.FewShotExample> _fewShot = [];

    /// <summary>Gets the run id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the model's registry revision at the run's creation.</summary>
    public int ModelRevision { get; init; }

    /// <summary>Gets the dataset id.</summary>
    public required string DatasetId { get; init; }

    /// <summary>Gets the content hash of the dataset version the run evaluates.</summary>
    public string? DatasetHash { get; init; }

    /// <summary>Gets the benchmark id, when the run evaluates a benchmark suite.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the project the run belongs to, or <see langword="null"/> for none.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Gets the user prompt template.</summary>
    public string PromptTemplate
    {
        get => _promptTemplate ?? "{{input}}";
        init => _promptTemplate = value;
    }

    /// <summary>Gets the system prompt.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets the worked examples sent before every case.</summary>
    public IReadOnlyList<Datasets.FewShotExample> FewShot
    {
        get => _fewShot;
        init => _fewShot = value is null ? [] : [.. value];
    }

    /// <summary>Gets the names of the scorers.</summary>
    public IReadOnlyList<string> Scorers
    {
        get => _scorers;
        init => _scorers = value is null ? [] : [.. value];
    }

    /// <summary>Gets the primary metric.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the options.</summary>
    public required EvaluationOptions Options { get; init; }

    /// <summary>Gets the status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Gets the number of (case, repetition) results the run will produce.</summary>
    public long TotalCount { get; init; }

    /// <summary>Gets when the run was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the run last started (or resumed).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the run completed, failed or was cancelled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the time spent running, summed over all sessions of the run (resumes included).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets the summary, once the run has completed.</summary>
    public EvaluationSummary? Summary { get; init; }

    /// <summary>Gets the error that stopped a failed run.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Gets when retention deleted the run's per-case results, or <see langword="null"/> while they are stored. A purged run
    /// keeps its <see cref="Summary"/>; reading its results gives none, and it can no longer be resumed.
    /// </summary>
    public DateTimeOffset? ResultsPurgedAt { get; init; }

    /// <inheritdoc/>
    public bool Equals(EvaluationRun? other) =>
        other is not null
        && Id == other.Id && ModelId == other.ModelId && ModelRevision == other.ModelRevision && DatasetId == other.DatasetId
        && DatasetHash == other.DatasetHash && BenchmarkId == other.BenchmarkId && PromptTemplate == other.PromptTemplate
        && SystemPrompt == other.SystemPrompt && FewShot.SequenceEqual(other.FewShot) && Scorers.SequenceEqual(other.Scorers) && PrimaryMetric == other.PrimaryMetric
        && Equals(Options, other.Options) && Status == other.Status && TotalCount == other.TotalCount && CreatedAt == other.CreatedAt
        && StartedAt == other.StartedAt && CompletedAt == other.CompletedAt && Elapsed == other.Elapsed && Error == other.Error
        && ResultsPurgedAt == other.ResultsPurgedAt && ProjectId == other.ProjectId;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Status);
}
