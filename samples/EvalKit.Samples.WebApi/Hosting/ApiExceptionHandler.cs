using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Selection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Turns the exceptions of EvalKit's services (and of request binding) into problem details: invalid input is 400 and names
/// the field, a missing resource 404, a state conflict 409, no eligible model 422. Anything else is a 500 whose details
/// stay in the log.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody reads the answer.
            return true;
        }

        var problem = Map(exception);
        var type = exception.GetType().Name;
        if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(type, httpContext.Request.Method, httpContext.Request.Path, exception);
        }
        else
        {
            LogRejected(httpContext.Request.Method, httpContext.Request.Path, problem.Status ?? 0, type);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Map(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } =>
            Validation(FieldOf(json.Path), $"is not valid JSON for this field ({Shorten(json.Message)})."),
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode,
            Type = ApiProblems.TypeBase + "bad-request",
            Title = "The request could not be read.",
            Detail = bad.Message,
        },
        ValidationException { Errors.Count: > 0 } invalid => ApiProblems.ValidationDetails(
            invalid.Errors.GroupBy(e => FieldErrors.JsonPath(e.Field), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal)),
        DatasetFormatException format => Validation("dataset.cases" + (format.Field is { } f ? "." + FieldErrors.JsonPath(f) : string.Empty), format.Message),
        NoEligibleModelException none => new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Type = ApiProblems.TypeBase + "no-eligible-model",
            Title = "No model satisfies the selection request.",
            Detail = none.Message,
            Extensions = { ["rejected"] = none.Explanation?.Rejected.Select(r => new { model_id = r.ModelId, reason = r.Reason, message = r.Message }).ToArray() },
        },
        NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "not-found", "The resource does not exist.", notFound.Message),
        ModelInUseException inUse => Problem(StatusCodes.Status409Conflict, "model-in-use", "The model is in use.", inUse.Message),
        ArgumentException argument when FieldOfParameter(argument.ParamName) is { } field => Validation(field, argument.Message),
        ArgumentException argument => Problem(StatusCodes.Status400BadRequest, "invalid-request", "The request is invalid.", argument.Message),
        InvalidOperationException or EvalKitException =>
            Problem(StatusCodes.Status409Conflict, "conflict", "The request conflicts with the resource's state.", exception.Message),
        _ => Problem(StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred.", "The error was logged with this response's request id."),
    };

    private static ProblemDetails Problem(int status, string type, string title, string detail) =>
        new() { Status = status, Type = ApiProblems.TypeBase + type, Title = title, Detail = detail };

    private static HttpValidationProblemDetails Validation(string field, string message) =>
        ApiProblems.ValidationDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    // "$.pricing.input_per_million_tokens" -> "pricing.input_per_million_tokens"; the body itself is "body".
    private static string FieldOf(string? jsonPath) =>
        jsonPath is null or "$" ? "body" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    // EvalKit's services name the culprit in ParamName, such as "request.Weights.Quality"; a bare parameter name
    // ("definition", "request") names no field.
    private static string? FieldOfParameter(string? parameter)
    {
        if (parameter is null)
        {
            return null;
        }

        var dot = parameter.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : FieldErrors.JsonPath(parameter[(dot + 1)..]);
    }

    private static string Shorten(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "{ExceptionType} while handling {Method} {Path}")]
    private partial void LogUnexpected(string exceptionType, string method, PathString path, Exception exception);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} ({ExceptionType})")]
    private partial void LogRejected(string method, PathString path, int status, string exceptionType);
}
