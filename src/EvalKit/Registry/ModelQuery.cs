namespace EvalKit.Registry;

/// <summary>Filters for listing models. Every filter that is set must hold.</summary>
/// <remarks>
/// Matching rules: the provider is compared case-insensitively (ordinal); capability and tag names are trimmed and
/// lower-cased (invariant culture) before they are compared, so <c>"Vision"</c> finds <c>"vision"</c>; the text is a
/// case-insensitive substring of the id, the display name or the provider.
/// </remarks>
public sealed record ModelQuery
{
    /// <summary>Gets the provider to match (case-insensitively).</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the status to match.</summary>
    public ModelStatus? Status { get; init; }

    /// <summary>Gets the capabilities that every listed model must have (all of them).</summary>
    public IReadOnlyCollection<string>? Capabilities { get; init; }

    /// <summary>Gets the tags that every listed model must have (all of them).</summary>
    public IReadOnlyCollection<string>? Tags { get; init; }

    /// <summary>Gets text that must occur (case-insensitively) in the id, the display name or the provider.</summary>
    public string? Text { get; init; }

    /// <summary>Tells whether a model passes the filters.</summary>
    /// <param name="model">The model to test.</param>
    /// <returns><see langword="true"/> when every filter that is set holds.</returns>
    public bool Matches(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (Provider is null || string.Equals(Provider, model.Provider, StringComparison.OrdinalIgnoreCase))
            && (Status is null || Status == model.Status)
            && HasAll(model.Capabilities, Capabilities)
            && HasAll(model.Tags, Tags)
            && (Text is null
                || model.Id.Contains(Text, StringComparison.OrdinalIgnoreCase)
                || (model.DisplayName?.Contains(Text, StringComparison.OrdinalIgnoreCase) ?? false)
                || (model.Provider?.Contains(Text, StringComparison.OrdinalIgnoreCase) ?? false));
    }

    /// <summary>Tells whether a set holds every required name, ignoring case and surrounding white space.</summary>
    internal static bool HasAll(IReadOnlySet<string> names, IReadOnlyCollection<string>? required)
    {
        if (required is null)
        {
            return true;
        }

        foreach (var name in required)
        {
            if (name is null || !Has(names, name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Has(IReadOnlySet<string> names, string name)
    {
        if (names.Contains(name))
        {
            return true;
        }

        // Trim and ToLowerInvariant return the same instance when nothing changes, so the usual case allocates nothing.
        var normalized = name.Trim().ToLowerInvariant();
        if (!ReferenceEquals(normalized, name) && names.Contains(normalized))
        {
            return true;
        }

        // Names stored before validation was strict (or written to the store directly) may not be lower-case.
        foreach (var candidate in names)
        {
            if (string.Equals(candidate, normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
