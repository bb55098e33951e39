using EvalKit.Retention;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Opts in to EvalKit's background retention.</summary>
public static class RetentionEvalKitBuilderExtensions
{
    /// <summary>
    /// Configures retention and registers <see cref="RetentionBackgroundService"/>, a hosted service that applies the policy
    /// when the host starts and then every <see cref="RetentionOptions.Interval"/>. Calling it again configures the same
    /// options and adds no second service. Without it, <see cref="IRetentionService"/> is still registered (by
    /// <c>AddEvalKit</c>) and applies the policy when called.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the policy, the interval and the tenants.</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// services.AddEvalKit().UseSqliteStorage("Data Source=evalkit.db").AddRetention(o =>
    /// {
    ///     o.Policy.CaseResultsMaxAge = TimeSpan.FromDays(90);
    ///     o.Policy.AuditEntriesMaxAge = TimeSpan.FromDays(400);
    ///     o.Interval = TimeSpan.FromHours(6);
    /// });
    /// </code>
    /// </example>
    public static IEvalKitBuilder AddRetention(this IEvalKitBuilder builder, Action<RetentionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<RetentionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>());
        options.ValidateOnStart();
        builder.Services.TryAddSingleton<IRetentionService, RetentionService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RetentionBackgroundService>());
        return builder;
    }

    private sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RetentionOptions options)
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
