using EvalKit.Comparisons;
using EvalKit.Samples.WebApi.Contracts;
using EvalKit.Samples.WebApi.Hosting;

namespace EvalKit.Samples.WebApi.Endpoints;

/// <summary>
/// <c>/ab-tests</c>: A/B tests between models (<see cref="IAbTestService"/>). Executing answers 202; poll
/// <c>GET /ab-tests/{id}</c> until its status is <c>completed</c>, then read <c>/results</c>.
/// </summary>
internal static class AbTestEndpoints
{
    private const string Kind = "ab-test";

    /// <summary>Maps the endpoints.</summary>
    /// <param name="api">The API's route group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        var tests = api.MapGroup("/ab-tests").WithTags("A/B tests");
        tests.MapPost(string.Empty, CreateAsync).WithName("CreateAbTest")
            .WithSummary("Creates an A/B test of two or more models on one benchmark.")
            .Produces<ApiResponse<AbTestView>>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tests.MapGet("/{id}", GetAsync).WithName("GetAbTest")
            .WithSummary("Gets an A/B test and its status.")
            .Produces<ApiResponse<AbTestView>>().ProducesProblem(StatusCodes.Status404NotFound);
        tests.MapPost("/{id}/execute", ExecuteAsync).WithName("ExecuteAbTest")
            .WithSummary("Executes an A/B test in the background: every model's run, then the statistics.")
            .Produces<ApiResponse<AbTestView>>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        tests.MapGet("/{id}/results", GetResultsAsync).WithName("GetAbTestResults")
            .WithSummary("Gets an executed A/B test's results: per-model summaries, pairwise tests, winner and verdict.")
            .Produces<ApiResponse<AbTestResults>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, AbTestBody body, IAbTestService service, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (body.Id is not null)
        {
            Ids.Check("id", body.Id, errors);
        }

        errors.Require("name", body.Name);
        errors.Require("benchmark_id", body.BenchmarkId);
        var modelIds = new List<string>();
        for (var i = 0; i < (body.ModelIds?.Count ?? 0); i++)
        {
            if (errors.Require($"model_ids[{i}]", body.ModelIds![i]))
            {
                modelIds.Add(body.ModelIds[i]!);
            }
        }

        if (modelIds.Distinct(StringComparer.Ordinal).Count() < 2)
        {
            errors.Add("model_ids", "must name two or more distinct models.");
        }

        if (body.Alpha is { } alpha && !(alpha > 0 && alpha < 1))
        {
            errors.Add("alpha", "must lie in (0, 1).");
        }

        var options = body.Options?.ToOptions(errors, "options");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var test = await service.CreateAsync(
            new AbTestDefinition
            {
                Id = body.Id,
                Name = body.Name!,
                ModelIds = modelIds,
                BenchmarkId = body.BenchmarkId!,
                PrimaryMetric = body.PrimaryMetric,
                Alpha = body.Alpha ?? 0.05,
                Design = body.Design ?? AbTestDesign.Paired,
                Correction = body.Correction ?? PValueCorrection.Holm,
                Options = options,
            },
            cancellationToken);
        return Api.Created(context, $"{Api.Prefix}/ab-tests/{Api.Segment(test.Id)}", AbTestView.From(test, executing: false));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IAbTestService service, BackgroundJobs jobs, CancellationToken cancellationToken)
    {
        var testId = Api.FromSegment(id);
        return await service.GetAsync(testId, cancellationToken) is { } test
            ? Api.Ok(context, AbTestView.From(test, jobs.IsRunning(Kind, testId)))
            : ApiProblems.NotFound("A/B test", testId);
    }

    private static async Task<IResult> ExecuteAsync(HttpContext context, string id, IAbTestService service, BackgroundJobs jobs, CancellationToken cancellationToken)
    {
        var testId = Api.FromSegment(id);
        if (await service.GetAsync(testId, cancellationToken) is not { } test)
        {
            return ApiProblems.NotFound("A/B test", testId);
        }

        if (jobs.TryStart(Kind, testId, stopping => service.ExecuteAsync(testId, progress: null, stopping)) is null)
        {
            return ApiProblems.Conflict($"A/B test '{testId}' is executing already.");
        }

        return Api.Accepted(context, $"{Api.Prefix}/ab-tests/{Api.Segment(testId)}", AbTestView.From(test, executing: true));
    }

    private static async Task<IResult> GetResultsAsync(HttpContext context, string id, IAbTestService service, BackgroundJobs jobs, CancellationToken cancellationToken)
    {
        var testId = Api.FromSegment(id);
        if (await service.GetAsync(testId, cancellationToken) is not { } test)
        {
            return ApiProblems.NotFound("A/B test", testId);
        }

        if (jobs.IsRunning(Kind, testId) || test.Status != AbTestStatus.Completed)
        {
            return ApiProblems.Conflict($"A/B test '{testId}' is {(jobs.IsRunning(Kind, testId) ? "executing" : test.Status.ToString().ToLowerInvariant())}; its results exist once it has completed (POST .../execute).");
        }

        return Api.Ok(context, await service.GetResultsAsync(testId, cancellationToken));
    }
}
