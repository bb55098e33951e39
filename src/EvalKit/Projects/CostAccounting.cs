using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Projects;

/// <summary>
/// Cost accounting over the store's usage aggregates (see <see cref="ICostAccounting"/>): the store sums each run's
/// results (and the scorers' recorded usage) per run and day, and this service joins the runs to their project, model,
/// benchmark and dataset in process. Thread-safe; it writes nothing.
/// </summary>
public sealed class CostAccounting : ICostAccounting
{
    private const CostGrouping AllGroupings = CostGrouping.Project | CostGrouping.Model | CostGrouping.Benchmark | CostGrouping.Dataset | CostGrouping.Period;
    private readonly IEvalKitStorage _storage;
    private readonly IModelRegistry _registry;
    private readonly EvalKitOptions _options;
    private readonly CostEstimator _estimator;

    /// <summary>Initializes a new instance of the <see cref="CostAccounting"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry, for the models' pricing.</param>
    /// <param name="options">EvalKit's options (the default evaluation options of requests without any).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CostAccounting(IEvalKitStorage storage, IModelRegistry registry, IOptions<EvalKitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _registry = registry;
        _options = options.Value;
        _estimator = new CostEstimator(storage);
    }

    /// <inheritdoc/>
    public async Task<CostReport> GetReportAsync(CostQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new CostQuery();
        if ((query.GroupBy & ~AllGroupings) != 0)
        {
            throw new ArgumentException($"Unknown cost grouping '{query.GroupBy}'.", nameof(query));
        }

        if (!Enum.IsDefined(query.Period))
        {
            throw new ArgumentException($"Unknown cost period '{query.Period}'.", nameof(query));
        }

        var usageQuery = new UsageQuery
        {
            ProjectId = query.ProjectId,
            ModelId = query.ModelId,
            From = query.From,
            To = query.To,
            ByDay = query.GroupBy.HasFlag(CostGrouping.Period),
        };
        usageQuery.Validate(nameof(query));
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);

        var rows = new List<RunUsage>();
        await foreach (var row in _storage.Usage.AggregateAsync(usageQuery, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        var runs = await RunsAsync(query, rows.Count, cancellationToken).ConfigureAwait(false);
        var lines = new Dictionary<(string?, string?, string?, string?, DateOnly?), CostLine>();
        var total = new CostLine();
        foreach (var row in rows)
        {
            var run = runs.GetValueOrDefault(row.RunId);
            if (query.BenchmarkId is not null && run?.BenchmarkId != query.BenchmarkId)
            {
                continue;
            }

            var g = query.GroupBy;
            var key = (
                g.HasFlag(CostGrouping.Project) ? run?.ProjectId : null,
                g.HasFlag(CostGrouping.Model) ? run?.ModelId : null,
                g.HasFlag(CostGrouping.Benchmark) ? run?.BenchmarkId : null,
                g.HasFlag(CostGrouping.Dataset) ? run?.DatasetId : null,
                g.HasFlag(CostGrouping.Period) && row.Day is { } day ? PeriodStart(day, query.Period) : (DateOnly?)null);
            var line = lines.GetValueOrDefault(key) ?? new CostLine
            {
                ProjectId = key.Item1, ModelId = key.Item2, BenchmarkId = key.Item3, DatasetId = key.Item4, PeriodStart = key.Item5,
            };
            lines[key] = Add(line, row);
            total = Add(total, row);
        }

        return new CostReport
        {
            Query = query,
            Lines = [.. lines.Values
                .OrderBy(l => l.PeriodStart)
                .ThenBy(l => l.ProjectId, StringComparer.Ordinal)
                .ThenBy(l => l.ModelId, StringComparer.Ordinal)
                .ThenBy(l => l.BenchmarkId, StringComparer.Ordinal)
                .ThenBy(l => l.DatasetId, StringComparer.Ordinal)],
            Total = total,
        };
    }

    /// <inheritdoc/>
    public async Task<CostEstimate> EstimateCostAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var model = await _registry.GetAsync(request.ModelId, cancellationToken).ConfigureAwait(false) ?? throw new ModelNotFoundException(request.ModelId);
        var run = await DraftAsync(request, cancellationToken).ConfigureAwait(false);
        return await _estimator.EstimateAsync(run, model, run.TotalCount, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first day of the period that contains a day.</summary>
    /// <param name="day">The day.</param>
    /// <param name="period">The period length.</param>
    /// <returns>The day itself, the Monday of its ISO week, or the first of its month.</returns>
    internal static DateOnly PeriodStart(DateOnly day, CostPeriod period) => period switch
    {
        CostPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        CostPeriod.Month => new DateOnly(day.Year, day.Month, 1),
        _ => day,
    };

    /// <summary>Adds a usage row to a line.</summary>
    /// <param name="line">The line.</param>
    /// <param name="row">The row.</param>
    /// <returns>The sum.</returns>
    internal static CostLine Add(CostLine line, RunUsage row) => line with
    {
        Evaluation = line.Evaluation + row.Evaluation,
        Judge = line.Judge + row.Judge,
        Embedding = line.Embedding + row.Embedding,
    };

    // The runs the rows may name: the project's, the model's, or the tenant's.
    private async Task<Dictionary<string, EvaluationRun>> RunsAsync(CostQuery query, int rows, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<string, EvaluationRun>(StringComparer.Ordinal);
        if (rows == 0)
        {
            return runs;
        }

        var source = query.ProjectId is { } projectId
            ? _storage.Projects.ListRunsAsync(projectId, cancellationToken)
            : _storage.Runs.ListAsync(query.ModelId, null, cancellationToken);
        await foreach (var run in source.ConfigureAwait(false))
        {
            runs[run.Id] = run;
        }

        return runs;
    }

    // The run a request would create, without storing anything.
    private async Task<EvaluationRun> DraftAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        Benchmark? benchmark = null;
        if (request.BenchmarkId is not null)
        {
            benchmark = await _storage.Benchmarks.GetAsync(request.BenchmarkId, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException("benchmark", request.BenchmarkId);
        }

        var datasetId = benchmark?.DatasetId ?? request.DatasetId
            ?? throw new ArgumentException("The request names neither a benchmark nor a dataset.", nameof(request));
        var dataset = await _storage.Datasets.GetAsync(datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("dataset", datasetId);
        var options = request.Options ?? benchmark?.DefaultOptions ?? _options.DefaultEvaluationOptions;
        options.Validate();
        List<string> scorers = [.. benchmark?.Scorers ?? request.ScorerNames ?? [], .. (request.Scorers ?? []).Select(s => s.Name)];
        return new EvaluationRun
        {
            Id = request.RunId ?? string.Empty,
            ModelId = request.ModelId,
            DatasetId = dataset.Id,
            BenchmarkId = benchmark?.Id,
            ProjectId = request.ProjectId,
            PromptTemplate = benchmark?.PromptTemplate ?? request.PromptTemplate ?? "{{input}}",
            SystemPrompt = benchmark?.SystemPrompt ?? request.SystemPrompt,
            FewShot = benchmark?.FewShot ?? request.FewShot ?? [],
            Scorers = scorers.Count == 0 ? [ExactMatchScorer.DefaultName] : scorers,
            Options = options,
            TotalCount = dataset.CaseCount * options.Repetitions,
        };
    }
}
