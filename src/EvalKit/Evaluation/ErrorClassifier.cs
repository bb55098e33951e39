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

    // SDK exceptions (System.ClientModel's ClientResultException, Azure's RequestFailedException) expose an int Status.
    private static int? StatusOf(Exception exception) =>
        exception.GetType().GetProperty("Status")?.GetValue(exception) as int?;
}
