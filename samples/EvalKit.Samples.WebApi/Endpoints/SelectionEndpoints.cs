using EvalKit.Samples.WebApi.Contracts;
using EvalKit.Samples.WebApi.Hosting;
using EvalKit.Selection;

namespace EvalKit.Samples.WebApi.Endpoints;

/// <summary><c>/selection</c>: which model should serve a kind of request, and why (<see cref="ISelectionEngine"/>).</summary>
internal static class SelectionEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    /// <param name="api">The API's route group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        var selection = api.MapGroup("/selection").WithTags("Selection");
        selection.MapPost("/recommend", RecommendAsync).WithName("RecommendModel")
            .WithSummary("Chooses the best model for the constraints and weights, with the top of the ranking.")
            .Produces<ApiResponse<RecommendView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        selection.MapPost("/explain", ExplainAsync).WithName("ExplainSelection")
            .WithSummary("Explains the decision: every ranked model per criterion with its evidence, and every rejection.")
            .Produces<ApiResponse<ExplanationView>>().ProducesValidationProblem();
    }

    private static async Task<IResult> RecommendAsync(HttpContext context, SelectionBody body, ISelectionEngine engine, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var request = body.ToRequest(errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var best = await engine.SelectAsync(request, cancellationToken);
        var ranked = await engine.RankAsync(request, request.TopK, cancellationToken);
        return Api.Ok(context, new RecommendView(RecommendationView.From(best), [.. ranked.Select(RecommendationView.From)]));
    }

    private static async Task<IResult> ExplainAsync(HttpContext context, SelectionBody body, ISelectionEngine engine, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var request = body.ToRequest(errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        return Api.Ok(context, ExplanationView.From(await engine.ExplainAsync(request, cancellationToken)));
    }
}
