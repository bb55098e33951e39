using System.Globalization;

namespace EvalKit.Registry;

/// <summary>Lists the fields that differ between two revisions of a model and describes a change in words.</summary>
internal static class ModelDiff
{
    public static IReadOnlyList<ModelFieldChange> Compare(ModelDescriptor before, ModelDescriptor after)
    {
        var changes = new List<ModelFieldChange>();
        Add(changes, nameof(ModelDescriptor.DisplayName), before.DisplayName, after.DisplayName);
        Add(changes, nameof(ModelDescriptor.Provider), before.Provider, after.Provider);
        Add(changes, nameof(ModelDescriptor.Version), before.Version, after.Version);
        if (!before.Capabilities.SetEquals(after.Capabilities))
        {
            changes.Add(new(nameof(ModelDescriptor.Capabilities), Names(before.Capabilities), Names(after.Capabilities)));
        }

        if (!before.Tags.SetEquals(after.Tags))
        {
            changes.Add(new(nameof(ModelDescriptor.Tags), Names(before.Tags), Names(after.Tags)));
        }

        if (!Equals(before.Pricing, after.Pricing))
        {
            changes.Add(new(nameof(ModelDescriptor.Pricing), Price(before.Pricing), Price(after.Pricing)));
        }

        Add(changes, nameof(ModelDescriptor.ContextWindow), before.ContextWindow?.ToString(CultureInfo.InvariantCulture), after.ContextWindow?.ToString(CultureInfo.InvariantCulture));
        Add(changes, nameof(ModelDescriptor.Status), before.Status.ToString(), after.Status.ToString());
        Add(changes, nameof(ModelDescriptor.StatusReason), before.StatusReason, after.StatusReason);
        Add(changes, nameof(ModelDescriptor.ReplacementModelId), before.ReplacementModelId, after.ReplacementModelId);
        Add(changes, nameof(ModelDescriptor.Endpoint), before.Endpoint?.OriginalString, after.Endpoint?.OriginalString);
        Add(changes, nameof(ModelDescriptor.CredentialName), before.CredentialName, after.CredentialName);
        foreach (var key in before.Metadata.Keys.Union(after.Metadata.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Add(changes, $"{nameof(ModelDescriptor.Metadata)}[{key}]", before.Metadata.GetValueOrDefault(key), after.Metadata.GetValueOrDefault(key));
        }

        return changes;
    }

    public static string Describe(ModelChangeKind kind, IReadOnlyList<ModelFieldChange> changes, ModelDescriptor after) => kind switch
    {
        ModelChangeKind.Registered => "Registered.",
        ModelChangeKind.Deprecated => "Deprecated" + Reason(after),
        ModelChangeKind.Retired => "Retired" + Reason(after),
        _ => $"Changed {string.Join(", ", changes.Select(c => c.Field))}.",
    };

    private static string Reason(ModelDescriptor model)
    {
        var text = model.StatusReason is null ? "." : $": {model.StatusReason}";
        if (model.ReplacementModelId is not null)
        {
            text += $"{(text.EndsWith('.') ? string.Empty : ".")} Replacement: {model.ReplacementModelId}.";
        }

        return text;
    }

    private static void Add(List<ModelFieldChange> changes, string field, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new(field, before, after));
        }
    }

    private static string Names(IReadOnlySet<string> names) => string.Join(", ", names.Order(StringComparer.Ordinal));

    private static string? Price(ModelPricing? pricing) => pricing is null
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{pricing.InputPerMillionTokens} input / {pricing.OutputPerMillionTokens} output {pricing.Currency} per million tokens");
}
