using System.Globalization;
using System.Net;
using Polly.Timeout;

namespace EvalKit.Evaluation;

/// <summary>Maps the exception of a failed model call to an <see cref="ErrorCategory"/>.</summary>
public static class ErrorClassifier
{
    /// <summary>Classifies an exception.</summary>
    /// <param name="exception">The exception a model call threw.</param>
    /// <returns>The category.</returns>
    public static ErrorCategory Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ModelCallException m => m.Category,
            TimeoutRejectedException or TimeoutException => ErrorCategory.Timeout,
            HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } => ErrorCategory.RateLimited,
            HttpRequestException { StatusCode: HttpStatusCode.RequestTimeout } => ErrorCategory.Timeout,
            HttpRequestException { StatusCode: null } => ErrorCategory.Transient,
            HttpRequestException { StatusCode: { } code } when (int)code >= 500 => ErrorCategory.Transient,
            HttpRequestException => ErrorCategory.Fatal,
            IOException => ErrorCategory.Transient,
            _ when StatusOf(exception) is { } status => status switch
            {
                429 => ErrorCategory.RateLimited,
                408 => ErrorCategory.Timeout,
                >= 500 => ErrorCategory.Transient,
                _ => ErrorCategory.Fatal,
            },
            _ => ErrorCategory.Fatal,
        };
    }

    /// <summary>Tells whether a category is worth retrying.</summary>
    /// <param name="category">The category.</param>
    /// <returns><see langword="true"/> for timeouts, rate limits and transient failures.</returns>
    public static bool IsRetryable(ErrorCategory category) =>
        category is ErrorCategory.Timeout or ErrorCategory.RateLimited or ErrorCategory.Transient;

    /// <summary>Finds how long the provider asked to wait before retrying a failed call.</summary>
    /// <param name="exception">The exception a model call threw.</param>
    /// <param name="timeProvider">The clock, to turn an HTTP-date Retry-After into a wait; the system clock when <see langword="null"/>.</param>
    /// <returns>
    /// <see cref="ModelCallException.RetryAfter"/>, or the <c>retry-after-ms</c> or <c>Retry-After</c> header of an SDK exception's raw
    /// response (System.ClientModel's ClientResultException, Azure's RequestFailedException), or <see langword="null"/>.
    /// </returns>
    public static TimeSpan? RetryAfterOf(Exception exception, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is ModelCallException m)
        {
            return m.RetryAfter;
        }

        var response = exception.GetType().GetMethod("GetRawResponse", Type.EmptyTypes)?.Invoke(exception, null);
        var headers = response?.GetType().GetProperty("Headers")?.GetValue(response);
        var tryGetValue = headers?.GetType().GetMethod("TryGetValue", [typeof(string), typeof(string).MakeByRefType()]);
        if (tryGetValue is null)
        {
            return null;
        }

        string? Header(string name)
        {
            object?[] arguments = [name, null];
            return tryGetValue.Invoke(headers, arguments) is true ? arguments[1] as string : null;
        }

        if (double.TryParse(Header("retry-after-ms"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        var value = Header("Retry-After");
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - (timeProvider ?? TimeProvider.System).GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    // SDK exceptions (System.ClientModel's ClientResultException, Azure's RequestFailedException) expose an int Status.
    private static int? StatusOf(Exception exception) =>
        exception.GetType().GetProperty("Status")?.GetValue(exception) as int?;
}
