using System.Globalization;
using EvalKit.Security;

namespace EvalKit.Retention;

/// <summary>Configures retention: the policy that <see cref="IRetentionService.ApplyAsync(CancellationToken)"/> applies, and how the background service runs it.</summary>
public sealed class RetentionOptions
{
    /// <summary>The longest interval between two background passes (the limit of <see cref="PeriodicTimer"/>).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(49);

    /// <summary>Gets or sets how long each kind of data is kept.</summary>
    /// <value>The default value is a policy that keeps everything.</value>
    public RetentionPolicy Policy { get; set; } = new();

    /// <summary>Gets or sets the time between two passes of the background service; the first pass runs when it starts.</summary>
    /// <value>The default value is one hour.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets the tenants the background service applies the policy to, one after the other, each inside its own
    /// <see cref="EvalKitTenant.Use(string)"/> scope. When empty, it applies it once, to the tenant that the registered
    /// <see cref="ITenantContext"/> names outside any scope (<see cref="EvalKitTenant.Default"/> for single-tenant hosts).
    /// </summary>
    /// <value>The default value is empty.</value>
    public IList<string> Tenants { get; } = [];

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">The policy, the interval or a tenant is invalid.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Policy is null)
        {
            problems.Add($"{nameof(Policy)} is null");
        }
        else
        {
            try
            {
                Policy.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message.TrimEnd('.'));
            }
        }

        if (Interval <= TimeSpan.Zero || Interval > MaxInterval)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(Interval)} must be positive and at most {MaxInterval.TotalDays} days (was {Interval})"));
        }

        foreach (var tenant in Tenants)
        {
            if (!EvalKitTenant.IsValid(tenant))
            {
                problems.Add($"'{tenant}' in {nameof(Tenants)} is not a valid tenant id");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The retention options are invalid: {string.Join("; ", problems)}.");
        }
    }
}
