using EvalKit.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures EvalKit's metrics service in an <see cref="IEvalKitBuilder"/>.</summary>
public static class MetricsBuilderExtensions
{
    /// <summary>Configures <see cref="MetricsOptions"/> (retention rules, anomaly detection thresholds) of the <see cref="IMetricsService"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IEvalKitBuilder ConfigureMetrics(this IEvalKitBuilder builder, Action<MetricsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
