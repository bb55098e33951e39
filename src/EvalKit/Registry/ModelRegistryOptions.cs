namespace EvalKit.Registry;

/// <summary>Options of the <see cref="ModelRegistry"/>.</summary>
public sealed class ModelRegistryOptions
{
    /// <summary>
    /// Gets or sets how long the registry trusts its in-memory snapshot of the models before it reads the store's change
    /// counter again (one tiny read; the models themselves are reloaded only when the counter moved).
    /// </summary>
    /// <value>The default value is 1 second.</value>
    /// <remarks>
    /// Writes through the same registry are seen at once whatever the interval; the interval only bounds how long a
    /// write by another registry instance or process (on the same store) can go unseen. <see cref="TimeSpan.Zero"/>
    /// checks the counter on every read.
    /// </remarks>
    public TimeSpan CacheRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        if (CacheRefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(CacheRefreshInterval)} must not be negative (was {CacheRefreshInterval}).");
        }
    }
}
