using EvalKit.Registry;
using EvalKit.Samples.WebApi.Contracts;
using EvalKit.Samples.WebApi.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace EvalKit.Samples.WebApi.Endpoints;

/// <summary>
/// <c>/models</c>: the registry (<see cref="IModelRegistry"/>). Model ids contain <c>/</c>: send it escaped as <c>%2F</c>
/// in paths (<c>/models/openai%2Fgpt-4o-mini</c>).
/// </summary>
internal static class ModelEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    /// <param name="api">The API's route group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        var models = api.MapGroup("/models").WithTags("Models");
        models.MapGet(string.Empty, ListAsync).WithName("ListModels")
            .WithSummary("Lists the tenant's models, by id, a page at a time.")
            .Produces<ApiResponse<IReadOnlyList<ModelView>>>().ProducesValidationProblem();
        models.MapGet("/{id}", GetAsync).WithName("GetModel")
            .WithSummary("Gets a model's latest revision.")
            .Produces<ApiResponse<ModelView>>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost(string.Empty, RegisterAsync).WithName("RegisterModel")
            .WithSummary("Registers a model as revision 1.")
            .Produces<ApiResponse<ModelView>>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        models.MapPatch("/{id}", UpdateAsync).WithName("UpdateModel")
            .WithSummary("Changes a model (members left out keep their values); stored as a new revision.")
            .Produces<ApiResponse<ModelView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost("/{id}/deprecate", DeprecateAsync).WithName("DeprecateModel")
            .WithSummary("Deprecates a model, optionally naming its replacement.")
            .Produces<ApiResponse<ModelView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapDelete("/{id}", DeleteAsync).WithName("DeleteModel")
            .WithSummary("Deletes a model that no run refers to (retire it otherwise).")
            .Produces<ApiResponse<DeletedView>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(
        HttpContext context,
        IModelRegistry registry,
        [FromQuery(Name = "page")] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        [FromQuery(Name = "provider")] string? provider,
        [FromQuery(Name = "status")] string? status,
        [FromQuery(Name = "capability")] string? capability,
        [FromQuery(Name = "text")] string? text,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var paging = PageRequest.Parse(page, pageSize, errors);
        ModelStatus? wanted = null;
        if (status is not null)
        {
            if (Enum.TryParse<ModelStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !status.Any(char.IsDigit))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", $"must be active, deprecated or retired (was '{status}').");
            }
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var query = new ModelQuery
        {
            Provider = provider,
            Status = wanted,
            Capabilities = capability?.Split(',', StringSplitOptions.TrimEntries),
            Text = text,
        };
        List<ModelDescriptor> all;
        try
        {
            all = await registry.ListAsync(query, cancellationToken).ToListAsync(cancellationToken);
        }
        catch (ArgumentException e)
        {
            errors.Add("capability", e.Message);
            return ApiProblems.Validation(errors);
        }

        return Api.Page(context, paging.Slice(all).Select(ModelView.From).ToList(), paging, all.Count);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var modelId = Api.FromSegment(id);
        return await registry.GetAsync(modelId, cancellationToken) is { } model
            ? Api.Ok(context, ModelView.From(model))
            : ApiProblems.NotFound("model", modelId);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, ModelBody body, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var descriptor = body.ToDescriptor(errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (await registry.GetAsync(descriptor.Id, cancellationToken) is not null)
        {
            return ApiProblems.Conflict($"A model with id '{descriptor.Id}' is already registered; change it with PATCH {Api.Prefix}/models/{Api.Segment(descriptor.Id)}.");
        }

        var stored = await registry.RegisterAsync(descriptor, cancellationToken);
        return Api.Created(context, $"{Api.Prefix}/models/{Api.Segment(stored.Id)}", ModelView.From(stored));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string id, ModelBody body, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var modelId = Api.FromSegment(id);
        var errors = new FieldErrors();
        if (body.Id is not null && body.Id != modelId)
        {
            errors.Add("id", $"cannot change (the path names '{modelId}').");
        }

        // Check the body once against a stand-in, so that problems are reported before the registry runs the change.
        _ = body.ApplyTo(new ModelDescriptor { Id = modelId }, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var updated = await registry.UpdateAsync(modelId, current => body.ApplyTo(current, new FieldErrors()), body.ChangeDescription, cancellationToken);
        return Api.Ok(context, ModelView.From(updated));
    }

    private static async Task<IResult> DeprecateAsync(HttpContext context, string id, DeprecateBody? body, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var modelId = Api.FromSegment(id);
        var deprecated = await registry.DeprecateAsync(modelId, body?.Reason, body?.ReplacementModelId, cancellationToken);
        return Api.Ok(context, ModelView.From(deprecated));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string id, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var modelId = Api.FromSegment(id);
        return await registry.DeleteAsync(modelId, cancellationToken)
            ? Api.Ok(context, new DeletedView(modelId, Deleted: true))
            : ApiProblems.NotFound("model", modelId);
    }
}
