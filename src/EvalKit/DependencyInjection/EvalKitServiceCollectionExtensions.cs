using EvalKit;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EvalKit in an <see cref="IServiceCollection"/>.</summary>
public static class EvalKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds EvalKit's services with the in-memory store (replace it with <c>UseSqliteStorage</c> or <c>UsePostgresStorage</c>).
    /// Calling it again adds nothing twice; every default is registered with <c>TryAdd</c> so the host can override it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="EvalKitOptions"/>.</param>
    /// <returns>The builder, to chain storage and scorers.</returns>
    public static IEvalKitBuilder AddEvalKit(this IServiceCollection services, Action<EvalKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<EvalKitOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(EvalKitMarker)))
        {
            return new EvalKitBuilder(services);
        }

        services.AddSingleton<EvalKitMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EvalKitOptions>, EvalKitOptionsValidator>());
        optionsBuilder.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEvalKitStorage>(sp => new InMemoryEvalKitStorage(sp.GetService<ITenantContext>()));
        services.AddOptions<ModelRegistryOptions>();
        services.TryAddSingleton<IEvalKitActorContext>(SystemActorContext.Instance);
        services.TryAddSingleton<ITenantContext>(AmbientTenantContext.Instance);
        services.TryAddSingleton<IEvalKitAuthorizationPolicy>(AllowAllAuthorizationPolicy.Instance);
        services.TryAddSingleton<OperationGuard>();
        services.TryAddSingleton<IAuditLog, AuditLog>();
        services.AddOptions<EvalKit.Retention.RetentionOptions>();
        services.TryAddSingleton<EvalKit.Retention.IRetentionService, EvalKit.Retention.RetentionService>();
        services.TryAddSingleton<EvalKit.Erasure.IErasureService, EvalKit.Erasure.ErasureService>();
        AddCaching(services);
        services.TryAddSingleton<IModelRegistry, ModelRegistry>();
        services.TryAddSingleton<IDatasetStore, DatasetStore>();
        services.TryAddSingleton<IModelClientProvider, KeyedServiceModelClientProvider>();
        services.TryAddSingleton(sp => new ScorerCatalog(sp.GetServices<IScorer>()));
        services.TryAddSingleton<IEvaluationEngine, EvaluationEngine>();
        services.TryAddSingleton<IAbTestService, AbTestService>();
        services.TryAddSingleton<EvalKit.Experiments.IExperimentService, EvalKit.Experiments.ExperimentService>();
        services.TryAddSingleton<IMetricsService, MetricsService>();
        services.TryAddSingleton<EvalKit.Projects.IProjectService, EvalKit.Projects.ProjectService>();
        services.TryAddSingleton<EvalKit.Projects.ICostAccounting, EvalKit.Projects.CostAccounting>();
        SelectionEvalKitBuilderExtensions.TryAddSelection(services);
        return new EvalKitBuilder(services);
    }

    /// <summary>Registers a scorer that runs and benchmarks can name.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="scorer">The scorer (a singleton; not disposed by EvalKit).</param>
    /// <returns>The builder.</returns>
    public static IEvalKitBuilder AddScorer(this IEvalKitBuilder builder, IScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(scorer);
        builder.Services.AddSingleton(scorer);
        return builder;
    }

    /// <summary>Replaces the store with a provider; storage decorators added with the builder (encryption, redaction) still wrap it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store; the container owns and disposes it.</param>
    /// <returns>The builder.</returns>
    public static IEvalKitBuilder UseStorage(this IEvalKitBuilder builder, Func<IServiceProvider, IEvalKitStorage> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        // Decorators registered earlier (UseFieldEncryption, UsePersonalDataRedaction) wrap the new store too.
        StorageDecoration.Reapply(builder.Services);
        return builder;
    }

    /// <summary>
    /// Registers EvalKit's cache over the host's <see cref="HybridCache"/>: <c>AddHybridCache</c> adds the default one unless the
    /// host registered its own (it keeps the host's options, and uses the host's <c>IDistributedCache</c> as a second level).
    /// </summary>
    private static void AddCaching(IServiceCollection services)
    {
        services.AddHybridCache();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHybridCacheSerializerFactory, EvalKit.Caching.CachedAnswerSerializerFactory>());
        services.TryAddSingleton(sp => new EvalKit.Caching.EvalKitCache(
            sp.GetRequiredService<HybridCache>(),
            sp.GetRequiredService<IEvalKitStorage>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<EvalKitOptions>>(),
            sp.GetService<ITenantContext>()));
    }

    private sealed class EvalKitMarker;

    private sealed class EvalKitBuilder(IServiceCollection services) : IEvalKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class EvalKitOptionsValidator : IValidateOptions<EvalKitOptions>
    {
        public ValidateOptionsResult Validate(string? name, EvalKitOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }
    }
}
