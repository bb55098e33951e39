namespace EvalKit.Registry;

/// <summary>The price of a model's tokens.</summary>
public sealed record ModelPricing
{
    private readonly string? _currency;

    /// <summary>Gets the price of one million input (prompt) tokens.</summary>
    public required decimal InputPerMillionTokens { get; init; }

    /// <summary>Gets the price of one million output (completion) tokens.</summary>
    public required decimal OutputPerMillionTokens { get; init; }

    /// <summary>Gets the ISO 4217 currency of the prices.</summary>
    /// <value>The default value is <c>"USD"</c>.</value>
    public string Currency
    {
        get => _currency ?? "USD";
        init => _currency = value;
    }

    /// <summary>Computes the cost of one call from its token counts.</summary>
    /// <param name="inputTokens">The input tokens, or <see langword="null"/> when unknown.</param>
    /// <param name="outputTokens">The output tokens, or <see langword="null"/> when unknown.</param>
    /// <returns>The cost, or <see langword="null"/> when either count is unknown (an unknown cost is never reported as 0).</returns>
    public decimal? Cost(long? inputTokens, long? outputTokens)
    {
        if (inputTokens is null || outputTokens is null)
        {
            return null;
        }

        return ((inputTokens.Value * InputPerMillionTokens) + (outputTokens.Value * OutputPerMillionTokens)) / 1_000_000m;
    }

    /// <inheritdoc/>
    public bool Equals(ModelPricing? other) =>
        other is not null && InputPerMillionTokens == other.InputPerMillionTokens && OutputPerMillionTokens == other.OutputPerMillionTokens && Currency == other.Currency;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InputPerMillionTokens, OutputPerMillionTokens, Currency);
}
