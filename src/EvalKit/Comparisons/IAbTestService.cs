using EvalKit.Evaluation;

namespace EvalKit.Comparisons;

/// <summary>
/// A/B tests: evaluates two or more models on the same benchmark and compares them statistically, pair by pair.
/// </summary>
/// <remarks>
/// <para><b>Per-case values.</b> A model's value on a case is the mean of the primary metric over the case's repetitions
/// whose call succeeded and whose score has a value. A case without such a repetition (a failed call) has no value.</para>
/// <para><b>Paired design</b> (default). Cases pair by <see cref="CaseResult.CaseOrdinal"/>; a case without a value in
/// either arm is dropped from that pair and counted in <see cref="PairComparison.DroppedCases"/>. When every per-case
/// value of both arms is 0 or 1 the test is McNemar's exact test on the discordant counts b (A passed, B failed) and
/// c (A failed, B passed), with the risk difference (b − c)/n as effect size; otherwise the paired t-test when there are
/// at least 30 pairs, else the Wilcoxon signed-rank test (scipy defaults: zero method "wilcox", no continuity correction,
/// method "auto"), with Cohen's d_z as effect size. The item correlation is Pearson's r of the per-case values.</para>
/// <para><b>Unpaired design.</b> Fisher's exact test on the pass/fail counts (risk difference), or Welch's t-test for
/// continuous values (Cohen's d).</para>
/// <para><b>Multiplicity.</b> The raw p-values of all pairs are adjusted together (Holm by default); a pair is significant
/// when its adjusted p-value is below alpha. Confidence intervals are unadjusted, at level 1 − alpha.</para>
/// <para><b>Latency and cost.</b> Per-case latency (milliseconds) and cost differences are tested with the Wilcoxon
/// signed-rank test (paired) or the Mann–Whitney U test (unpaired); these p-values are not adjusted.</para>
/// <para><b>Winner.</b> With two models, the better one of a significant pair; with more, a model that significantly beats
/// every other one. Otherwise the verdict says "no significant difference" (or lists the significant pairs) and gives the
/// sample size that would detect the observed difference between the two best models with 80% power (Connor's McNemar
/// formula for pass/fail, the normal approximation otherwise).</para>
/// </remarks>
public interface IAbTestService
{
    /// <summary>Validates and stores an A/B test; its runs are created by <see cref="ExecuteAsync"/>.</summary>
    /// <param name="definition">The test.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored test.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The definition is invalid (fewer than two distinct models, alpha outside (0, 1),
    /// no name, invalid options or an id already taken); the message lists every problem.</exception>
    /// <exception cref="NotFoundException">Models or the benchmark do not exist; the message lists every missing one.</exception>
    ValueTask<AbTest> CreateAsync(AbTestDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs every model of the test concurrently through the evaluation engine, then computes the results. Runs that
    /// completed earlier are reused and interrupted ones are resumed, so executing again after a cancellation continues.
    /// </summary>
    /// <param name="testId">The test id.</param>
    /// <param name="progress">Receives the progress of new runs (resumed runs do not report progress).</param>
    /// <param name="cancellationToken">Cancels every run; what was stored stays, and the test can be executed again.</param>
    /// <returns>The results.</returns>
    /// <exception cref="NotFoundException">No test has that id.</exception>
    /// <exception cref="OperationCanceledException">Execution was cancelled; the test is marked cancelled.</exception>
    /// <exception cref="ArgumentException">No result of the runs has a value for the primary metric; the test is marked failed.</exception>
    Task<AbTestResults> ExecuteAsync(string testId, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Computes a test's results from its stored runs.</summary>
    /// <param name="testId">The test id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The results.</returns>
    /// <exception cref="NotFoundException">No test has that id.</exception>
    /// <exception cref="InvalidOperationException">A run of the test has not started or not completed; execute the test first.</exception>
    /// <exception cref="ArgumentException">No result of the runs has a value for the primary metric.</exception>
    ValueTask<AbTestResults> GetResultsAsync(string testId, CancellationToken cancellationToken = default);

    /// <summary>Gets a test.</summary>
    /// <param name="testId">The test id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The test, or <see langword="null"/>.</returns>
    ValueTask<AbTest?> GetAsync(string testId, CancellationToken cancellationToken = default);

    /// <summary>Lists every test, newest first.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The tests.</returns>
    IAsyncEnumerable<AbTest> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists the tests of a project (<see cref="AbTestDefinition.ProjectId"/>), newest first.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The tests; empty when the project has none or does not exist.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is null or blank.</exception>
    IAsyncEnumerable<AbTest> ListAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compares models by their latest completed runs on a dataset (paired design, Holm correction, alpha 0.05), on the
    /// primary metric of the first model's run.
    /// </summary>
    /// <param name="modelIds">Two or more distinct model ids.</param>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two distinct models, or a run has no value for the metric.</exception>
    /// <exception cref="NotFoundException">A model has no completed run on the dataset; the message lists them.</exception>
    Task<ComparisonResults> CompareModelsAsync(IReadOnlyList<string> modelIds, string datasetId, CancellationToken cancellationToken = default);
}
