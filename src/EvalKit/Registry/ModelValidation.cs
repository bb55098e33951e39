using System.Globalization;

namespace EvalKit.Registry;

/// <summary>
/// The rules a model descriptor must follow to be registered or updated. <see cref="GetErrors"/> checks them all and
/// reports every problem, not just the first; the registry throws them as one <see cref="ValidationException"/>.
/// </summary>
/// <remarks>
/// <para>The model id grammar (ABNF; at most <see cref="MaxIdLength"/> characters, compared case-sensitively):</para>
/// <code>
/// id      = segment *( "/" segment ) [ ":" tag ]      ; "openai/gpt-4o-mini", "ollama/llama3.1:8b", "m"
/// segment = alnum *( alnum / "." / "_" / "-" / "@" / "+" )
/// tag     = alnum *( alnum / "." / "_" / "-" )
/// alnum   = %x41-5A / %x61-7A / %x30-39              ; ASCII letters and digits
/// </code>
/// <para>By convention the first segment names the provider (<c>provider/name[:tag]</c>), but the registry does not require it.</para>
/// </remarks>
public static class ModelValidation
{
    /// <summary>The longest model id.</summary>
    public const int MaxIdLength = 200;

    /// <summary>The longest display name.</summary>
    public const int MaxDisplayNameLength = 200;

    /// <summary>The longest provider name.</summary>
    public const int MaxProviderLength = 64;

    /// <summary>The longest version string.</summary>
    public const int MaxVersionLength = 100;

    /// <summary>The most capabilities a model may have.</summary>
    public const int MaxCapabilities = 64;

    /// <summary>The most tags a model may have.</summary>
    public const int MaxTags = 32;

    /// <summary>The longest status reason (deprecation or retirement reason).</summary>
    public const int MaxStatusReasonLength = 1_000;

    /// <summary>The most metadata entries a model may have.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>The longest metadata key.</summary>
    public const int MaxMetadataKeyLength = 128;

    /// <summary>The longest metadata value.</summary>
    public const int MaxMetadataValueLength = 4_096;

    private const string IdRule =
        "use segments of ASCII letters, digits and . _ - @ + separated by '/', then optionally ':' and a tag of letters, digits and . _ - (each segment and the tag starting with a letter or digit), such as 'openai/gpt-4o-mini' or 'ollama/llama3.1:8b'";

