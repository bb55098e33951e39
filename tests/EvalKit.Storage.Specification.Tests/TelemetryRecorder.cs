using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// Records everything a process emits while it lives: every activity of every source (name, status, tags, events,
/// baggage), every measurement of every meter (instrument and tags) and, as an <see cref="ILoggerProvider"/>, every log
/// message (text, structured values, exception). Tests scan the record for text that must not, or must, be there.
/// </summary>
public sealed class TelemetryRecorder : ILoggerProvider
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<string> _activityTexts = new();
    private readonly ConcurrentQueue<string> _measurementTexts = new();
    private readonly ConcurrentQueue<string> _logTexts = new();

    public TelemetryRecorder()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    /// <summary>Gets one line per stopped activity, activity event, tag and baggage item.</summary>
    public IReadOnlyList<string> ActivityTexts => [.. _activityTexts];

    /// <summary>Gets one line per measurement: instrument, value and tags.</summary>
    public IReadOnlyList<string> MeasurementTexts => [.. _measurementTexts];

    /// <summary>Gets one entry per log message: category, level, event, text, structured values and exception.</summary>
    public IReadOnlyList<string> LogTexts => [.. _logTexts];

    /// <summary>Gets every recorded text.</summary>
    public IEnumerable<string> AllTexts => ActivityTexts.Concat(MeasurementTexts).Concat(LogTexts);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Activity activity)
    {
        _activityTexts.Enqueue($"activity {activity.Source.Name} {activity.OperationName} {activity.DisplayName} status {activity.Status} {activity.StatusDescription}");
        foreach (var tag in activity.TagObjects)
        {
            _activityTexts.Enqueue($"tag {activity.OperationName} {tag.Key}={Format(tag.Value)}");
        }

        foreach (var e in activity.Events)
        {
            _activityTexts.Enqueue($"event {activity.OperationName} {e.Name}");
            foreach (var tag in e.Tags)
            {
                _activityTexts.Enqueue($"event-tag {e.Name} {tag.Key}={Format(tag.Value)}");
            }
        }

        foreach (var item in activity.Baggage)
        {
            _activityTexts.Enqueue($"baggage {item.Key}={item.Value}");
        }
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = $"measurement {instrument.Meter.Name} {instrument.Name} {Format(value)}";
        foreach (var tag in tags)
        {
            text += $" {tag.Key}={Format(tag.Value)}";
        }

        _measurementTexts.Enqueue(text);
    }

    private static string Format(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";

    private sealed class Logger(TelemetryRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            recorder._logTexts.Enqueue($"scope {category} {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = $"log {category} {logLevel} {eventId.Id} {formatter(state, exception)}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var value in values)
                {
                    text += $" {value.Key}={Format(value.Value)}";
                }
            }

            if (exception is not null)
            {
                text += " exception " + exception;
            }

            recorder._logTexts.Enqueue(text);
        }
    }
}
