using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace EvalKit.Telemetry;

/// <summary>
/// EvalKit's telemetry: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>"EvalKit"</c>.
/// Tags are low-cardinality (model id, outcome, error category); run ids go on spans only. Prompts and answers go into
/// telemetry only when <see cref="EvalKitTelemetryOptions.IncludeContent"/> is on (spans and Trace logs, never metrics).
/// </summary>
public static class EvalKitTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "EvalKit";

    private static readonly string? Version = typeof(EvalKitTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>Gets the activity source: an <c>evalkit.run</c> activity per run session and an <c>evalkit.case</c> activity per model call.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    internal static Meter Meter { get; } = new(new MeterOptions(Name) { Version = Version });

    /// <summary>Evaluated (case, repetition) results, tagged with the model and the outcome (<c>success</c>, <c>error</c>, <c>cached</c>).</summary>
    internal static Counter<long> Cases { get; } = Meter.CreateCounter<long>("evalkit.evaluation.cases", "{case}", "Evaluated cases.");

    /// <summary>The duration of model calls, in seconds.</summary>
    internal static Histogram<double> CallDuration { get; } = Meter.CreateHistogram<double>("evalkit.evaluation.call.duration", "s", "Duration of model calls.");

    /// <summary>Tokens used, tagged with the model and <c>gen_ai.token.type</c> (<c>input</c> or <c>output</c>).</summary>
    internal static Counter<long> Tokens { get; } = Meter.CreateCounter<long>("evalkit.evaluation.tokens", "{token}", "Tokens used by model calls.");

    /// <summary>Cost of model calls, in the pricing's currency.</summary>
    internal static Counter<double> Cost { get; } = Meter.CreateCounter<double>("evalkit.evaluation.cost", "{currency}", "Cost of model calls.");

    /// <summary>Failed model calls, tagged with the model and <c>error.type</c> (the category).</summary>
    internal static Counter<long> Errors { get; } = Meter.CreateCounter<long>("evalkit.evaluation.errors", "{error}", "Failed model calls.");

    /// <summary>Retries of model calls.</summary>
    internal static Counter<long> Retries { get; } = Meter.CreateCounter<long>("evalkit.evaluation.retries", "{retry}", "Retried model calls.");
}
