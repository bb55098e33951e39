using EvalKit.Statistics;

namespace EvalKit.Metrics;

/// <summary>
/// Builds <see cref="MetricBucket"/>s from (time, value) pairs that arrive in non-decreasing time order, as a provider reads
/// them through its (model, name, time) index. Each bucket's values are buffered and sorted once for the percentiles; count,
/// sum, min and max are accumulated in arrival order. Shared by the providers that compute aggregates in process, so that
/// they agree with each other to the last bit of every percentile.
/// </summary>
internal sealed class MetricBucketAccumulator
{
    private readonly long _length;
    private readonly bool _percentiles;
    private readonly List<MetricBucket> _buckets = [];
    private double[] _values = new double[256];
    private long _start = long.MinValue;
    private long _count;
    private double _sum;
    private double _min;
    private double _max;

    public MetricBucketAccumulator(MetricPeriod period, bool includePercentiles)
    {
        _length = MetricBuckets.LengthTicks(period);
        _percentiles = includePercentiles;
    }

    /// <summary>Adds a value observed at <paramref name="utcTicks"/>.</summary>
    /// <exception cref="InvalidOperationException">The time falls in a bucket before the current one (input out of order).</exception>
    public void Add(long utcTicks, double value)
    {
        var start = MetricBuckets.StartTicks(utcTicks, _length);
        if (start != _start)
        {
            if (start < _start)
            {
                throw new InvalidOperationException("Metric points must be aggregated in time order.");
            }

            Flush();
            _start = start;
        }

        if (_count == 0)
        {
            _min = _max = value;
        }
        else if (value < _min)
        {
            _min = value;
        }
        else if (value > _max)
        {
            _max = value;
        }

        _sum += value;
        if (_percentiles)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count] = value;
        }

        _count++;
    }

    /// <summary>Completes the last bucket.</summary>
    /// <returns>The buckets in time order.</returns>
    public IReadOnlyList<MetricBucket> Complete()
    {
        Flush();
        return _buckets;
    }

    private void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        double? p50 = null, p95 = null, p99 = null;
        if (_percentiles)
        {
            var values = _values.AsSpan(0, (int)_count);
            values.Sort();
            p50 = Descriptive.PercentileOfSorted(values, 50);
            p95 = Descriptive.PercentileOfSorted(values, 95);
            p99 = Descriptive.PercentileOfSorted(values, 99);
        }

        _buckets.Add(new MetricBucket
        {
            Start = new DateTimeOffset(_start, TimeSpan.Zero),
            End = new DateTimeOffset(_start + _length, TimeSpan.Zero),
            Count = _count,
            Sum = _sum,
            Min = _min,
            Max = _max,
            P50 = p50,
            P95 = p95,
            P99 = p99,
        });
        _count = 0;
        _sum = 0;
    }
}
