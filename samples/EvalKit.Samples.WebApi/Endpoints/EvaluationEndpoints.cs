using EvalKit.Evaluation;
using EvalKit.Samples.WebApi.Contracts;
using EvalKit.Samples.WebApi.Hosting;
using EvalKit.Storage;
using Microsoft.AspNetCore.Mvc;

namespace EvalKit.Samples.WebApi.Endpoints;

/// <summary>
/// <c>/evaluations</c>: runs of the evaluation engine (<see cref="IEvaluationEngine"/>). Starting answers 202 once the run is
/// stored and running; poll <c>GET /evaluations/{id}</c> until its status is <c>completed</c>, <c>failed</c> or <c>cancelled</c>.
/// </summary>
internal static class EvaluationEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    /// <param name="api">The API's route group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        var evaluations = api.MapGroup("/evaluations").WithTags("Evaluations");
        evaluations.MapPost(string.Empty, StartAsync).WithName("StartEvaluation")
            .WithSummary("Starts evaluating a model on a benchmark (or a dataset) in the background.")
            .Produces<ApiResponse<EvaluationView>>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        evaluations.MapGet("/{id}", GetStatusAsync).WithName("GetEvaluation")
            .WithSummary("Gets a run's status and progress, and its summary once completed.")
            .Produces<ApiResponse<EvaluationView>>().ProducesProblem(StatusCodes.Status404NotFound);
        evaluations.MapGet("/{id}/results", GetResultsAsync).WithName("GetEvaluationResults")
            .WithSummary("Lists a finished run's per-case results, by case ordinal, a page at a time.")
            .Produces<ApiResponse<IReadOnlyList<CaseResultView>>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        evaluations.MapPost("/{id}/cancel", CancelAsync).WithName("CancelEvaluation")
            .WithSummary("Cancels a running run; what it stored stays, and it can be resumed.")
            .Produces<ApiResponse<CancelView>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> StartAsync(
        HttpContext context,
        StartEvaluationBody body,
        IEvaluationEngine engine,
        IModelClientProvider clients,
        ScorerCatalog catalog,
        BackgroundJobs jobs,
        RunStartSignals signals,
        IEvalKitStorage storage,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (errors.Require("model_id", body.ModelId) && clients.GetClient(body.ModelId!) is null)
        {
            // A registered model with no client cannot be evaluated: say so here rather than from the background.
            errors.Add("model_id", $"no model client serves '{body.ModelId}' in this host (configure FakeModels, or plug a real client).");
        }

        if ((body.BenchmarkId is null) == (body.DatasetId is null))
        {
            errors.Add("benchmark_id", "give either benchmark_id or dataset_id, not both and not neither.");
        }

        var scorers = Ids.Scorers("scorers", body.Scorers, catalog, errors);
        if (body.BenchmarkId is not null && (scorers.Count > 0 || body.PromptTemplate is not null || body.SystemPrompt is not null))
        {
            errors.Add("scorers", "scorers, prompt_template and system_prompt come from the benchmark; leave them out when benchmark_id is given.");
        }

        var options = body.Options?.ToOptions(errors, "options");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var runId = Guid.CreateVersion7(time.GetUtcNow()).ToString("n");
        var request = new EvaluationRequest
        {
            RunId = runId,
            ModelId = body.ModelId!,
            BenchmarkId = body.BenchmarkId,
            DatasetId = body.DatasetId,
            ScorerNames = body.BenchmarkId is null && scorers.Count > 0 ? scorers : null,
            PromptTemplate = body.PromptTemplate,
            SystemPrompt = body.SystemPrompt,
            Options = options,
        };

        // The engine stores the run, then reports it started; a request it rejects (unknown model or benchmark) fails
        // before that, and the failure is this request's answer.
        var started = signals.Expect(runId);
        var job = jobs.TryStart("evaluation", runId, stopping => engine.EvaluateAsync(request, progress: null, stopping))!;
        if (await Task.WhenAny(started, job) == job && (job.IsFaulted || job.IsCanceled))
        {
            signals.Forget(runId);
            await job;
        }

        var view = await ViewAsync(runId, engine, storage, cancellationToken);
        return Api.Accepted(context, $"{Api.Prefix}/evaluations/{runId}", view);
    }

    private static async Task<IResult> GetStatusAsync(HttpContext context, string id, IEvaluationEngine engine, IEvalKitStorage storage, CancellationToken cancellationToken) =>
        Api.Ok(context, await ViewAsync(Api.FromSegment(id), engine, storage, cancellationToken));

    private static async Task<IResult> GetResultsAsync(
        HttpContext context,
        string id,
        IEvaluationEngine engine,
        [FromQuery(Name = "page")] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var paging = PageRequest.Parse(page, pageSize, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var runId = Api.FromSegment(id);
        var status = await engine.GetStatusAsync(runId, cancellationToken);
        if (status.Status is RunStatus.Pending or RunStatus.Running)
        {
            return ApiProblems.Conflict($"Run '{runId}' is {status.Status.ToString().ToLowerInvariant()} ({status.Done} of {status.Total} results); its results are listed once it ends.");
        }

        // A run that has ended streams its stored results once, in order: the page is read without loading the others.
        var items = await engine.StreamResultsAsync(runId, cancellationToken)
            .Skip((int)Math.Min(paging.Skip, int.MaxValue))
            .Take(paging.PageSize)
            .Select(CaseResultView.From)
            .ToListAsync(cancellationToken);
        return Api.Page(context, items, paging, status.Done);
    }

    private static async Task<IResult> CancelAsync(HttpContext context, string id, IEvaluationEngine engine, CancellationToken cancellationToken)
    {
        var runId = Api.FromSegment(id);
        var status = await engine.GetStatusAsync(runId, cancellationToken);
        if (!await engine.CancelAsync(runId, cancellationToken))
        {
            return ApiProblems.Conflict($"Run '{runId}' is not running (it is {status.Status.ToString().ToLowerInvariant()}); only a running run can be cancelled.");
        }

        return Api.Ok(context, new CancelView(runId, Cancelled: true));
    }

    private static async Task<EvaluationView> ViewAsync(string runId, IEvaluationEngine engine, IEvalKitStorage storage, CancellationToken cancellationToken)
    {
        var status = await engine.GetStatusAsync(runId, cancellationToken);

        // The run record (with its summary) without its results; GetResultsAsync would read every result.
        var run = await storage.Runs.GetAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId);
        return EvaluationView.From(run, status);
    }
}
