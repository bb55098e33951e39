using EvalKit.Registry;
using EvalKit.Samples.WebApi.Hosting;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>The body of <c>POST /models</c> and <c>PATCH /models/{id}</c> (where members left out keep their values).</summary>
internal sealed class ModelBody
{
    /// <summary>Gets the model id, such as <c>openai/gpt-4o-mini</c>; required to register, optional (and unchangeable) to update.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the provider, such as <c>openai</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the provider's version of the model.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the capabilities, such as <c>chat</c>, <c>json</c>, <c>tools</c>.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Gets free labels.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Gets the token pricing.</summary>
    public PricingBody? Pricing { get; init; }

    /// <summary>Gets the context window in tokens.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>Gets free-form metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets why the model is changed (kept on the revision), for updates.</summary>
    public string? ChangeDescription { get; init; }

    /// <summary>Builds the descriptor to register.</summary>
    /// <param name="errors">Collects the problems.</param>
    /// <returns>The descriptor; meaningful only when no problem was added.</returns>
    public ModelDescriptor ToDescriptor(FieldErrors errors)
    {
        errors.Require("id", Id);
        return new ModelDescriptor
        {
            Id = Id ?? string.Empty,
            DisplayName = DisplayName,
            Provider = Provider,
            Version = Version,
            Capabilities = Set(Capabilities, "capabilities", errors),
            Tags = Set(Tags, "tags", errors),
            Pricing = Pricing?.ToPricing(errors, "pricing"),
            ContextWindow = ContextWindow,
            Metadata = Metadata ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty,
        };
    }

    /// <summary>Applies the members that are set to the current descriptor.</summary>
    /// <param name="current">The current revision.</param>
    /// <param name="errors">Collects the problems.</param>
    /// <returns>The changed descriptor.</returns>
    public ModelDescriptor ApplyTo(ModelDescriptor current, FieldErrors errors) => current with
    {
        DisplayName = DisplayName ?? current.DisplayName,
        Provider = Provider ?? current.Provider,
        Version = Version ?? current.Version,
        Capabilities = Capabilities is null ? current.Capabilities : Set(Capabilities, "capabilities", errors),
        Tags = Tags is null ? current.Tags : Set(Tags, "tags", errors),
        Pricing = Pricing is null ? current.Pricing : Pricing.ToPricing(errors, "pricing"),
        ContextWindow = ContextWindow ?? current.ContextWindow,
        Metadata = Metadata ?? current.Metadata,
    };

    private static HashSet<string> Set(IReadOnlyList<string>? names, string field, FieldErrors errors)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(names![i]))
            {
                errors.Add($"{field}[{i}]", "must be a non-empty name.");
            }
            else
            {
                set.Add(names[i]);
            }
        }

        return set;
    }
}

/// <summary>Token pricing, per million tokens.</summary>
internal sealed class PricingBody
{
    /// <summary>Gets the price of one million input tokens.</summary>
    public decimal? InputPerMillionTokens { get; init; }

    /// <summary>Gets the price of one million output tokens.</summary>
    public decimal? OutputPerMillionTokens { get; init; }

    /// <summary>Gets the ISO 4217 currency; <c>USD</c> when left out.</summary>
    public string? Currency { get; init; }

    /// <summary>Builds the pricing.</summary>
    /// <param name="errors">Collects the problems.</param>
    /// <param name="field">The JSON name of this object.</param>
    /// <returns>The pricing.</returns>
    public ModelPricing ToPricing(FieldErrors errors, string field)
    {
        Check(InputPerMillionTokens, $"{field}.input_per_million_tokens", errors);
        Check(OutputPerMillionTokens, $"{field}.output_per_million_tokens", errors);
        if (Currency is not null && (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add($"{field}.currency", $"must be a three-letter ISO 4217 code such as USD (was '{Currency}').");
        }

        return new ModelPricing
        {
            InputPerMillionTokens = InputPerMillionTokens ?? 0,
            OutputPerMillionTokens = OutputPerMillionTokens ?? 0,
            Currency = Currency ?? "USD",
        };
    }

    private static void Check(decimal? price, string field, FieldErrors errors)
    {
        if (price is null)
        {
            errors.Add(field, "is required when pricing is given.");
        }
        else if (price < 0)
        {
            errors.Add(field, $"must not be negative (was {price.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }
    }
}

/// <summary>The body of <c>POST /models/{id}/deprecate</c>.</summary>
internal sealed class DeprecateBody
{
    /// <summary>Gets why the model is deprecated.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the registered model to use instead.</summary>
    public string? ReplacementModelId { get; init; }
}

/// <summary>A registered model, as the API shows it.</summary>
internal sealed record ModelView(
    string Id,
    string? DisplayName,
    string? Provider,
    string? Version,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Tags,
    ModelPricing? Pricing,
    int? ContextWindow,
    ModelStatus Status,
    string? StatusReason,
    string? ReplacementModelId,
    IReadOnlyDictionary<string, string> Metadata,
    int Revision,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Shows a descriptor.</summary>
    /// <param name="model">The descriptor.</param>
    /// <returns>The view.</returns>
    public static ModelView From(ModelDescriptor model) => new(
        model.Id,
        model.DisplayName,
        model.Provider,
        model.Version,
        [.. model.Capabilities.Order(StringComparer.Ordinal)],
        [.. model.Tags.Order(StringComparer.Ordinal)],
        model.Pricing,
        model.ContextWindow,
        model.Status,
        model.StatusReason,
        model.ReplacementModelId,
        new SortedDictionary<string, string>(model.Metadata.ToDictionary(), StringComparer.Ordinal),
        model.Revision,
        model.UpdatedAt);
}

/// <summary>The answer of <c>DELETE /models/{id}</c>.</summary>
/// <param name="Id">The model id.</param>
/// <param name="Deleted">Always <see langword="true"/> (a missing model is a 404).</param>
internal sealed record DeletedView(string Id, bool Deleted);
