using EvalKit.Comparisons;
using EvalKit.Experiments;
using EvalKit.Samples.WebApi.Contracts;
using EvalKit.Samples.WebApi.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace EvalKit.Samples.WebApi.Endpoints;

/// <summary>
/// <c>/experiments</c>: matrices of models × prompt variants × options variants (<see cref="IExperimentService"/>). Running
/// answers 202; poll <c>GET /experiments/{id}</c> until its status is <c>completed</c>, and list its runs.
/// </summary>
internal static class ExperimentEndpoints
{
    private const string Kind = "experiment";

    /// <summary>Maps the endpoints.</summary>
    /// <param name="api">The API's route group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        var experiments = api.MapGroup("/experiments").WithTags("Experiments");
        experiments.MapPost(string.Empty, CreateAsync).WithName("CreateExperiment")
            .WithSummary("Creates an experiment: its matrix of variants, each with its run id.")
            .Produces<ApiResponse<ExperimentView>>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        experiments.MapGet("/{id}", GetAsync).WithName("GetExperiment")
            .WithSummary("Gets an experiment and its status.")
            .Produces<ApiResponse<ExperimentView>>().ProducesProblem(StatusCodes.Status404NotFound);
        experiments.MapPost("/{id}/run", RunAsync).WithName("RunExperiment")
            .WithSummary("Runs every variant of an experiment in the background (completed runs are kept, unfinished ones resumed).")
            .Produces<ApiResponse<ExperimentView>>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        experiments.MapGet("/{id}/runs", ListRunsAsync).WithName("ListExperimentRuns")
            .WithSummary("Lists an experiment's runs in variant order, a page at a time.")
            .Produces<ApiResponse<IReadOnlyList<ExperimentRun>>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ExperimentBody body, IExperimentService service, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (body.Id is not null)
        {
            Ids.Check("id", body.Id, errors);
        }

        errors.Require("name", body.Name);
        var benchmarks = Names("benchmark_ids", body.BenchmarkIds, errors);
        var models = Names("model_ids", body.ModelIds, errors);
        var prompts = new List<PromptVariant>();
        for (var i = 0; i < (body.PromptVariants?.Count ?? 0); i++)
        {
            if (body.PromptVariants![i] is { Name: not null } p && !string.IsNullOrWhiteSpace(p.Name))
            {
                prompts.Add(new PromptVariant { Name = p.Name, PromptTemplate = p.PromptTemplate, SystemPrompt = p.SystemPrompt });
            }
            else
            {
                errors.Add($"prompt_variants[{i}].name", "is required.");
            }
        }

        var variants = new List<OptionsVariant>();
        for (var i = 0; i < (body.OptionsVariants?.Count ?? 0); i++)
        {
            if (body.OptionsVariants![i] is { Name: not null } o && !string.IsNullOrWhiteSpace(o.Name))
            {
                variants.Add(new OptionsVariant { Name = o.Name, Temperature = o.Temperature, Seed = o.Seed, MaxOutputTokens = o.MaxOutputTokens, Repetitions = o.Repetitions });
            }
            else
            {
                errors.Add($"options_variants[{i}].name", "is required.");
            }
        }

        if (body.Alpha is { } alpha && !(alpha > 0 && alpha < 1))
        {
            errors.Add("alpha", "must lie in (0, 1).");
        }

        if (body.MaxConcurrentRuns is < 1 or > 64)
        {
            errors.Add("max_concurrent_runs", "must lie in [1, 64].");
        }

        var options = body.Options?.ToOptions(errors, "options");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var defaults = new ExperimentDefinition { Name = "defaults", BenchmarkIds = [], ModelIds = [] };
        var experiment = await service.CreateAsync(
            new ExperimentDefinition
            {
                Id = body.Id,
                Name = body.Name!,
                Description = body.Description,
                Hypothesis = body.Hypothesis,
                BenchmarkIds = benchmarks,
                ModelIds = models,
                PromptVariants = prompts,
                OptionsVariants = variants,
                Options = options,
                PrimaryMetric = body.PrimaryMetric,
                Alpha = body.Alpha ?? defaults.Alpha,
                Correction = body.Correction ?? PValueCorrection.Holm,
                PassThreshold = body.PassThreshold ?? defaults.PassThreshold,
                MaxConcurrentRuns = body.MaxConcurrentRuns ?? defaults.MaxConcurrentRuns,
                Tags = body.Tags ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty,
            },
            cancellationToken);
        return Api.Created(context, $"{Api.Prefix}/experiments/{Api.Segment(experiment.Id)}", ExperimentView.From(experiment, executing: false));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IExperimentService service, BackgroundJobs jobs, CancellationToken cancellationToken)
    {
        var experimentId = Api.FromSegment(id);
        return await service.GetAsync(experimentId, cancellationToken) is { } experiment
            ? Api.Ok(context, ExperimentView.From(experiment, jobs.IsRunning(Kind, experimentId)))
            : ApiProblems.NotFound("experiment", experimentId);
    }

    private static async Task<IResult> RunAsync(HttpContext context, string id, IExperimentService service, BackgroundJobs jobs, CancellationToken cancellationToken)
    {
        var experimentId = Api.FromSegment(id);
        if (await service.GetAsync(experimentId, cancellationToken) is not { } experiment)
        {
            return ApiProblems.NotFound("experiment", experimentId);
        }

        if (jobs.TryStart(Kind, experimentId, stopping => service.ExecuteAsync(experimentId, progress: null, stopping)) is null)
        {
            return ApiProblems.Conflict($"Experiment '{experimentId}' is running already.");
        }

        return Api.Accepted(context, $"{Api.Prefix}/experiments/{Api.Segment(experimentId)}", ExperimentView.From(experiment, executing: true));
    }

    private static async Task<IResult> ListRunsAsync(
        HttpContext context,
        string id,
        IExperimentService service,
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

        var experimentId = Api.FromSegment(id);
        if (await service.GetAsync(experimentId, cancellationToken) is null)
        {
            return ApiProblems.NotFound("experiment", experimentId);
        }

        var runs = await service.ListRunsAsync(experimentId, cancellationToken).ToListAsync(cancellationToken);
        return Api.Page(context, paging.Slice(runs), paging, runs.Count);
    }

    private static List<string> Names(string field, IReadOnlyList<string?>? names, FieldErrors errors)
    {
        var list = new List<string>();
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (errors.Require($"{field}[{i}]", names![i]))
            {
                list.Add(names[i]!);
            }
        }

        if (list.Count == 0)
        {
            errors.Add(field, "must name at least one.");
        }

        return list;
    }
}
