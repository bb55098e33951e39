using System.Security.Claims;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Logs one line per request: method, path (never the query string or the headers, so no key can leak), status, client,
/// tenant and duration, inside a logging scope that carries the request id.
/// </summary>
internal static partial class RequestLogging
{
    /// <summary>Adds the middleware; put it right after <see cref="RequestIds.UseRequestIds"/>.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLogging));
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = RequestIds.Get(context) });
            var start = time.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var client = context.User.FindFirstValue(ClaimTypes.Name) ?? "-";
                var tenant = context.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim) ?? "-";
                var elapsed = time.GetElapsedTime(start).TotalMilliseconds;
                LogRequest(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, client, tenant, elapsed);
            }
        });
    }

    [LoggerMessage(EventId = 9301, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} (client {Client}, tenant {Tenant}, {ElapsedMilliseconds:0.0} ms)")]
    private static partial void LogRequest(ILogger logger, string method, PathString path, int status, string client, string tenant, double elapsedMilliseconds);
}
