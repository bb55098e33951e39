using EvalKit.Evaluation;

namespace EvalKit.Storage;

/// <summary>Stores evaluation runs.</summary>
public interface IRunStorage
{
    /// <summary>Adds a run unless one with the same id exists.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added.</returns>
    ValueTask<bool> TryAddAsync(EvaluationRun run, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="NotFoundException">No run has that id.</exception>
    ValueTask UpdateAsync(EvaluationRun run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The run, or <see langword="null"/>.</returns>
    ValueTask<EvaluationRun?> GetAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first, optionally of one model and/or one dataset.</summary>
    /// <param name="modelId">The model to filter on, or <see langword="null"/>.</param>
    /// <param name="datasetId">The dataset to filter on, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The runs.</returns>
    IAsyncEnumerable<EvaluationRun> ListAsync(string? modelId = null, string? datasetId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a stored run only while its stored status is <paramref name="expectedStatus"/>, atomically: two writers
    /// that both saw a running run (a worker finalizing it, a host cancelling it) cannot both change it.
    /// </summary>
    /// <param name="run">The run's new state.</param>
    /// <param name="expectedStatus">The status the stored run must still have.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when the run was replaced; <see langword="false"/> when its status had changed.</returns>
    /// <exception cref="NotFoundException">No run has that id.</exception>
    ValueTask<bool> TryUpdateAsync(EvaluationRun run, RunStatus expectedStatus, CancellationToken cancellationToken = default);
}
