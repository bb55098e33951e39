using System.Globalization;
using System.Runtime.CompilerServices;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Storage;

namespace EvalKit.Comparisons;

/// <summary>
/// The A/B test service: stores tests, runs their models through the <see cref="IEvaluationEngine"/> and analyses the
/// stored runs pairwise (see <see cref="IAbTestService"/> for the statistics). Thread-safe.
/// </summary>
public sealed class AbTestService : IAbTestService
{
    private const double DefaultAlpha = 0.05;
    private readonly IEvalKitStorage _storage;
    private readonly IModelRegistry _registry;
    private readonly IEvaluationEngine _engine;
    private readonly TimeProvider _time;
    private readonly OperationGuard _guard;

    /// <summary>Initializes a new instance of the <see cref="AbTestService"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="engine">The evaluation engine that runs the models.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public AbTestService(IEvalKitStorage storage, IModelRegistry registry, IEvaluationEngine engine, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _registry = registry;
        _engine = engine;
        _time = timeProvider;
        _guard = new OperationGuard(storage, timeProvider);
    }

    /// <summary>Initializes a new instance of the <see cref="AbTestService"/> class whose writes a guard authorizes and audits.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="engine">The evaluation engine that runs the models.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="guard">Authorizes and audits creating and executing tests (the engine authorizes each run too).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public AbTestService(IEvalKitStorage storage, IModelRegistry registry, IEvaluationEngine engine, TimeProvider timeProvider, OperationGuard guard)
        : this(storage, registry, engine, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <inheritdoc/>
    public async ValueTask<AbTest> CreateAsync(AbTestDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return await _guard.RunAsync(
            EvalKitOperationKinds.AbTestCreate, EvalKitRecordTypes.AbTest, definition.Id, () => CreateCoreAsync(definition, cancellationToken), test => test.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AbTest> CreateCoreAsync(AbTestDefinition definition, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            problems.Add("The test has no name.");
        }

        var ids = definition.ModelIds;
        if (ids.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("A model id is empty.");
        }

        var repeated = ids.Where(id => !string.IsNullOrWhiteSpace(id)).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0)
        {
            problems.Add($"Model ids must be distinct; repeated: {string.Join(", ", repeated)}.");
        }

        var distinct = ids.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"An A/B test needs at least two distinct models; got {distinct.Count}."));
        }

        if (!(definition.Alpha > 0 && definition.Alpha < 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Alpha must be in (0, 1); got {definition.Alpha}."));
        }

        if (!Enum.IsDefined(definition.Design))
        {
            problems.Add($"Unknown design '{definition.Design}'.");
        }

        if (!Enum.IsDefined(definition.Correction))
        {
            problems.Add($"Unknown correction '{definition.Correction}'.");
        }

        if (string.IsNullOrWhiteSpace(definition.BenchmarkId))
        {
            problems.Add("The test names no benchmark.");
        }

        if (definition.Options is not null)
        {
            try
            {
                definition.Options.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"Invalid options: {e.Message}");
            }
        }

        if (definition.Id is not null && (string.IsNullOrWhiteSpace(definition.Id) || await _storage.AbTests.GetAsync(definition.Id, cancellationToken).ConfigureAwait(false) is not null))
        {
            problems.Add($"The test id '{definition.Id}' is empty or already taken.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The A/B test definition is invalid: {string.Join(" ", problems)}", nameof(definition));
        }

        var missing = new List<string>();
        foreach (var id in distinct)
        {
            if (await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                missing.Add($"model '{id}'");
            }
        }

        var benchmark = await _storage.Benchmarks.GetAsync(definition.BenchmarkId, cancellationToken).ConfigureAwait(false);
        if (benchmark is null)
        {
            missing.Add($"benchmark '{definition.BenchmarkId}'");
        }

        if (definition.ProjectId is { } projectId && await _storage.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false) is null)
        {
            missing.Add($"project '{projectId}'");
        }

        if (missing.Count > 0)
        {
            throw new NotFoundException(
                $"The A/B test names what does not exist: {string.Join(", ", missing)}. Register models with IModelRegistry.RegisterAsync, save benchmarks with IDatasetStore.SaveBenchmarkAsync and create projects with IProjectService.CreateAsync.");
        }

        var now = _time.GetUtcNow();
        var testId = definition.Id ?? NewId(now);
        var test = new AbTest
        {
            Id = testId,
            Definition = definition with
            {
                Id = testId,
                PrimaryMetric = definition.PrimaryMetric ?? benchmark!.PrimaryMetric ?? (benchmark.Scorers.Count > 0 ? benchmark.Scorers[0] : ExactMatchScorer.DefaultName),
            },
            Status = AbTestStatus.Created,
            RunIds = distinct.ToDictionary(id => id, _ => NewId(now), StringComparer.Ordinal),
            CreatedAt = now,
        };
        if (!await _storage.AbTests.TryAddAsync(test, cancellationToken).ConfigureAwait(false))
        {
            throw new ArgumentException($"The A/B test definition is invalid: The test id '{testId}' is already taken.", nameof(definition));
        }

        return test;
    }

    /// <inheritdoc/>
    public async Task<AbTestResults> ExecuteAsync(string testId, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await _guard.RunAsync(
            EvalKitOperationKinds.AbTestExecute, EvalKitRecordTypes.AbTest, testId, () => ExecuteCoreAsync(testId, progress, cancellationToken), null, cancellationToken).ConfigureAwait(false);

    private async Task<AbTestResults> ExecuteCoreAsync(string testId, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var test = await LoadAsync(testId, cancellationToken).ConfigureAwait(false);
        test = test with { Status = AbTestStatus.Running, CompletedAt = null, Error = null };
        await _storage.AbTests.UpdateAsync(test, cancellationToken).ConfigureAwait(false);
        AbTestResults results;
        try
        {
            var runs = test.Definition.ModelIds.Select(m => RunAsync(test, m, progress, cancellationToken)).ToArray();
            await Task.WhenAll(runs).ConfigureAwait(false);
            results = await ComputeAsync(test, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _storage.AbTests.UpdateAsync(test with { Status = AbTestStatus.Cancelled, CompletedAt = _time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            await _storage.AbTests.UpdateAsync(test with { Status = AbTestStatus.Failed, CompletedAt = _time.GetUtcNow(), Error = Security.SecretText.Scrub(e.Message) }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await _storage.AbTests.UpdateAsync(test with { Status = AbTestStatus.Completed, CompletedAt = _time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc/>
    public async ValueTask<AbTestResults> GetResultsAsync(string testId, CancellationToken cancellationToken = default)
    {
        var test = await LoadAsync(testId, cancellationToken).ConfigureAwait(false);
        return await ComputeAsync(test, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AbTest?> GetAsync(string testId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(testId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.AbTests.GetAsync(testId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AbTest> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var test in _storage.AbTests.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return test;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AbTest> ListAsync(string projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var test in _storage.Projects.ListAbTestsAsync(projectId, cancellationToken).ConfigureAwait(false))
        {
            yield return test;
        }
    }

    /// <inheritdoc/>
    public async Task<ComparisonResults> CompareModelsAsync(IReadOnlyList<string> modelIds, string datasetId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        var distinct = modelIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2 || distinct.Count != modelIds.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A comparison needs at least two distinct, non-empty model ids; got {modelIds.Count} with {distinct.Count} distinct."), nameof(modelIds));
        }

        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<EvaluationRun>();
        var missing = new List<string>();
        foreach (var modelId in distinct)
        {
            EvaluationRun? latest = null;
            await foreach (var run in _storage.Runs.ListAsync(modelId, datasetId, cancellationToken).ConfigureAwait(false))
            {
                if (run.Status == RunStatus.Completed)
                {
                    latest = run;
                    break;
                }
            }

            if (latest is null)
            {
                missing.Add($"'{modelId}'");
            }
            else
            {
                runs.Add(latest);
            }
        }

        if (missing.Count > 0)
        {
            throw new NotFoundException($"No completed run on dataset '{datasetId}' for model(s) {string.Join(", ", missing)}.");
        }

        var metric = runs[0].PrimaryMetric ?? ExactMatchScorer.DefaultName;
        var analysis = ComparisonAnalyzer.Analyze(await ArmsAsync(runs, cancellationToken).ConfigureAwait(false), metric, AbTestDesign.Paired, PValueCorrection.Holm, DefaultAlpha);
        return new ComparisonResults
        {
            DatasetId = datasetId,
            Metric = metric,
            Design = AbTestDesign.Paired,
            Correction = PValueCorrection.Holm,
            Alpha = DefaultAlpha,
            Models = analysis.Models,
            Pairs = analysis.Pairs,
            Winner = analysis.Winner,
            Verdict = analysis.Verdict,
            RequiredSampleSize = analysis.RequiredSampleSize,
        };
    }

    private static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("n");

    private async Task<EvaluationRun> RunAsync(AbTest test, string modelId, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var runId = test.RunIds[modelId];
        var run = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            var request = new EvaluationRequest { ModelId = modelId, BenchmarkId = test.Definition.BenchmarkId, Options = test.Definition.Options, RunId = runId, ProjectId = test.Definition.ProjectId };
            return await _engine.EvaluateAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }

        return run.Status == RunStatus.Completed ? run : await _engine.ResumeAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<AbTest> LoadAsync(string testId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(testId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.AbTests.GetAsync(testId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("A/B test", testId);
    }

    private async ValueTask<AbTestResults> ComputeAsync(AbTest test, CancellationToken cancellationToken)
    {
        var runs = new List<EvaluationRun>();
        foreach (var modelId in test.Definition.ModelIds)
        {
            var runId = test.RunIds[modelId];
            var run = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
            if (run is null || run.Status != RunStatus.Completed)
            {
                throw new InvalidOperationException($"Run '{runId}' of model '{modelId}' in A/B test '{test.Id}' is {(run is null ? "not started" : run.Status)}; execute the test to finish it.");
            }

            runs.Add(run);
        }

        var metric = test.Definition.PrimaryMetric ?? runs[0].PrimaryMetric ?? ExactMatchScorer.DefaultName;
        var d = test.Definition;
        var analysis = ComparisonAnalyzer.Analyze(await ArmsAsync(runs, cancellationToken).ConfigureAwait(false), metric, d.Design, d.Correction, d.Alpha);
        return new AbTestResults
        {
            TestId = test.Id,
            TestName = d.Name,
            BenchmarkId = d.BenchmarkId,
            DatasetId = runs[0].DatasetId,
            Metric = metric,
            Design = d.Design,
            Correction = d.Correction,
            Alpha = d.Alpha,
            Models = analysis.Models,
            Pairs = analysis.Pairs,
            Winner = analysis.Winner,
            Verdict = analysis.Verdict,
            RequiredSampleSize = analysis.RequiredSampleSize,
        };
    }

    private async ValueTask<List<ComparisonAnalyzer.Arm>> ArmsAsync(List<EvaluationRun> runs, CancellationToken cancellationToken)
    {
        var arms = new List<ComparisonAnalyzer.Arm>();
        foreach (var run in runs)
        {
            var results = new List<CaseResult>();
            await foreach (var result in _storage.Results.ReadAsync(run.Id, cancellationToken).ConfigureAwait(false))
            {
                results.Add(result);
            }

            arms.Add(new ComparisonAnalyzer.Arm(run.ModelId, run.Id, results));
        }

        return arms;
    }
}
