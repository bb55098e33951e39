namespace EvalKit.Evaluation;

/// <summary>Runs models over datasets, scores every answer, stores every result and summarizes runs.</summary>
public interface IEvaluationEngine
{
    /// <summary>Evaluates a model and waits until the run ends.</summary>
    /// <param name="request">What to evaluate.</param>
    /// <param name="progress">Receives progress reports, if given.</param>
    /// <param name="cancellationToken">Cancels the run; what was stored stays, and the run can be resumed.</param>
    /// <returns>The run with its summary.</returns>
    /// <exception cref="ModelNotFoundException">The model is not registered.</exception>
    /// <exception cref="NotFoundException">The dataset or benchmark does not exist, or no client serves the model.</exception>
    Task<EvaluationRun> EvaluateAsync(EvaluationRequest request, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Evaluates several models over one benchmark concurrently.</summary>
    /// <param name="modelIds">The models.</param>
    /// <param name="benchmarkId">The benchmark.</param>
    /// <param name="options">Options for every run, or <see langword="null"/> for the benchmark's.</param>
    /// <param name="cancellationToken">Cancels every run.</param>
    /// <returns>The runs, in the order of <paramref name="modelIds"/>.</returns>
    Task<IReadOnlyList<EvaluationRun>> EvaluateBatchAsync(IEnumerable<string> modelIds, string benchmarkId, EvaluationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams a run's stored results by case ordinal; while the run is running, follows new results until it ends.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The results.</returns>
    IAsyncEnumerable<CaseResult> StreamResultsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Gets a run's progress.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The status.</returns>
    /// <exception cref="NotFoundException">No run has that id.</exception>
    ValueTask<EvaluationStatus> GetStatusAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Gets a run with its summary and results.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The results.</returns>
    /// <exception cref="NotFoundException">No run has that id.</exception>
    ValueTask<EvaluationResults> GetResultsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a run that is running in this process, or a distributed run (see <see cref="EnqueueAsync"/>): it is marked
    /// cancelled in the store and its workers stop at their next claim or heartbeat.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when a running run was signalled.</returns>
    ValueTask<bool> CancelAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Resumes a run that was cancelled, failed or killed: evaluates only what is not stored yet.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the run again.</param>
    /// <returns>The run with its summary.</returns>
    /// <exception cref="NotFoundException">No run has that id.</exception>
    Task<EvaluationRun> ResumeAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a run for workers instead of running it here: the run is stored as running and split into shards that
    /// any number of processes sharing the store execute with <see cref="RunWorkerAsync(string, WorkerOptions?, CancellationToken)"/>.
    /// </summary>
    /// <param name="request">What to evaluate.</param>
    /// <param name="options">How to split the run; <see cref="DistributedRunOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The run, running, without results yet.</returns>
    /// <exception cref="ModelNotFoundException">The model is not registered.</exception>
    /// <exception cref="NotFoundException">The dataset or benchmark does not exist.</exception>
    /// <exception cref="NotSupportedException">The storage provider cannot coordinate workers.</exception>
    Task<EvaluationRun> EnqueueAsync(EvaluationRequest request, DistributedRunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Works on one distributed run until it ends: claims shards under a lease, evaluates their cases (skipping what an
    /// earlier holder stored), renews the lease while it works, and, when it completes the run's last shard, computes the
    /// run's summary. A shard held by a worker that died is claimed again once its lease expires.
    /// </summary>
    /// <param name="runId">The run, created by <see cref="EnqueueAsync"/>.</param>
    /// <param name="options">How to claim and hold shards; <see cref="WorkerOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the worker; its shard is released when its lease expires and nothing stored is lost.</param>
    /// <returns>What this worker did.</returns>
    /// <exception cref="NotFoundException">No run has that id.</exception>
    Task<WorkerReport> RunWorkerAsync(string runId, WorkerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Works on the shards of every distributed run in the store, as a queue, until cancelled (or, with
    /// <see cref="WorkerOptions.StopWhenIdle"/>, until nothing is claimable). A host runs this in a console or a hosted service.
    /// </summary>
    /// <param name="options">How to claim and hold shards; <see cref="WorkerOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the worker.</param>
    /// <returns>What this worker did.</returns>
    Task<WorkerReport> RunWorkerAsync(WorkerOptions? options = null, CancellationToken cancellationToken = default);
}
