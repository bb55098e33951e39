namespace EvalKit;

/// <summary>One problem found while validating a record: the field at fault and what is wrong with it.</summary>
/// <param name="Field">The field at fault, such as <c>"Id"</c>, <c>"Pricing.Currency"</c> or <c>"Metadata[owner]"</c>.</param>
/// <param name="Message">What is wrong, naming the value and the rule.</param>
public sealed record ValidationError(string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Message}";
}
