using Microsoft.AspNetCore.Http.HttpResults;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>Builds the enveloped results of the endpoints.</summary>
internal static class Api
{
    /// <summary>The route prefix of every endpoint.</summary>
    public const string Prefix = "/api/v1/evaluation";

    /// <summary>The API version reported in <c>metadata.version</c>.</summary>
    public const string Version = "v1";

    /// <summary>Builds the <c>metadata</c> member of a response.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The metadata, time-stamped by the host's <see cref="TimeProvider"/>.</returns>
    public static ResponseMetadata Metadata(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), RequestIds.Get(context), Version);

    /// <summary>A 200 response.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="context">The request.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The result.</returns>
    public static Ok<ApiResponse<T>> Ok<T>(HttpContext context, T data) =>
        TypedResults.Ok(new ApiResponse<T>(true, data, Metadata(context)));

    /// <summary>A 200 response with one page of a list.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="context">The request.</param>
    /// <param name="items">The items of the page.</param>
    /// <param name="page">The page.</param>
    /// <param name="total">The number of items on all pages.</param>
    /// <returns>The result.</returns>
    public static Ok<ApiResponse<IReadOnlyList<T>>> Page<T>(HttpContext context, IReadOnlyList<T> items, PageRequest page, long total) =>
        TypedResults.Ok(new ApiResponse<IReadOnlyList<T>>(true, items, Metadata(context), Pagination.Of(page, total)));

    /// <summary>A 201 response.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="context">The request.</param>
    /// <param name="location">The created resource's path.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The result.</returns>
    public static Created<ApiResponse<T>> Created<T>(HttpContext context, string location, T data) =>
        TypedResults.Created(location, new ApiResponse<T>(true, data, Metadata(context)));

    /// <summary>A 202 response: the work goes on in the background; poll <paramref name="location"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="context">The request.</param>
    /// <param name="location">Where to poll.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The result.</returns>
    public static Accepted<ApiResponse<T>> Accepted<T>(HttpContext context, string location, T data) =>
        TypedResults.Accepted(location, new ApiResponse<T>(true, data, Metadata(context)));

    /// <summary>Escapes an id for a path segment (model ids contain <c>/</c>, sent as <c>%2F</c>).</summary>
    /// <param name="id">The id.</param>
    /// <returns>The escaped id.</returns>
    public static string Segment(string id) => Uri.EscapeDataString(id);

    /// <summary>
    /// Reads an id from a path segment. Kestrel leaves <c>%2F</c> escaped in the path (so that it cannot split segments), so
    /// the route value is unescaped here once more.
    /// </summary>
    /// <param name="segment">The route value.</param>
    /// <returns>The id.</returns>
    public static string FromSegment(string segment) => Uri.UnescapeDataString(segment);
}
