using EvalKit.Evaluation;
using EvalKit.Reporting;

namespace EvalKit.Experiments;

/// <summary>
/// Experiments: a matrix of variants (models × prompt variants × options) over benchmark suites, each variant executed as
/// an evaluation run; templates to create experiments from; comparisons of stored runs; a regression gate; and exports
/// (JSON, CSV, Markdown, JUnit XML, HTML) with the JSON import.
/// </summary>
/// <remarks>
/// <para><b>Execution.</b> Each variant's run id is fixed when the experiment is created, so executing an experiment again
/// skips the runs that completed and resumes the others (see <see cref="IEvaluationEngine.ResumeAsync"/>). At most
/// <see cref="ExperimentDefinition.MaxConcurrentRuns"/> runs are evaluated at once.</para>
/// <para><b>Comparisons.</b> Stored runs of the same dataset version are compared pairwise with the analysis of
/// <see cref="Comparisons.IAbTestService"/> (paired design: McNemar exact, paired t or Wilcoxon signed-rank; intervals at
/// 1 − alpha; p-values adjusted over the pairs of each metric), plus the cases that flipped between pass and fail.</para>
/// <para><b>Regression gate.</b> The candidate fails when the one-sided paired test of "candidate worse than baseline" on
/// the metric has p &lt; alpha (exact McNemar on the discordant cases for pass/fail values; the paired t-test with 30 pairs
/// or more, else the Wilcoxon signed-rank test), or when a threshold of the gate is missed.</para>
/// </remarks>
public interface IExperimentService
{
    /// <summary>Validates an experiment, fixes its matrix of variants (each with its run id) and stores it.</summary>
    /// <param name="definition">The experiment.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored experiment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The definition is invalid; the message lists every problem.</exception>
    /// <exception cref="NotFoundException">Models or benchmarks do not exist; the message lists every missing one.</exception>
    ValueTask<Experiment> CreateAsync(ExperimentDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Saves an experiment template (replacing the one with the same id).</summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="definition">The definition experiments start from; its <see cref="ExperimentDefinition.Id"/> is not kept.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id is empty or the definition is invalid (checked as <see cref="CreateAsync"/> does, except that models and benchmarks need not exist yet).</exception>
    ValueTask<ExperimentTemplate> SaveTemplateAsync(string templateId, ExperimentDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Gets a template.</summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The template, or <see langword="null"/>.</returns>
    ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default);

    /// <summary>Lists the templates by id.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The templates.</returns>
    IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an experiment from a template, with overrides.</summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="overrides">Changes the template's definition, such as <c>d =&gt; d with { ModelIds = ["openai/gpt-4o"] }</c>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored experiment, with <see cref="Experiment.TemplateId"/> set.</returns>
    /// <exception cref="NotFoundException">No template has that id, or the definition names models or benchmarks that do not exist.</exception>
    /// <exception cref="ArgumentException">The resulting definition is invalid.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="overrides"/> returned <see langword="null"/>.</exception>
    ValueTask<Experiment> CreateFromTemplateAsync(string templateId, Func<ExperimentDefinition, ExperimentDefinition>? overrides = null, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The experiment, or <see langword="null"/>.</returns>
    ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Lists every experiment, newest first.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The experiments.</returns>
    IAsyncEnumerable<Experiment> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists the experiments of a project (<see cref="ExperimentDefinition.ProjectId"/>), newest first.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The experiments; empty when the project has none or does not exist.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is null or blank.</exception>
    IAsyncEnumerable<Experiment> ListAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Executes every variant of an experiment as an evaluation run (at most <see cref="ExperimentDefinition.MaxConcurrentRuns"/>
    /// at once), records each as an <see cref="ExperimentRun"/>, then compares the runs of each benchmark. Completed runs are
    /// skipped and unfinished ones resumed, so executing again after a cancellation or a failure continues.
    /// </summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="progress">Receives the progress of new runs.</param>
    /// <param name="cancellationToken">Cancels every run; what was stored stays.</param>
    /// <returns>The experiment, its runs and the comparisons.</returns>
    /// <exception cref="NotFoundException">No experiment has that id.</exception>
    /// <exception cref="OperationCanceledException">Execution was cancelled; the experiment is marked cancelled.</exception>
    /// <exception cref="EvalKitException">A variant's run failed; the other variants ran to their end, and the experiment is marked failed with every error.</exception>
    Task<ExperimentResults> ExecuteAsync(string experimentId, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment with its runs and the comparisons of its completed runs, from the store.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The results.</returns>
    /// <exception cref="NotFoundException">No experiment has that id.</exception>
    Task<ExperimentResults> GetResultsAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Lists an experiment's runs in variant order.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The runs recorded so far.</returns>
    IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Compares two or more completed runs of the same dataset version, metric by metric.</summary>
    /// <param name="runIds">The run ids; two or more, distinct.</param>
    /// <param name="options">The metrics, alpha, correction, pass threshold and labels; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">Fewer than two distinct runs, runs of different datasets, invalid options, or a metric not every run has.</exception>
    /// <exception cref="NotFoundException">A run does not exist; the message lists every missing one.</exception>
    /// <exception cref="InvalidOperationException">A run has not completed.</exception>
    Task<RunComparison> CompareRunsAsync(IReadOnlyList<string> runIds, RunComparisonOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Checks a candidate run against a stored baseline run.</summary>
    /// <param name="gate">The runs, the metric, alpha and thresholds.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The outcome, with <see cref="RegressionGateResult.Passed"/> and a readable report.</returns>
    /// <exception cref="ArgumentException">The gate is invalid, or the runs evaluated different datasets.</exception>
    /// <exception cref="NotFoundException">A run does not exist.</exception>
    /// <exception cref="InvalidOperationException">A run has not completed.</exception>
    Task<RegressionGateResult> CheckRegressionAsync(RegressionGate gate, CancellationToken cancellationToken = default);

    /// <summary>Checks a candidate run against a stored baseline run and throws when it fails: the way a test project fails CI on a regression.</summary>
    /// <param name="gate">The runs, the metric, alpha and thresholds.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The outcome, when the candidate passed.</returns>
    /// <exception cref="RegressionException">The candidate failed; the message is the gate's report.</exception>
    /// <exception cref="ArgumentException">The gate is invalid, or the runs evaluated different datasets.</exception>
    /// <exception cref="NotFoundException">A run does not exist.</exception>
    /// <exception cref="InvalidOperationException">A run has not completed.</exception>
    Task<RegressionGateResult> EnsureNoRegressionAsync(RegressionGate gate, CancellationToken cancellationToken = default);

    /// <summary>Gathers what a report shows: the runs with their results and cases, their comparisons, A/B results and a gate.</summary>
    /// <param name="request">What the report covers.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The report, ready for <see cref="HtmlReport"/>, <see cref="MarkdownReport"/>, <see cref="JUnitReport"/> or <see cref="CsvReport"/>.</returns>
    /// <exception cref="ArgumentException">The request covers no run, or is invalid.</exception>
    /// <exception cref="NotFoundException">The experiment, a run or an A/B test does not exist.</exception>
    Task<EvaluationReport> BuildReportAsync(ReportRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a report or an export. <see cref="ReportFormat.Json"/> and <see cref="ReportFormat.Csv"/> stream from the store
    /// (memory stays bounded whatever the number of results); the other formats render <see cref="BuildReportAsync"/>.
    /// </summary>
    /// <param name="request">What the export covers.</param>
    /// <param name="format">The format.</param>
    /// <param name="destination">The stream written to (UTF-8, no byte-order mark); not closed.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when everything is written and flushed.</returns>
    /// <exception cref="ArgumentException">The request covers no run, or <paramref name="format"/> is unknown.</exception>
    /// <exception cref="NotFoundException">The experiment, a run or an A/B test does not exist.</exception>
    Task ExportAsync(ReportRequest request, ReportFormat format, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a JSON export (<see cref="ReportFormat.Json"/>) into the store: the whole document is read and checked first,
    /// against itself and against the store, so a malformed or conflicting document writes nothing. Records already stored
    /// with the same content are left as they are, so importing twice writes once.
    /// </summary>
    /// <param name="source">The JSON export.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ImportException">The document is malformed, inconsistent or conflicts with the store; the message names the JSON path.</exception>
    /// <exception cref="StorageException">The store failed while writing; what was written stays, and importing again completes it.</exception>
    Task<ImportSummary> ImportAsync(Stream source, CancellationToken cancellationToken = default);
}
