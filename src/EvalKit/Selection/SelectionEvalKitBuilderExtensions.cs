using EvalKit.Selection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures EvalKit's selection engine in a service collection.</summary>
public static class SelectionEvalKitBuilderExtensions
{
    /// <summary>Configures the selection engine's options (reference scales, online learning, decision cache).</summary>
    /// <param name="builder">The builder returned by <c>AddEvalKit</c>.</param>
    /// <param name="configure">Configures <see cref="SelectionOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IEvalKitBuilder ConfigureSelection(this IEvalKitBuilder builder, Action<SelectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SelectionOptions>().Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers the selection services with <c>TryAdd</c>: <see cref="StorageSelectionEvidenceSource"/> (also as
    /// <see cref="ISelectionEvidenceSource"/>, which a host may replace) and <see cref="ISelectionEngine"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    internal static void TryAddSelection(IServiceCollection services)
    {
        services.AddOptions<SelectionOptions>();
        services.TryAddSingleton<StorageSelectionEvidenceSource>();
        services.TryAddSingleton<ISelectionEvidenceSource>(sp => sp.GetRequiredService<StorageSelectionEvidenceSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<EvalKit.Evaluation.IEvaluationObserver, SelectionEvidenceInvalidator>());
        services.TryAddSingleton<ISelectionEngine, SelectionEngine>();
    }
}
