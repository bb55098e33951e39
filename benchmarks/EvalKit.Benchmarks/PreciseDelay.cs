using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EvalKit.Benchmarks;

/// <summary>
/// Waits that end within tens of microseconds of their due time. <see cref="Task.Delay(TimeSpan)"/> rounds to the timer
/// queue's millisecond ticks and typically ends 0.3 – 1 ms late, so a "20 ms" model built on it answers in about 20.8 ms
/// and no caller can reach 256 / 20 ms. Here one thread sleeps on the monotonic clock with <c>clock_nanosleep</c> until
/// the earliest due time and completes every wait that is due; on systems other than Linux it falls back to
/// <see cref="Task.Delay(TimeSpan)"/>.
/// </summary>
public static partial class PreciseDelay
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int PrSetTimerSlack = 29;

    private static readonly PriorityQueue<TaskCompletionSource, long> Pending = new();
    private static readonly Lock Gate = new();
    private static readonly SemaphoreSlim Arrived = new(0);
    private static readonly bool Precise = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;
    private static Thread? _thread;

    /// <summary>Completes after <paramref name="delay"/>.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <returns>A task that completes at the due time.</returns>
    public static Task WaitAsync(TimeSpan delay)
    {
        if (!Precise)
        {
            return Task.Delay(delay);
        }

        var due = Stopwatch.GetTimestamp() + (long)(delay.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool first;
        lock (Gate)
        {
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "PreciseDelay", Priority = ThreadPriority.AboveNormal };
                _thread.Start();
            }

            first = Pending.Count == 0 || Pending.TryPeek(out _, out var earliest) && due < earliest;
            Pending.Enqueue(completion, due);
        }

        if (first)
        {
            Arrived.Release();
        }

        return completion.Task;
    }

    private static void Run()
    {
        // The kernel may end a sleep up to the thread's timer slack (50 us by default) late: ask for 1 us.
        _ = Prctl(PrSetTimerSlack, 1_000, 0, 0, 0);
        while (true)
        {
            long due;
            lock (Gate)
            {
                var now = Stopwatch.GetTimestamp();
                while (Pending.TryPeek(out var completion, out due) && due <= now)
                {
                    Pending.Dequeue();
                    completion.TrySetResult();
                }

                if (Pending.Count == 0)
                {
                    due = long.MaxValue;
                }
            }

            if (due == long.MaxValue)
            {
                Arrived.Wait();
            }
            else
            {
                // A wait that arrives earlier than the one slept on is rare here (every wait has the same length); it
                // ends at most one sleep late.
                var time = new TimeSpec { Seconds = due / 1_000_000_000, Nanoseconds = due % 1_000_000_000 };
                _ = ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, ref time, IntPtr.Zero);
                while (Arrived.Wait(0))
                {
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
