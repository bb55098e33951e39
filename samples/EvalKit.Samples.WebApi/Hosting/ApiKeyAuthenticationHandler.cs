using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header. The key itself is never logged nor echoed: logs name the client
/// (its configured name) or say that a key matched none. A missing or wrong key is answered 401 with problem details.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The authentication scheme.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The claim that carries the client's tenant.</summary>
    public const string TenantClaim = "evalkit:tenant";

    private readonly ILogger _log = loggerFactory.CreateLogger<ApiKeyAuthenticationHandler>();

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = values.Count == 1 ? keys.Find(values[0]!) : null;
        if (client is null)
        {
            LogKeyRejected(Request.Method, Request.Path, values.Count);
            return Task.FromResult(AuthenticateResult.Fail("The API key matches no configured client."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, client.Name), new Claim(TenantClaim, client.Tenant)],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.ContainsKey(HeaderName);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Type = ApiProblems.TypeBase + "unauthorized",
                Title = "Authentication is required.",
                Detail = presented
                    ? $"The API key in the {HeaderName} header is not valid."
                    : $"Send your API key in the {HeaderName} header.",
            },
        });
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Rejected {Method} {Path}: the API key ({HeaderCount} header value(s)) matches no configured client")]
    private partial void LogKeyRejected(string method, PathString path, int headerCount);
}
