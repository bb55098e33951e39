namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Gives every request an id: the caller's <c>X-Request-Id</c> when it is a short, safe token, otherwise a new one. The id
/// is echoed in the <c>X-Request-Id</c> response header and in every response's <c>metadata.request_id</c>.
/// </summary>
internal static class RequestIds
{
    /// <summary>The header that carries the id, both ways.</summary>
    public const string HeaderName = "X-Request-Id";

    private const int MaxLength = 64;
    private static readonly object ItemKey = new();

    /// <summary>Gets the id of a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The id given by <see cref="UseRequestIds"/>, or the server's trace identifier before it ran.</returns>
    public static string Get(HttpContext context) => context.Items[ItemKey] as string ?? context.TraceIdentifier;

    /// <summary>Adds the middleware that assigns request ids; put it first.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var offered = context.Request.Headers[HeaderName].ToString();
            var id = IsSafe(offered)
                ? offered
                : Guid.CreateVersion7(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).ToString("n");
            context.Items[ItemKey] = id;

            // Set when the response starts: the exception handler clears the headers of a failed response.
            context.Response.OnStarting(
                static state =>
                {
                    var (response, value) = ((HttpResponse, string))state;
                    response.Headers[HeaderName] = value;
                    return Task.CompletedTask;
                },
                (context.Response, id));
            await next(context);
        });

    // Letters, digits and - _ . : only, so that an id can be logged and echoed without escaping.
    private static bool IsSafe(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
