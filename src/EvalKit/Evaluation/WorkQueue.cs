using System.Threading.Channels;

namespace EvalKit.Evaluation;

/// <summary>
/// The queue between a run's producer (reading cases from the store) and its workers. It holds at most
/// <c>high</c> items; at the high mark the producer waits until the workers have taken the queue down to the low mark,
/// then fills it again in one go. A bounded channel would instead wake the producer for every item taken, one thread-pool
/// wake-up per case that competes with the workers' next calls.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class WorkQueue<T> : IDisposable
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly SemaphoreSlim _refill = new(0);
    private readonly int _high;
    private readonly int _low;
    private int _waiting;

    /// <summary>Initializes a new instance of the <see cref="WorkQueue{T}"/> class.</summary>
    /// <param name="high">The most items the queue holds.</param>
    /// <param name="low">The count at or below which a waiting producer is woken.</param>
    public WorkQueue(int high, int low)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(low);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(low, high);
        (_high, _low) = (high, low);
    }

    /// <summary>Gets the workers' side of the queue.</summary>
    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>Adds an item, first waiting for the workers to take the queue down to the low mark when it is full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the item is queued.</returns>
    /// <exception cref="ChannelClosedException">The queue was completed (a worker failed).</exception>
    public async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        if (_channel.Reader.Count >= _high)
        {
            // A full fence: the count read below must not move before this write, or a worker's Taken could miss it.
            Interlocked.Exchange(ref _waiting, 1);

            // Wait unless the workers are already at the low mark and none of them has claimed the wake-up; one that has
            // claimed it releases (or has released) the semaphore, which this wait then takes.
            if (_channel.Reader.Count > _low || Interlocked.Exchange(ref _waiting, 0) == 0)
            {
                await _refill.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await _channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called by a worker after it took an item: wakes the producer once the queue is down to the low mark.</summary>
    public void Taken()
    {
        if (Volatile.Read(ref _waiting) == 1 && _channel.Reader.Count <= _low && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _refill.Release();
        }
    }

    /// <summary>Completes the queue: the workers drain it and stop; a waiting producer wakes and its next write throws.</summary>
    /// <param name="error">The error that ended the run's work, if any.</param>
    public void Complete(Exception? error = null)
    {
        _channel.Writer.TryComplete(error);
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _refill.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _refill.Dispose();
}
