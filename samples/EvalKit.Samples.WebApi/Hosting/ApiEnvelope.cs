using System.Text.Json.Serialization;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// The envelope of every successful response: <c>{ success, data, metadata, pagination }</c>. <c>pagination</c> is present
/// only on lists. Errors are RFC 7807 problem details that carry <c>success</c> and <c>metadata</c> too (see <see cref="ApiProblems"/>).
/// </summary>
/// <typeparam name="T">The type of the payload.</typeparam>
/// <param name="Success">Always <see langword="true"/> on this type.</param>
/// <param name="Data">The payload.</param>
/// <param name="Metadata">When, for which request and by which API version the response was made.</param>
/// <param name="Pagination">The page, on lists; omitted otherwise.</param>
internal sealed record ApiResponse<T>(
    bool Success,
    T Data,
    ResponseMetadata Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Pagination? Pagination = null);

/// <summary>The <c>metadata</c> member of every response, successful or not.</summary>
/// <param name="Timestamp">When the response was made (from the host's <see cref="TimeProvider"/>).</param>
/// <param name="RequestId">The request id, also sent as the <c>X-Request-Id</c> response header.</param>
/// <param name="Version">The API version.</param>
internal sealed record ResponseMetadata(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("version")] string Version);

/// <summary>The <c>pagination</c> member of a list response.</summary>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">The largest number of items on a page.</param>
/// <param name="Total">The number of items on all pages.</param>
/// <param name="TotalPages">The number of pages: <c>ceil(total / page_size)</c>, 0 when there is no item.</param>
internal sealed record Pagination(
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("total_pages")] long TotalPages)
{
    /// <summary>Builds the pagination of a page over a number of items.</summary>
    /// <param name="page">The requested page.</param>
    /// <param name="total">The number of items on all pages.</param>
    /// <returns>The pagination.</returns>
    public static Pagination Of(PageRequest page, long total) =>
        new(page.Page, page.PageSize, total, (total + page.PageSize - 1) / page.PageSize);
}
