using EvalKit.Security;
using Microsoft.Extensions.Options;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>The API keys the host accepts (configuration section <c>Authentication</c>).</summary>
internal sealed class ApiKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Authentication";

    /// <summary>The shortest key accepted.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Gets the clients, each with its key and tenant.</summary>
    public List<ApiKeyClient> ApiKeys { get; init; } = [];
}

/// <summary>One client of the API: a name (logged), a secret key (never logged) and the tenant it acts for.</summary>
internal sealed class ApiKeyClient
{
    /// <summary>Gets the client's name, shown in logs and used as its rate-limit partition.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the secret the client sends in <c>X-Api-Key</c>.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>Gets the tenant the client's requests run as (<see cref="EvalKitTenant.Use(string)"/>).</summary>
    public string Tenant { get; init; } = string.Empty;

    /// <summary>Gets the client's own request limit per window, or <see langword="null"/> for <see cref="RateLimitOptions.PermitLimit"/>.</summary>
    public int? PermitLimit { get; init; }
}

/// <summary>Checks the keys at start-up. Messages name a client by its position and name, never by its key.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var problems = new List<string>();
        if (options.ApiKeys.Count == 0)
        {
            problems.Add($"{ApiKeyOptions.Section}:ApiKeys is empty: configure at least one client (Name, Key, Tenant).");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var client = options.ApiKeys[i];
            var where = $"{ApiKeyOptions.Section}:ApiKeys:{i} ('{client.Name}')";
            if (string.IsNullOrWhiteSpace(client.Name))
            {
                problems.Add($"{where}: Name is required.");
            }

            if (client.Key.Length < ApiKeyOptions.MinKeyLength)
            {
                problems.Add($"{where}: Key must have at least {ApiKeyOptions.MinKeyLength} characters.");
            }

            if (!EvalKitTenant.IsValid(client.Tenant))
            {
                problems.Add($"{where}: Tenant '{client.Tenant}' is not a valid tenant id (1 to {EvalKitTenant.MaxLength} letters, digits, '-', '_', '.', ':' or '@').");
            }

            if (client.PermitLimit is < 1)
            {
                problems.Add($"{where}: PermitLimit must be at least 1.");
            }
        }

        foreach (var duplicate in options.ApiKeys.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{ApiKeyOptions.Section}:ApiKeys: the name '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        if (options.ApiKeys.GroupBy(c => c.Key, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            problems.Add($"{ApiKeyOptions.Section}:ApiKeys: two clients share a key; give each its own.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
