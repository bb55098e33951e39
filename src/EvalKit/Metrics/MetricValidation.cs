using System.Globalization;

namespace EvalKit.Metrics;

/// <summary>The argument checks shared by the metrics service and every storage provider, so that all reject the same input.</summary>
internal static class MetricValidation
{
    public static IReadOnlyDictionary<string, string> CopyTags(IReadOnlyDictionary<string, string>? tags) =>
        tags is null || tags.Count == 0 ? Empty.StringDictionary : new Dictionary<string, string>(tags, StringComparer.Ordinal).AsReadOnly();

    /// <exception cref="ArgumentException">A point is null, has no model id or name, or a value that is not finite.</exception>
    public static void Points(IReadOnlyList<MetricPoint> points, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(points, parameterName);
        for (var i = 0; i < points.Count; i++)
        {
            Point(points[i], parameterName, i);
        }
    }

    /// <exception cref="ArgumentException">The point has no model id or name, or a value that is not finite.</exception>
    public static void Point(MetricPoint? point, string parameterName, int index = -1)
    {
        var where = index < 0 ? "The metric point" : string.Create(CultureInfo.InvariantCulture, $"Metric point {index}");
        if (point is null)
        {
            throw new ArgumentException($"{where} is null.", parameterName);
        }

        if (string.IsNullOrWhiteSpace(point.ModelId))
        {
            throw new ArgumentException($"{where} has no model id.", parameterName);
        }

        if (string.IsNullOrWhiteSpace(point.Name))
        {
            throw new ArgumentException($"{where} of model '{point.ModelId}' has no name.", parameterName);
        }

        if (!double.IsFinite(point.Value))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{where} '{point.Name}' of model '{point.ModelId}' has the value {point.Value}; values must be finite."),
                parameterName);
        }
    }

    /// <exception cref="ArgumentException">The query has no model id or an inverted range.</exception>
    public static void Query(MetricQuery query, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(query, parameterName);
        Series(query.ModelId, query.Name, nameRequired: false, parameterName);
        Range(query.From, query.To, parameterName);
    }

    /// <exception cref="ArgumentException">The query has no model id or name, an inverted range or an unknown period.</exception>
    public static void Query(MetricAggregateQuery query, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(query, parameterName);
        Series(query.ModelId, query.Name, nameRequired: true, parameterName);
        Range(query.From, query.To, parameterName);
        if (!Enum.IsDefined(query.Period))
        {
            throw new ArgumentException($"Unknown metric period '{query.Period}'; use Minute, Hour, Day or Week.", parameterName);
        }
    }

    /// <exception cref="ArgumentException">A filter is present but empty.</exception>
    public static void Query(MetricDeleteQuery query, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(query, parameterName);
        if (query.ModelId is not null && string.IsNullOrWhiteSpace(query.ModelId))
        {
            throw new ArgumentException("The model id filter is empty; use null for every model.", parameterName);
        }

        if (query.Name is not null && string.IsNullOrWhiteSpace(query.Name))
        {
            throw new ArgumentException("The metric name filter is empty; use null for every metric.", parameterName);
        }
    }

    public static void Series(string? modelId, string? name, bool nameRequired, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new ArgumentException("The query names no model id.", parameterName);
        }

        if (nameRequired ? string.IsNullOrWhiteSpace(name) : name is not null && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException(nameRequired ? "The query names no metric." : "The metric name is empty; use null for every metric.", parameterName);
        }
    }

    public static void Range(DateTimeOffset from, DateTimeOffset to, string parameterName)
    {
        if (to < from)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The range ends ({to:O}) before it starts ({from:O})."),
                parameterName);
        }
    }

    /// <summary>Tells whether a point's tags include every (key, value) of the filter.</summary>
    public static bool HasTags(IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string> filter)
    {
        foreach (var (key, value) in filter)
        {
            if (!tags.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
