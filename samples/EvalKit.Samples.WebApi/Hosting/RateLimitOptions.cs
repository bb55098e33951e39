namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>Request limits (configuration section <c>RateLimiting</c>): a fixed window per API key, and per IP address for requests without a valid key.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimiting";

    /// <summary>Gets the requests a client may make per window, unless its key sets its own <see cref="ApiKeyClient.PermitLimit"/>.</summary>
    /// <value>The default value is 600.</value>
    public int PermitLimit { get; init; } = 600;

    /// <summary>Gets the requests an IP address may make per window without a valid key (so keys cannot be guessed quickly).</summary>
    /// <value>The default value is 60.</value>
    public int AnonymousPermitLimit { get; init; } = 60;

    /// <summary>Gets the window, in seconds.</summary>
    /// <value>The default value is 60.</value>
    public int WindowSeconds { get; init; } = 60;
}
