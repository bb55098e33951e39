namespace EvalKit.Registry;

/// <summary>Filters for listing models. Every filter that is set must hold.</summary>
public sealed record ModelQuery
{
    /// <summary>Gets the provider to match exactly.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the status to match.</summary>
    public ModelStatus? Status { get; init; }

    /// <summary>Gets the capabilities that every listed model must have.</summary>
    public IReadOnlyCollection<string>? Capabilities { get; init; }

    /// <summary>Gets text that must occur (case-insensitively) in the id or display name.</summary>
    public string? Text { get; init; }

    /// <summary>Tells whether a model passes the filters.</summary>
    /// <param name="model">The model to test.</param>
    /// <returns><see langword="true"/> when every filter that is set holds.</returns>
    public bool Matches(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (Provider is null || string.Equals(Provider, model.Provider, StringComparison.Ordinal))
            && (Status is null || Status == model.Status)
            && (Capabilities is null || Capabilities.All(model.Capabilities.Contains))
            && (Text is null
                || model.Id.Contains(Text, StringComparison.OrdinalIgnoreCase)
                || (model.DisplayName?.Contains(Text, StringComparison.OrdinalIgnoreCase) ?? false));
    }
}
