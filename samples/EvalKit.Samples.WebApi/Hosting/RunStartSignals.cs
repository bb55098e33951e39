using System.Collections.Concurrent;
using EvalKit.Evaluation;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// An <see cref="IEvaluationObserver"/> that tells the start endpoint when the engine has stored and started a run, so that
/// the 202 answer comes once the status endpoint can see the run (and cancel it).
/// </summary>
internal sealed class RunStartSignals : IEvaluationObserver
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <summary>Starts waiting for a run to start; call before starting it.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>A task that completes when the run has started.</returns>
    public Task Expect(string runId) =>
        _waiting.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Stops waiting for a run (when it failed to start).</summary>
    /// <param name="runId">The run id.</param>
    public void Forget(string runId) => _waiting.TryRemove(runId, out _);

    /// <inheritdoc/>
    public ValueTask OnRunEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (_waiting.TryRemove(runEvent.Run.Id, out var signal))
        {
            signal.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }
}
