using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by API key client (its configured name, never the key) with a fixed window; a
/// request over the limit is answered 429 with <c>Retry-After</c> (whole seconds until the window resets) and problem details.
/// </summary>
/// <remarks>The fixed-window limiter keeps its own clock (System.Threading.RateLimiting takes no <see cref="TimeProvider"/>).</remarks>
internal static partial class RateLimiting
{
    /// <summary>Registers the limiter.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            limiter.OnRejected = OnRejectedAsync;
        });

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        if (context.User.Identity is { IsAuthenticated: true, Name: { } client })
        {
            var keys = context.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
            var limit = keys.ApiKeys.FirstOrDefault(c => c.Name == client)?.PermitLimit ?? options.PermitLimit;
            return RateLimitPartition.GetFixedWindowLimiter("client:" + client, _ => Window(limit, window));
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter("ip:" + address, _ => Window(options.AnonymousPermitLimit, window));
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(options.WindowSeconds);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var client = context.User.FindFirstValue(ClaimTypes.Name);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting));
        LogRejected(logger, context.Request.Method, context.Request.Path, client ?? "(no valid key)", seconds);

        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Type = ApiProblems.TypeBase + "rate-limited",
                Title = "Too many requests.",
                Detail = string.Create(CultureInfo.InvariantCulture, $"The request limit of this client is reached; retry in {seconds} s."),
                Extensions = { ["retry_after_seconds"] = seconds },
            },
        });
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Rate limit reached: {Method} {Path} by {Client}; retry after {Seconds} s")]
    private static partial void LogRejected(ILogger logger, string method, PathString path, string client, long seconds);
}
