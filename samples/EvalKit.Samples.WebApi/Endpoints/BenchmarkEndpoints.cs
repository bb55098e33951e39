using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Samples.WebApi.Contracts;
using EvalKit.Samples.WebApi.FakeModels;
using EvalKit.Samples.WebApi.Hosting;
using EvalKit.Scoring;
using Microsoft.AspNetCore.Mvc;

namespace EvalKit.Samples.WebApi.Endpoints;

/// <summary><c>/benchmarks</c>: benchmark suites and their datasets (<see cref="IDatasetStore"/>).</summary>
internal static class BenchmarkEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    /// <param name="api">The API's route group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        var benchmarks = api.MapGroup("/benchmarks").WithTags("Benchmarks");
        benchmarks.MapGet(string.Empty, ListAsync).WithName("ListBenchmarks")
            .WithSummary("Lists the tenant's benchmark suites, by id, a page at a time.")
            .Produces<ApiResponse<IReadOnlyList<BenchmarkView>>>().ProducesValidationProblem();
        benchmarks.MapGet("/{id}", GetAsync).WithName("GetBenchmark")
            .WithSummary("Gets a benchmark suite with its dataset.")
            .Produces<ApiResponse<BenchmarkView>>().ProducesProblem(StatusCodes.Status404NotFound);
        benchmarks.MapPost(string.Empty, CreateAsync).WithName("CreateBenchmark")
            .WithSummary("Creates a benchmark suite, importing its dataset from the body or naming a stored one.")
            .Produces<ApiResponse<BenchmarkView>>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(
        HttpContext context,
        IDatasetStore store,
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

        var all = await store.ListBenchmarksAsync(cancellationToken).ToListAsync(cancellationToken);
        var views = new List<BenchmarkView>();
        foreach (var benchmark in paging.Slice(all))
        {
            views.Add(BenchmarkView.From(benchmark, await store.GetAsync(benchmark.DatasetId, cancellationToken)));
        }

        return Api.Page(context, views, paging, all.Count);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IDatasetStore store, CancellationToken cancellationToken)
    {
        var benchmarkId = Api.FromSegment(id);
        return await store.GetBenchmarkAsync(benchmarkId, cancellationToken) is { } benchmark
            ? Api.Ok(context, BenchmarkView.From(benchmark, await store.GetAsync(benchmark.DatasetId, cancellationToken)))
            : ApiProblems.NotFound("benchmark", benchmarkId);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, BenchmarkBody body, IDatasetStore store, ScorerCatalog catalog, AnswerBook answers, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Ids.Check("id", body.Id, errors);
        var scorers = Ids.Scorers("scorers", body.Scorers, catalog, errors);
        var options = body.DefaultOptions?.ToOptions(errors, "default_options");
        var fewShot = FewShot(body.FewShot, errors);
        var metrics = scorers.Count > 0 ? scorers : [ExactMatchScorer.DefaultName];
        if (body.PrimaryMetric is not null && !metrics.Contains(body.PrimaryMetric, StringComparer.Ordinal))
        {
            errors.Add("primary_metric", $"must be one of the benchmark's scorers ({string.Join(", ", metrics)}), was '{body.PrimaryMetric}'.");
        }

        Dataset? dataset = null;
        if ((body.Dataset is null) == (body.DatasetId is null))
        {
            errors.Add("dataset", "give either dataset (to import) or dataset_id (a stored dataset), not both and not neither.");
        }
        else if (body.Dataset is not null)
        {
            dataset = ToDataset(body.Dataset, errors);
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (await store.GetBenchmarkAsync(body.Id!, cancellationToken) is not null)
        {
            return ApiProblems.Conflict($"A benchmark with id '{body.Id}' already exists.");
        }

        var info = dataset is not null
            ? await store.ImportAsync(dataset, cancellationToken)
            : await store.GetAsync(body.DatasetId!, cancellationToken);
        if (info is null)
        {
            errors.Add("dataset_id", $"no dataset '{body.DatasetId}' is stored for this tenant.");
            return ApiProblems.Validation(errors);
        }

        var benchmark = await store.SaveBenchmarkAsync(
            new Benchmark
            {
                Id = body.Id!,
                Name = body.Name,
                Version = body.Version ?? "1",
                DatasetId = info.Id,
                PromptTemplate = body.PromptTemplate ?? "{{input}}",
                SystemPrompt = body.SystemPrompt,
                FewShot = fewShot,
                Scorers = scorers,
                PrimaryMetric = body.PrimaryMetric ?? metrics[0],
                DefaultOptions = options,
            },
            cancellationToken);

        // Only the offline fake models need this: they answer from what the benchmarks teach them.
        answers.Learn(benchmark, dataset?.Cases ?? (IEnumerable<EvalCase>)await store.ReadCasesAsync(info.Id, cancellationToken).ToListAsync(cancellationToken));
        return Api.Created(context, $"{Api.Prefix}/benchmarks/{Api.Segment(benchmark.Id)}", BenchmarkView.From(benchmark, info));
    }

    private static List<FewShotExample> FewShot(IReadOnlyList<FewShotBody?>? examples, FieldErrors errors)
    {
        var list = new List<FewShotExample>();
        for (var i = 0; i < (examples?.Count ?? 0); i++)
        {
            var example = examples![i];
            if (example?.Input is null || example.Output is null)
            {
                errors.Add($"few_shot[{i}]", "needs both input and output.");
                continue;
            }

            list.Add(new FewShotExample(example.Input, example.Output));
        }

        return list;
    }

    private static Dataset? ToDataset(DatasetBody body, FieldErrors errors)
    {
        Ids.Check("dataset.name", body.Name, errors);
        if (body.Version is not null)
        {
            Ids.Check("dataset.version", body.Version, errors);
        }

        var cases = new List<EvalCase>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (body.Cases is not { Count: > 0 })
        {
            errors.Add("dataset.cases", "must hold at least one case.");
        }

        for (var i = 0; i < (body.Cases?.Count ?? 0); i++)
        {
            var field = $"dataset.cases[{i}]";
            var item = body.Cases![i];
            if (item is null)
            {
                errors.Add(field, "must be an object.");
                continue;
            }

            if (errors.Require($"{field}.id", item.Id) && !seen.Add(item.Id!))
            {
                errors.Add($"{field}.id", $"'{item.Id}' is used by an earlier case; case ids are unique in a dataset.");
            }

            CaseInput? input = null;
            if ((item.Input is null) == (item.Messages is null))
            {
                errors.Add($"{field}.input", "give either input (text) or messages (chat turns).");
            }
            else if (item.Input is not null)
            {
                input = CaseInput.FromText(item.Input);
            }
            else
            {
                input = Messages(item.Messages!, $"{field}.messages", errors);
            }

            var references = new List<string>();
            for (var r = 0; r < (item.References?.Count ?? 0); r++)
            {
                if (item.References![r] is { } reference)
                {
                    references.Add(reference);
                }
                else
                {
                    errors.Add($"{field}.references[{r}]", "must be a string.");
                }
            }

            if (input is not null && item.Id is not null)
            {
                cases.Add(new EvalCase { Id = item.Id, Input = input, References = references, Group = item.Group, Metadata = item.Metadata ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty });
            }
        }

        return errors.Any ? null : new Dataset(body.Name!, body.Version ?? "1", cases);
    }

    private static CaseInput? Messages(IReadOnlyList<ChatTurnBody?> turns, string field, FieldErrors errors)
    {
        var list = new List<ChatTurn>();
        if (turns.Count == 0)
        {
            errors.Add(field, "must hold at least one turn.");
        }

        for (var t = 0; t < turns.Count; t++)
        {
            var turn = turns[t];
            if (turn?.Role is not ("system" or "user" or "assistant"))
            {
                errors.Add($"{field}[{t}].role", $"must be system, user or assistant (was '{turn?.Role}').");
            }
            else if (turn.Text is null)
            {
                errors.Add($"{field}[{t}].text", "is required.");
            }
            else
            {
                list.Add(new ChatTurn(turn.Role, turn.Text));
            }
        }

        return list.Count == turns.Count && turns.Count > 0 ? CaseInput.FromMessages(list) : null;
    }
}
