using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Errors: RFC 7807 problem details (<c>application/problem+json</c>) with the envelope's <c>success: false</c> and
/// <c>metadata</c> as extension members; validation problems add <c>errors</c>, keyed by the JSON name of each field.
/// </summary>
internal static class ApiProblems
{
    /// <summary>The base of the problem type URIs.</summary>
    public const string TypeBase = "urn:evalkit:problem:";

    /// <summary>A problem.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="type">The problem type, appended to <see cref="TypeBase"/>.</param>
    /// <param name="title">The short, fixed description of the type.</param>
    /// <param name="detail">What happened, for this request.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Type = TypeBase + type, Title = title, Detail = detail });

    /// <summary>A 400 validation problem naming every invalid field.</summary>
    /// <param name="errors">The problems.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Validation(FieldErrors errors) => TypedResults.Problem(ValidationDetails(errors.ToDictionary()));

    /// <summary>The problem details of a validation failure.</summary>
    /// <param name="errors">The problems by field.</param>
    /// <returns>The problem details.</returns>
    public static HttpValidationProblemDetails ValidationDetails(IDictionary<string, string[]> errors) =>
        new(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypeBase + "validation",
            Title = "The request is invalid.",
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        };

    /// <summary>A 404 problem.</summary>
    /// <param name="kind">What was looked for, such as <c>model</c>.</param>
    /// <param name="id">Its id.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult NotFound(string kind, string id) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "The resource does not exist.", $"No {kind} with id '{id}' exists for this tenant.");

    /// <summary>A 409 problem.</summary>
    /// <param name="detail">What conflicts.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "conflict", "The request conflicts with the resource's state.", detail);

    /// <summary>Adds <c>success: false</c> and <c>metadata</c> to every problem the host writes (endpoints, 401, 404, 429, 500...).</summary>
    /// <param name="context">The problem being written.</param>
    public static void AddEnvelope(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Extensions["success"] = false;
        problem.Extensions["metadata"] = Api.Metadata(context.HttpContext);

        // The framework adds the W3C trace id as "traceId" (written "trace_id" by the naming policy); it stays, beside the
        // envelope's request id, to correlate with distributed traces.
        if (problem.Type is null or "" || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            problem.Type = TypeBase + "http-" + problem.Status.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
