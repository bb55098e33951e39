namespace EvalKit.Storage;

/// <summary>Says which change counters of which tenant a committed write advanced (see <see cref="IChangeCounterStorage.Advanced"/>).</summary>
public sealed class ChangeCountersAdvancedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="ChangeCountersAdvancedEventArgs"/> class.</summary>
    /// <param name="tenant">The tenant whose counters moved.</param>
    /// <param name="scopes">The scopes whose counters moved.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ChangeCountersAdvancedEventArgs(string tenant, IReadOnlyList<ChangeScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(scopes);
        Tenant = tenant;
        Scopes = scopes;
    }

    /// <summary>Gets the tenant whose counters moved.</summary>
    public string Tenant { get; }

    /// <summary>Gets the scopes whose counters moved.</summary>
    public IReadOnlyList<ChangeScope> Scopes { get; }
}