    /// <summary>Tells whether a string is a valid model id (see the grammar in the remarks of <see cref="ModelValidation"/>).</summary>
    /// <param name="id">The candidate id.</param>
    /// <returns><see langword="true"/> when the id is valid.</returns>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            return false;
        }

        var span = id.AsSpan();
        var colon = span.IndexOf(':');
        if (colon >= 0 && !IsToken(span[(colon + 1)..], allowPathCharacters: false))
        {
            return false;
        }

        var path = colon >= 0 ? span[..colon] : span;
        foreach (var range in path.Split('/'))
        {
            if (!IsToken(path[range], allowPathCharacters: true))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks every rule and lists every problem.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The problems; empty when the model is valid.</returns>
    /// <remarks>Whether <see cref="ModelDescriptor.ReplacementModelId"/> names a registered model is checked by the registry, not here.</remarks>
    public static IReadOnlyList<ValidationError> GetErrors(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = new List<ValidationError>();
        if (!IsValidId(model.Id))
        {
            errors.Add(new(nameof(ModelDescriptor.Id), string.IsNullOrEmpty(model.Id)
                ? "An id is required."
                : $"'{model.Id}' is not a valid model id ({(model.Id.Length > MaxIdLength ? $"longer than {MaxIdLength} characters" : IdRule)})."));
        }

        CheckText(errors, nameof(ModelDescriptor.DisplayName), model.DisplayName, MaxDisplayNameLength);
        if (model.Provider is { } provider && !IsProvider(provider))
        {
            errors.Add(new(nameof(ModelDescriptor.Provider), $"'{provider}' is not a valid provider: use 1-{MaxProviderLength} ASCII letters, digits and . _ -, starting with a letter or digit."));
        }

        CheckText(errors, nameof(ModelDescriptor.Version), model.Version, MaxVersionLength);
        CheckNames(errors, nameof(ModelDescriptor.Capabilities), "capability", model.Capabilities, MaxCapabilities);
        CheckNames(errors, nameof(ModelDescriptor.Tags), "tag", model.Tags, MaxTags);
        if (model.Pricing is { } pricing)
        {
            if (pricing.InputPerMillionTokens < 0)
            {
                errors.Add(new("Pricing.InputPerMillionTokens", $"A price must not be negative (was {pricing.InputPerMillionTokens.ToString(CultureInfo.InvariantCulture)})."));
            }

            if (pricing.OutputPerMillionTokens < 0)
            {
                errors.Add(new("Pricing.OutputPerMillionTokens", $"A price must not be negative (was {pricing.OutputPerMillionTokens.ToString(CultureInfo.InvariantCulture)})."));
            }

            if (pricing.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
            {
                errors.Add(new("Pricing.Currency", $"'{pricing.Currency}' is not an ISO 4217 currency code: use three upper-case letters such as USD or EUR."));
            }
        }

        if (model.ContextWindow is <= 0)
        {
            errors.Add(new(nameof(ModelDescriptor.ContextWindow), $"The context window must be a positive number of tokens (was {model.ContextWindow.Value.ToString(CultureInfo.InvariantCulture)})."));
        }

        if (!Enum.IsDefined(model.Status))
        {
            errors.Add(new(nameof(ModelDescriptor.Status), $"{(int)model.Status} is not a model status."));
        }

        CheckText(errors, nameof(ModelDescriptor.StatusReason), model.StatusReason, MaxStatusReasonLength, allowLineBreaks: true);
        if (model.StatusReason is not null && model.Status == ModelStatus.Active)
        {
            errors.Add(new(nameof(ModelDescriptor.StatusReason), "An active model has no status reason; clear it when reactivating a model."));
        }

        if (model.ReplacementModelId is { } replacement)
        {
            if (!IsValidId(replacement))
            {
                errors.Add(new(nameof(ModelDescriptor.ReplacementModelId), $"'{replacement}' is not a valid model id."));
            }
            else if (string.Equals(replacement, model.Id, StringComparison.Ordinal))
            {
                errors.Add(new(nameof(ModelDescriptor.ReplacementModelId), "A model cannot replace itself."));
            }

            if (model.Status == ModelStatus.Active)
            {
                errors.Add(new(nameof(ModelDescriptor.ReplacementModelId), "An active model has no replacement; clear it when reactivating a model."));
            }
        }

        CheckMetadata(errors, model.Metadata);
        return errors;
    }

    /// <summary>Checks every rule and throws when any is broken.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="ValidationException">The model breaks rules; <see cref="ValidationException.Errors"/> lists every one.</exception>
    public static void Validate(ModelDescriptor model)
    {
        var errors = GetErrors(model);
        if (errors.Count > 0)
        {
            throw new ValidationException($"Model '{model.Id}'", errors);
        }
    }

    private static bool IsToken(ReadOnlySpan<char> token, bool allowPathCharacters)
    {
        if (token.IsEmpty || !char.IsAsciiLetterOrDigit(token[0]))
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-') && !(allowPathCharacters && c is '@' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsProvider(string provider) =>
        provider.Length <= MaxProviderLength && IsToken(provider, allowPathCharacters: false);

    private static void CheckText(List<ValidationError> errors, string field, string? value, int maxLength, bool allowLineBreaks = false)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(new(field, $"At most {maxLength} characters are allowed (was {value.Length})."));
        }

        if (value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
        {
            errors.Add(new(field, "Control characters are not allowed."));
        }
    }

    private static void CheckNames(List<ValidationError> errors, string field, string kind, IReadOnlySet<string> names, int maxCount)
    {
        if (names.Count > maxCount)
        {
            errors.Add(new(field, $"At most {maxCount} {kind} names are allowed (was {names.Count})."));
        }

        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (!ModelCapabilities.IsWellFormed(name))
            {
                errors.Add(new(field, $"'{name}' is not a well-formed {kind} name: use 1-{ModelCapabilities.MaxLength} lower-case letters, digits and - . : /, starting and ending with a letter or digit."));
            }
        }
    }

    private static void CheckMetadata(List<ValidationError> errors, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.Count > MaxMetadataEntries)
        {
            errors.Add(new(nameof(ModelDescriptor.Metadata), $"At most {MaxMetadataEntries} entries are allowed (was {metadata.Count})."));
        }

        foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var field = $"{nameof(ModelDescriptor.Metadata)}[{Shorten(key)}]";
            if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add(new(field, "A metadata key must not be blank."));
            }
            else if (key.Length > MaxMetadataKeyLength)
            {
                errors.Add(new(field, $"A metadata key has at most {MaxMetadataKeyLength} characters (was {key.Length})."));
            }

            if (key.Any(char.IsControl))
            {
                errors.Add(new(field, "A metadata key must not contain control characters."));
            }

            if (value is null)
            {
                errors.Add(new(field, "A metadata value must not be null."));
            }
            else if (value.Length > MaxMetadataValueLength)
            {
                errors.Add(new(field, $"A metadata value has at most {MaxMetadataValueLength} characters (was {value.Length})."));
            }
        }
    }

    private static string Shorten(string key) => key.Length <= 40 ? key : string.Concat(key.AsSpan(0, 40), "…");
}
