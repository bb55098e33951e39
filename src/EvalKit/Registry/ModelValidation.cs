using System.Globalization;
using EvalKit.Security;

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

    /// <summary>The longest credential name.</summary>
    public const int MaxCredentialNameLength = 256;

    /// <summary>The longest endpoint.</summary>
    public const int MaxEndpointLength = 2_048;

    private const string CredentialAdvice =
        "EvalKit never stores credentials: keep the secret in the host's secret store, give it to the model's IChatClient there, and put the secret's name in CredentialName.";

    private const string SecretWordHint = "such as api_key, password, token or client_secret; a name that refers to one, such as api_key_name, is fine";

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
        CheckEndpoint(errors, model.Endpoint);
        if (model.CredentialName is { } credentialName && !IsCredentialName(credentialName))
        {
            errors.Add(new(nameof(ModelDescriptor.CredentialName), $"A credential name has 1-{MaxCredentialNameLength} characters: ASCII letters, digits and . _ - / : @, starting with a letter, a digit or '_'."));
        }

        errors.AddRange(GetCredentialErrors(model));

        // A value that breaks another rule may be echoed in its message: never echo a secret.
        return [.. errors.Select(e => new ValidationError(SecretText.Scrub(e.Field), SecretText.Scrub(e.Message)))];
    }

    /// <summary>
    /// Lists the fields of a model that hold something shaped like a credential (an API key, a token, a private key, a
    /// password in a URL or a connection string) or whose metadata key names a secret (<c>api_key</c>, <c>password</c>…).
    /// The messages never repeat the value.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>The problems; empty when the model carries no credential.</returns>
    internal static IReadOnlyList<ValidationError> GetCredentialErrors(ModelDescriptor model)
    {
        var errors = new List<ValidationError>();
        CheckSecret(errors, nameof(ModelDescriptor.Id), model.Id);
        CheckSecret(errors, nameof(ModelDescriptor.DisplayName), model.DisplayName);
        CheckSecret(errors, nameof(ModelDescriptor.Provider), model.Provider);
        CheckSecret(errors, nameof(ModelDescriptor.Version), model.Version);
        CheckSecret(errors, nameof(ModelDescriptor.StatusReason), model.StatusReason);
        CheckSecret(errors, nameof(ModelDescriptor.ReplacementModelId), model.ReplacementModelId);
        CheckSecret(errors, nameof(ModelDescriptor.CredentialName), model.CredentialName);
        CheckSecret(errors, nameof(ModelDescriptor.Endpoint), model.Endpoint?.OriginalString);
        if (model.Endpoint is { IsAbsoluteUri: true } endpoint)
        {
            if (endpoint.UserInfo.Length > 0)
            {
                errors.Add(new(nameof(ModelDescriptor.Endpoint), "The endpoint carries user information (user:password@); " + CredentialAdvice));
            }

            foreach (var parameter in endpoint.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Uri.UnescapeDataString(parameter.Split('=', 2)[0]);
                if (SecretText.IsSecretName(name))
                {
                    errors.Add(new(nameof(ModelDescriptor.Endpoint), $"The query parameter '{SecretText.Scrub(name)}' holds a secret; " + CredentialAdvice));
                }
            }
        }

        foreach (var name in model.Capabilities.Order(StringComparer.Ordinal))
        {
            CheckSecret(errors, nameof(ModelDescriptor.Capabilities), name);
        }

        foreach (var name in model.Tags.Order(StringComparer.Ordinal))
        {
            CheckSecret(errors, nameof(ModelDescriptor.Tags), name);
        }

        foreach (var (key, value) in model.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var field = SecretText.Scrub($"{nameof(ModelDescriptor.Metadata)}[{Shorten(key)}]");
            if (SecretText.LooksLikeSecret(key))
            {
                errors.Add(new(field, "The metadata key looks like a credential; " + CredentialAdvice));
            }
            else if (SecretText.IsSecretName(key))
            {
                errors.Add(new(field, $"The metadata key names a secret ({SecretWordHint}); " + CredentialAdvice));
            }
            else if (SecretText.LooksLikeSecret(value))
            {
                errors.Add(new(field, "The value looks like a credential; " + CredentialAdvice));
            }
        }

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
            throw new ValidationException($"Model '{SecretText.Scrub(model.Id)}'", errors);
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

    private static void CheckSecret(List<ValidationError> errors, string field, string? value)
    {
        if (SecretText.LooksLikeSecret(value))
        {
            errors.Add(new(field, "The value looks like a credential (an API key, a token, a private key or a password); " + CredentialAdvice));
        }
    }

    private static void CheckEndpoint(List<ValidationError> errors, Uri? endpoint)
    {
        if (endpoint is null)
        {
            return;
        }

        if (!endpoint.IsAbsoluteUri)
        {
            errors.Add(new(nameof(ModelDescriptor.Endpoint), "The endpoint must be an absolute URI, such as https://api.openai.com/v1."));
        }
        else if (endpoint.OriginalString.Length > MaxEndpointLength)
        {
            errors.Add(new(nameof(ModelDescriptor.Endpoint), $"At most {MaxEndpointLength} characters are allowed (was {endpoint.OriginalString.Length})."));
        }
    }

    private static bool IsCredentialName(string name) =>
        name.Length is > 0 and <= MaxCredentialNameLength
        && (char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or ':' or '@');

    private static string Shorten(string key) => key.Length <= 40 ? key : string.Concat(key.AsSpan(0, 40), "…");
}
