namespace EvalKit.Registry;

/// <summary>One field of a model that a revision changed, with its values before and after, as invariant text.</summary>
/// <param name="Field">The field, such as <c>"DisplayName"</c>, <c>"Pricing"</c>, <c>"Capabilities"</c> or <c>"Metadata[owner]"</c>.</param>
/// <param name="OldValue">The value before the change; <see langword="null"/> when it was unset.</param>
/// <param name="NewValue">The value after the change; <see langword="null"/> when it is now unset.</param>
public sealed record ModelFieldChange(string Field, string? OldValue, string? NewValue)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {OldValue ?? "(none)"} -> {NewValue ?? "(none)"}";
}
