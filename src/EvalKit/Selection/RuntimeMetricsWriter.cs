using System.Threading.Channels;
using EvalKit.Metrics;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Logging;

namespace EvalKit.Selection;

/// <summary>
/// Writes runtime metric points in the background: points are queued without waiting, and one loop writes what accumulated
/// while its previous write ran (at most a batch size per write). A failed write is logged and its points are dropped: a
/// metrics outage never fails the requests being routed. Each point is queued with the tenant of the request that produced
/// it, and written as that tenant's (the loop outlives every request, so it never relies on the ambient tenant).
/// </summary>
internal sealed partial class RuntimeMetricsWriter
{
    private readonly IMetricStorage _storage;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly Channel<(string Tenant, MetricPoint Point)> _queue =
        Channel.CreateUnbounded<(string Tenant, MetricPoint Point)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _queued;
    private long _processed;
    private long _dropped;

    public RuntimeMetricsWriter(IMetricStorage storage, int batchSize, ILogger logger)
    {
        _storage = storage;
        _batchSize = batchSize;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Gets the number of points dropped because their write failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(string tenant, MetricPoint point)
    {
        if (_queue.Writer.TryWrite((tenant, point)))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    /// <summary>Waits until every point queued before the call has been written (or dropped).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queued);
        while (true)
        {
            // Read the signal before the counter: a batch that completes in between completes this very signal.
            var signal = Volatile.Read(ref _progress).Task;
            if (Interlocked.Read(ref _processed) >= target || _loop.IsCompleted)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops accepting points; the loop writes what is queued, then ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<(string Tenant, MetricPoint Point)>(_batchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            // One write per tenant in the batch (usually one), each inside that tenant's scope.
            foreach (var tenant in batch.GroupBy(i => i.Tenant, StringComparer.Ordinal))
            {
                var points = tenant.Select(i => i.Point).ToArray();
                try
                {
                    using (EvalKitTenant.Use(tenant.Key))
                    {
                        await _storage.AppendAsync(points).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // A metrics write must never fail the requests being routed: it is logged and dropped.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Interlocked.Add(ref _dropped, points.Length);
                    LogWriteFailed(_logger, e, points.Length);
                }
            }

            Interlocked.Add(ref _processed, batch.Count);
            Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "{Count} runtime metric points could not be written and were dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
