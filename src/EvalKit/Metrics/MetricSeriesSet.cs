namespace EvalKit.Metrics;

/// <summary>
/// The in-memory store's metric points: one list per (model, metric) series, kept sorted by time (ties in append order), so
/// that range reads and aggregates binary-search their start instead of scanning every point. Not thread-safe: the owner locks.
/// </summary>
internal sealed class MetricSeriesSet
{
    private readonly Dictionary<string, Dictionary<string, List<Entry>>> _models = new(StringComparer.Ordinal);
    private long _sequence;

    public void Add(IReadOnlyList<MetricPoint> points)
    {
        foreach (var point in points)
        {
            if (!_models.TryGetValue(point.ModelId, out var names))
            {
                _models[point.ModelId] = names = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
            }

            if (!names.TryGetValue(point.Name, out var series))
            {
                names[point.Name] = series = [];
            }

            var entry = new Entry(point.Timestamp.UtcTicks, _sequence++, point);
            if (series.Count == 0 || series[^1].Ticks <= entry.Ticks)
            {
                series.Add(entry);
            }
            else
            {
                // After every point with the same time: appends keep their order among equal times.
                series.Insert(LowerBound(series, entry.Ticks + 1), entry);
            }
        }
    }

    public MetricPoint[] Query(MetricQuery query)
    {
        if (!_models.TryGetValue(query.ModelId, out var names))
        {
            return [];
        }

        var matches = new List<Entry>();
        foreach (var (name, series) in names)
        {
            if (query.Name is not null && !string.Equals(name, query.Name, StringComparison.Ordinal))
            {
                continue;
            }

            for (var i = LowerBound(series, query.From.UtcTicks); i < series.Count && series[i].Ticks < query.To.UtcTicks; i++)
            {
                if (MetricValidation.HasTags(series[i].Point.Tags, query.Tags))
                {
                    matches.Add(series[i]);
                }
            }
        }

        matches.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence));
        return [.. matches.Select(e => e.Point)];
    }

    public (long[] Ticks, double[] Values) Values(MetricAggregateQuery query)
    {
        if (!_models.TryGetValue(query.ModelId, out var names) || !names.TryGetValue(query.Name, out var series))
        {
            return ([], []);
        }

        var first = LowerBound(series, query.From.UtcTicks);
        var end = LowerBound(series, query.To.UtcTicks);
        var ticks = new List<long>(Math.Max(0, end - first));
        var values = new List<double>(Math.Max(0, end - first));
        for (var i = first; i < end; i++)
        {
            if (query.Tags.Count == 0 || MetricValidation.HasTags(series[i].Point.Tags, query.Tags))
            {
                ticks.Add(series[i].Ticks);
                values.Add(series[i].Point.Value);
            }
        }

        return ([.. ticks], [.. values]);
    }

    public long DeleteOlderThan(MetricDeleteQuery query)
    {
        long deleted = 0;
        var before = query.Before.UtcTicks;
        foreach (var (modelId, names) in _models.ToArray())
        {
            if (query.ModelId is not null && !string.Equals(modelId, query.ModelId, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (name, series) in names.ToArray())
            {
                if (query.Name is not null && !string.Equals(name, query.Name, StringComparison.Ordinal))
                {
                    continue;
                }

                var count = LowerBound(series, before);
                series.RemoveRange(0, count);
                deleted += count;
                if (series.Count == 0)
                {
                    names.Remove(name);
                }
            }

            if (names.Count == 0)
            {
                _models.Remove(modelId);
            }
        }

        return deleted;
    }

    /// <summary>Deletes every point that matches (erasure).</summary>
    public long DeleteWhere(Func<MetricPoint, bool> match)
    {
        long deleted = 0;
        foreach (var (modelId, names) in _models.ToArray())
        {
            foreach (var (name, series) in names.ToArray())
            {
                deleted += series.RemoveAll(e => match(e.Point));
                if (series.Count == 0)
                {
                    names.Remove(name);
                }
            }

            if (names.Count == 0)
            {
                _models.Remove(modelId);
            }
        }

        return deleted;
    }

    /// <summary>The index of the first entry at or after <paramref name="ticks"/>.</summary>
    private static int LowerBound(List<Entry> series, long ticks)
    {
        int lo = 0, hi = series.Count;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (series[mid].Ticks < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private readonly record struct Entry(long Ticks, long Sequence, MetricPoint Point);
}
