using System.Text;
using System.Text.RegularExpressions;

namespace EvalKit.Security;

/// <summary>
/// Recognises text that looks like a credential (API keys, tokens, private keys, passwords in connection strings and
/// URLs) and removes it from messages. The registry rejects such values; error messages are scrubbed before they are
/// stored, logged or put into telemetry.
/// </summary>
/// <remarks>
/// The shapes are deliberately concrete (known key prefixes, <c>user:password@</c>, <c>password=</c>, secret-named query
/// parameters): a generic "high entropy" rule would also reject hashes and ids. A secret of no known shape can still be
/// stored by a host that puts it in free text; the rule EvalKit documents is to keep credentials out of its records
/// altogether and refer to them by <see cref="Registry.ModelDescriptor.CredentialName"/>.
/// </remarks>
internal static partial class SecretText
{
    /// <summary>What replaces a removed secret.</summary>
    public const string Placeholder = "[secret removed]";

    private static readonly string[] SecretWords =
    [
        "apikey", "apitoken", "password", "passwd", "passphrase", "secret", "accesstoken", "authtoken", "refreshtoken",
        "bearertoken", "sessiontoken", "sastoken", "privatekey", "accesskey", "connectionstring", "authorization", "credential",
    ];

    private static readonly string[] SecretNames = ["key", "token", "pwd", "pass", "auth", "sig", "signature"];

    // A name that ends like this refers to a secret rather than holding one ("api_key_name", "password_file").
    private static readonly string[] ReferenceSuffixes = ["name", "ref", "reference", "env", "envvar", "variable", "file", "path", "id"];

    /// <summary>Tells whether a text contains something shaped like a credential.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when a credential shape occurs in it.</returns>
    public static bool LooksLikeSecret(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (Match match in Shapes().Matches(text))
        {
            if (IsSecret(match))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces every credential-shaped part of a text with <see cref="Placeholder"/>.</summary>
    /// <param name="text">The text, such as an exception message.</param>
    /// <returns>The text without secrets; the same instance when it had none.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        StringBuilder? builder = null;
        var copied = 0;
        foreach (Match match in Shapes().Matches(text))
        {
            if (!IsSecret(match))
            {
                continue;
            }

            var secret = match.Groups["s"];
            if (secret.Index < copied)
            {
                // Already removed as part of an earlier match ("password=sk-..." matches twice).
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, secret.Index - copied).Append(Placeholder);
            copied = secret.Index + secret.Length;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// Tells whether a name (a metadata key, a query parameter) says that its value is a secret, such as <c>api_key</c>,
    /// <c>password</c>, <c>x-api-key</c> or <c>client_secret</c>. Names that refer to a secret (<c>api_key_name</c>,
    /// <c>secret_ref</c>, <c>password_file</c>) and names such as <c>max_tokens</c> do not.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when the name announces a secret value.</returns>
    public static bool IsSecretName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var normalized = Normalize(name);
        if (normalized.Length == 0)
        {
            return false;
        }

        if (SecretNames.Contains(normalized, StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var suffix in ReferenceSuffixes)
        {
            if (normalized.Length > suffix.Length && normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var word in SecretWords)
        {
            if (normalized.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static bool IsSecret(Match match)
    {
        var secret = match.Groups["s"];
        if (!secret.Success || secret.Length == 0)
        {
            return false;
        }

        // "sk-" keys are random: they contain digits. "sk-learn-tutorial-notes" is not a key.
        if (match.Groups["sk"].Success)
        {
            return secret.ValueSpan.ContainsAnyInRange('0', '9');
        }

        // A query parameter or a key=value pair counts only under a secret name.
        if (match.Groups["name"].Success)
        {
            return IsSecretName(match.Groups["name"].Value);
        }

        return true;
    }

    // Every alternative captures the secret part as "s", so that Scrub keeps what surrounds it.
    [GeneratedRegex(
        """
        (?<sk>(?<![A-Za-z0-9])(?<s>sk-[A-Za-z0-9_-]{16,}))
        |(?<![A-Za-z0-9])(?<s>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})
        |(?<s>-----BEGIN[A-Z\ ]*PRIVATE\ KEY-----)
        |(?<![A-Za-z0-9_-])(?<s>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})
        |\b(?:Bearer|Basic)\s+(?<s>[A-Za-z0-9._~+/-]{16,}=*)
        |[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:(?<s>[^/\s@]+)@
        |(?<=[?&;])(?<name>[A-Za-z0-9_.-]+)=(?=(?<s>[^&#;\s]{6,}))
        |(?<![A-Za-z0-9_.-])(?<name>[A-Za-z][A-Za-z0-9_.-]{1,40})"?\s*[=:]\s*"?(?=(?<s>[^;\s"',&]{6,}))
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Shapes();
}
