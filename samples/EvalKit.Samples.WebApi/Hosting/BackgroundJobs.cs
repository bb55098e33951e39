using System.Collections.Concurrent;
using EvalKit.Security;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Runs the long operations that the API starts and answers 202 for (evaluations, A/B test and experiment executions),
/// each in the tenant of the request that started it, outside the request (which ends at once), until the host stops:
/// then every job is cancelled and awaited. What a job stored stays stored; EvalKit resumes it when executed again.
/// </summary>
internal sealed partial class BackgroundJobs(ILogger<BackgroundJobs> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>Tells whether a job with this key is running.</summary>
    /// <param name="kind">The kind of job, such as <c>ab-test</c>.</param>
    /// <param name="id">The id of what it works on.</param>
    /// <returns><see langword="true"/> while it runs.</returns>
    public bool IsRunning(string kind, string id) => _running.ContainsKey(Key(kind, id));

    /// <summary>Starts a job unless one with the same kind and id is running for the current tenant.</summary>
    /// <typeparam name="T">The job's result.</typeparam>
    /// <param name="kind">The kind of job.</param>
    /// <param name="id">The id of what it works on.</param>
    /// <param name="work">The work; its token is cancelled when the host stops.</param>
    /// <returns>The job's task (whose failure the caller may observe; it is logged in any case), or <see langword="null"/> when such a job is running.</returns>
    public Task<T>? TryStart<T>(string kind, string id, Func<CancellationToken, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var tenant = EvalKitTenant.Resolve(null);
        var key = Key(kind, id);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_running.TryAdd(key, done.Task))
        {
            return null;
        }

        var job = Task.Run(
            async () =>
            {
                using (EvalKitTenant.Use(tenant))
                {
                    return await work(_stopping.Token);
                }
            },
            CancellationToken.None);
        _ = ObserveAsync(job, kind, id, tenant, () =>
        {
            _running.TryRemove(key, out _);
            done.TrySetResult();
        });
        return job;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAbandoned(_running.Count);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();

    private static string Key(string kind, string id) => $"{EvalKitTenant.Resolve(null)}\n{kind}\n{id}";

    private async Task ObserveAsync(Task job, string kind, string id, string tenant, Action onEnd)
    {
        try
        {
            await job;
            LogCompleted(kind, id, tenant);
        }
        catch (OperationCanceledException)
        {
            LogCancelled(kind, id, tenant);
        }
#pragma warning disable CA1031 // A background job's failure is logged (and stored by EvalKit); it must not take the host down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(kind, id, tenant, e.GetType().Name, e.Message);
        }
        finally
        {
            onEnd();
        }
    }

    [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "Background {Kind} {Id} (tenant {Tenant}) completed")]
    private partial void LogCompleted(string kind, string id, string tenant);

    [LoggerMessage(EventId = 9402, Level = LogLevel.Information, Message = "Background {Kind} {Id} (tenant {Tenant}) was cancelled")]
    private partial void LogCancelled(string kind, string id, string tenant);

    [LoggerMessage(EventId = 9403, Level = LogLevel.Warning, Message = "Background {Kind} {Id} (tenant {Tenant}) failed: {ExceptionType}: {Message}")]
    private partial void LogFailed(string kind, string id, string tenant, string exceptionType, string message);

    [LoggerMessage(EventId = 9404, Level = LogLevel.Warning, Message = "The host stopped before {Count} background job(s) ended; EvalKit resumes them when they are executed again")]
    private partial void LogAbandoned(int count);
}
