using System.Globalization;
using System.Runtime.CompilerServices;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Experiments;

/// <summary>
/// The experiment service: stores experiments and templates, executes every variant through the
/// <see cref="IEvaluationEngine"/>, compares stored runs, gates regressions, and exports and imports (see
/// <see cref="IExperimentService"/>). Thread-safe.
/// </summary>
public sealed partial class ExperimentService : IExperimentService
{
    /// <summary>The largest matrix an experiment may have (benchmarks × models × prompt variants × options variants).</summary>
    public const int MaxVariants = 10_000;

    private readonly IEvalKitStorage _storage;
    private readonly IModelRegistry _registry;
    private readonly IEvaluationEngine _engine;
    private readonly IAbTestService _abTests;
    private readonly EvalKitOptions _options;
    private readonly TimeProvider _time;
    private readonly OperationGuard _guard;
    private readonly Caching.EvalKitCache? _cache;

    /// <summary>Initializes a new instance of the <see cref="ExperimentService"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="engine">The evaluation engine that runs the variants.</param>
    /// <param name="abTests">The A/B test service, for the A/B results of reports.</param>
    /// <param name="options">EvalKit's options (the default evaluation options).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ExperimentService(IEvalKitStorage storage, IModelRegistry registry, IEvaluationEngine engine, IAbTestService abTests, IOptions<EvalKitOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(abTests);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _registry = registry;
        _engine = engine;
        _abTests = abTests;
        _options = options.Value;
        _time = timeProvider;
        _guard = new OperationGuard(storage, timeProvider);
    }

    /// <summary>Initializes a new instance of the <see cref="ExperimentService"/> class whose writes a guard authorizes and audits.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="engine">The evaluation engine that runs the variants.</param>
    /// <param name="abTests">The A/B test service, for the A/B results of reports.</param>
    /// <param name="options">EvalKit's options (the default evaluation options).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="guard">Authorizes and audits creating, saving templates, executing and importing (the engine authorizes each run too).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ExperimentService(IEvalKitStorage storage, IModelRegistry registry, IEvaluationEngine engine, IAbTestService abTests, IOptions<EvalKitOptions> options, TimeProvider timeProvider, OperationGuard guard)
        : this(storage, registry, engine, abTests, options, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ExperimentService"/> class whose writes a guard authorizes and audits,
    /// and whose run comparisons and regression checks go through EvalKit's cache.
    /// </summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="engine">The evaluation engine that runs the variants.</param>
    /// <param name="abTests">The A/B test service, for the A/B results of reports.</param>
    /// <param name="options">EvalKit's options (the default evaluation options).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="guard">Authorizes and audits creating, saving templates, executing and importing (the engine authorizes each run too).</param>
    /// <param name="cache">EvalKit's cache.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ExperimentService(
        IEvalKitStorage storage, IModelRegistry registry, IEvaluationEngine engine, IAbTestService abTests, IOptions<EvalKitOptions> options, TimeProvider timeProvider, OperationGuard guard, Caching.EvalKitCache cache)
        : this(storage, registry, engine, abTests, options, timeProvider, guard)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <inheritdoc/>
    public async ValueTask<Experiment> CreateAsync(ExperimentDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return await CreateCoreAsync(definition, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ExperimentTemplate> SaveTemplateAsync(string templateId, ExperimentDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(templateId);
        ArgumentNullException.ThrowIfNull(definition);
        return await _guard.RunAsync(
            EvalKitOperationKinds.ExperimentTemplateSave, EvalKitRecordTypes.ExperimentTemplate, templateId, () => SaveTemplateCoreAsync(templateId, definition, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ExperimentTemplate> SaveTemplateCoreAsync(string templateId, ExperimentDefinition definition, CancellationToken cancellationToken)
    {
        var problems = Check(definition with { Id = null });
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The definition of template '{templateId}' is invalid: {string.Join(" ", problems)}", nameof(definition));
        }

        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var existing = await _storage.Experiments.GetTemplateAsync(templateId, cancellationToken).ConfigureAwait(false);
        var template = new ExperimentTemplate { Id = templateId, Definition = definition with { Id = null }, CreatedAt = existing?.CreatedAt ?? now, UpdatedAt = now };
        await _storage.Experiments.SaveTemplateAsync(template, cancellationToken).ConfigureAwait(false);
        return template;
    }

    /// <inheritdoc/>
    public async ValueTask<ExperimentTemplate?> GetTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(templateId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Experiments.GetTemplateAsync(templateId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ExperimentTemplate> ListTemplatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var template in _storage.Experiments.ListTemplatesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return template;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<Experiment> CreateFromTemplateAsync(string templateId, Func<ExperimentDefinition, ExperimentDefinition>? overrides = null, CancellationToken cancellationToken = default)
    {
        var template = await GetTemplateAsync(templateId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("experiment template", templateId);
        var definition = overrides is null
            ? template.Definition
            : overrides(template.Definition) ?? throw new InvalidOperationException($"The overrides of template '{templateId}' returned null; return the changed definition (d => d with {{ ... }}).");
        return await CreateCoreAsync(definition, template.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Experiment?> GetAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Experiments.GetAsync(experimentId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Experiment> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var experiment in _storage.Experiments.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return experiment;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Experiment> ListAsync(string projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var experiment in _storage.Projects.ListExperimentsAsync(projectId, cancellationToken).ConfigureAwait(false))
        {
            yield return experiment;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ExperimentRun> ListRunsAsync(string experimentId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var run in _storage.Experiments.ListRunsAsync(experimentId, cancellationToken).ConfigureAwait(false))
        {
            yield return run;
        }
    }

    /// <inheritdoc/>
    public async Task<ExperimentResults> ExecuteAsync(string experimentId, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await _guard.RunAsync(
            EvalKitOperationKinds.ExperimentExecute, EvalKitRecordTypes.Experiment, experimentId, () => ExecuteCoreAsync(experimentId, progress, cancellationToken), null, cancellationToken).ConfigureAwait(false);

    private async Task<ExperimentResults> ExecuteCoreAsync(string experimentId, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var experiment = await LoadAsync(experimentId, cancellationToken).ConfigureAwait(false);
        experiment = experiment with { Status = ExperimentStatus.Running, CompletedAt = null, Error = null };
        await _storage.Experiments.UpdateAsync(experiment, cancellationToken).ConfigureAwait(false);

        var records = new Dictionary<string, ExperimentRun>(StringComparer.Ordinal);
        await foreach (var record in _storage.Experiments.ListRunsAsync(experiment.Id, cancellationToken).ConfigureAwait(false))
        {
            records[record.RunId] = record;
        }

        using var slots = new SemaphoreSlim(experiment.Definition.MaxConcurrentRuns);
        var tasks = experiment.Variants.Select(v => RunVariantAsync(experiment, v, records.GetValueOrDefault(v.RunId), slots, progress, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _storage.Experiments.UpdateAsync(experiment with { Status = ExperimentStatus.Cancelled, CompletedAt = _time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception)
        {
            // Every variant ran to its end; name each one that failed (or whose run was cancelled on its own, by IEvaluationEngine.CancelAsync).
            var failures = experiment.Variants.Zip(tasks)
                .Where(p => p.Second.IsFaulted || p.Second.IsCanceled)
                .Select(p => $"{p.First.Label} (run {p.First.RunId}): {(p.Second.IsFaulted ? p.Second.Exception!.InnerException!.Message : "cancelled")}")
                .ToList();
            var error = $"{failures.Count} of {experiment.Variants.Count} variants of experiment '{experiment.Id}' failed: {string.Join("; ", failures)}";
            await _storage.Experiments.UpdateAsync(experiment with { Status = ExperimentStatus.Failed, CompletedAt = _time.GetUtcNow(), Error = error }, CancellationToken.None).ConfigureAwait(false);
            throw new EvalKitException(error + " Execute the experiment again to resume the unfinished runs.", tasks.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException);
        }

        experiment = experiment with { Status = ExperimentStatus.Completed, CompletedAt = _time.GetUtcNow() };
        await _storage.Experiments.UpdateAsync(experiment, CancellationToken.None).ConfigureAwait(false);
        return await ResultsAsync(experiment, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ExperimentResults> GetResultsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var experiment = await LoadAsync(experimentId, cancellationToken).ConfigureAwait(false);
        return await ResultsAsync(experiment, cancellationToken).ConfigureAwait(false);
    }

    private static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("n");

    private async ValueTask<Experiment> LoadAsync(string experimentId, CancellationToken cancellationToken) =>
        await GetAsync(experimentId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("experiment", experimentId);

    private async ValueTask<Experiment> CreateCoreAsync(ExperimentDefinition definition, string? templateId, CancellationToken cancellationToken) =>
        await _guard.RunAsync(
            EvalKitOperationKinds.ExperimentCreate,
            EvalKitRecordTypes.Experiment,
            string.IsNullOrWhiteSpace(definition.Id) ? null : definition.Id,
            async () => await CreateExperimentAsync(definition, templateId, cancellationToken).ConfigureAwait(false),
            experiment => experiment.Id,
            cancellationToken).ConfigureAwait(false);

    private async ValueTask<Experiment> CreateExperimentAsync(ExperimentDefinition definition, string? templateId, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var problems = Check(definition);
        if (definition.Id is not null && !string.IsNullOrWhiteSpace(definition.Id) && await _storage.Experiments.GetAsync(definition.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            problems.Add($"The experiment id '{definition.Id}' is already taken.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The experiment definition is invalid: {string.Join(" ", problems)}", nameof(definition));
        }

        var missing = new List<string>();
        foreach (var id in definition.ModelIds)
        {
            if (await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                missing.Add($"model '{id}'");
            }
        }

        var benchmarks = new List<Benchmark>();
        foreach (var id in definition.BenchmarkIds)
        {
            var benchmark = await _storage.Benchmarks.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (benchmark is null)
            {
                missing.Add($"benchmark '{id}'");
            }
            else
            {
                benchmarks.Add(benchmark);
            }
        }

        if (definition.ProjectId is { } projectId && await _storage.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false) is null)
        {
            missing.Add($"project '{projectId}'");
        }

        if (missing.Count > 0)
        {
            throw new NotFoundException(
                $"The experiment names what does not exist: {string.Join(", ", missing)}. Register models with IModelRegistry.RegisterAsync, save benchmarks with IDatasetStore.SaveBenchmarkAsync and create projects with IProjectService.CreateAsync.");
        }

        var primary = definition.PrimaryMetric ?? benchmarks[0].PrimaryMetric ?? (benchmarks[0].Scorers.Count > 0 ? benchmarks[0].Scorers[0] : ExactMatchScorer.DefaultName);
        var notScored = benchmarks.Where(b => b.Scorers.Count > 0 && !b.Scorers.Contains(primary, StringComparer.Ordinal)).Select(b => $"'{b.Id}'").ToList();
        if (notScored.Count > 0)
        {
            throw new ArgumentException($"The experiment definition is invalid: the primary metric '{primary}' is not among the scorers of benchmark(s) {string.Join(", ", notScored)}.", nameof(definition));
        }

        var now = _time.GetUtcNow();
        var experimentId = definition.Id ?? NewId(now);
        var variants = new List<ExperimentVariant>();
        var prompts = definition.PromptVariants.Count == 0 ? [null] : definition.PromptVariants.Select(p => (PromptVariant?)p).ToList();
        var optionSets = definition.OptionsVariants.Count == 0 ? [null] : definition.OptionsVariants.Select(o => (OptionsVariant?)o).ToList();
        foreach (var benchmark in benchmarks)
        {
            var baseOptions = definition.Options ?? benchmark.DefaultOptions ?? _options.DefaultEvaluationOptions;
            foreach (var model in definition.ModelIds)
            {
                foreach (var prompt in prompts)
                {
                    foreach (var optionSet in optionSets)
                    {
                        var label = model
                            + (prompt is null ? string.Empty : " · " + prompt.Name)
                            + (optionSet is null ? string.Empty : " · " + optionSet.Name)
                            + (benchmarks.Count > 1 ? " @ " + benchmark.Id : string.Empty);
                        variants.Add(new ExperimentVariant
                        {
                            Index = variants.Count,
                            Label = label,
                            BenchmarkId = benchmark.Id,
                            ModelId = model,
                            PromptVariant = prompt?.Name,
                            OptionsVariant = optionSet?.Name,
                            Options = optionSet?.ApplyTo(baseOptions) ?? (baseOptions with { }),
                            RunId = NewId(now),
                        });
                    }
                }
            }
        }

        var experiment = new Experiment
        {
            Id = experimentId,
            Definition = definition with { Id = experimentId, PrimaryMetric = primary },
            Variants = variants,
            Status = ExperimentStatus.Created,
            TemplateId = templateId,
            CreatedAt = now,
        };
        if (!await _storage.Experiments.TryAddAsync(experiment, cancellationToken).ConfigureAwait(false))
        {
            throw new ArgumentException($"The experiment definition is invalid: The experiment id '{experimentId}' is already taken.", nameof(definition));
        }

        return experiment;
    }

    /// <summary>Checks a definition on its own (not against the store) and lists every problem.</summary>
    private static List<string> Check(ExperimentDefinition d)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(d.Name))
        {
            problems.Add("The experiment has no name.");
        }

        CheckIds(problems, "benchmark", d.BenchmarkIds);
        CheckIds(problems, "model", d.ModelIds);
        CheckNames(problems, "prompt variant", d.PromptVariants.Select(p => p?.Name));
        CheckNames(problems, "options variant", d.OptionsVariants.Select(o => o?.Name));
        foreach (var variant in d.OptionsVariants.Where(o => o is not null))
        {
            if (variant.Temperature is { } t && !(float.IsFinite(t) && t >= 0))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Options variant '{variant.Name}': the temperature must be a finite number >= 0 (was {t})."));
            }

            if (variant.Repetitions is < 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Options variant '{variant.Name}': repetitions must be at least 1 (was {variant.Repetitions})."));
            }

            if (variant.MaxOutputTokens is < 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Options variant '{variant.Name}': max output tokens must be at least 1 (was {variant.MaxOutputTokens})."));
            }
        }

        if (d.PromptVariants.Any(p => p is not null && p.PromptTemplate is not null && string.IsNullOrWhiteSpace(p.PromptTemplate)))
        {
            problems.Add("A prompt variant has an empty prompt template; leave it null to keep the benchmark's.");
        }

        if (d.Options is not null)
        {
            try
            {
                d.Options.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"Invalid options: {e.Message}");
            }
        }

        if (d.PrimaryMetric is not null && string.IsNullOrWhiteSpace(d.PrimaryMetric))
        {
            problems.Add("The primary metric is empty; leave it null to use the first benchmark's.");
        }

        problems.AddRange(RunAnalysis.Problems(d.Alpha, d.Correction, d.PassThreshold));

        if (d.MaxConcurrentRuns < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxConcurrentRuns must be at least 1 (was {d.MaxConcurrentRuns})."));
        }

        var size = (long)Math.Max(1, d.BenchmarkIds.Count) * Math.Max(1, d.ModelIds.Count) * Math.Max(1, d.PromptVariants.Count) * Math.Max(1, d.OptionsVariants.Count);
        if (size > MaxVariants)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The matrix has {size} variants; at most {MaxVariants} are allowed."));
        }

        if (d.Id is not null && string.IsNullOrWhiteSpace(d.Id))
        {
            problems.Add("The experiment id is empty; leave it null to generate one.");
        }

        return problems;
    }

    private static void CheckIds(List<string> problems, string kind, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            problems.Add($"The experiment names no {kind}.");
        }

        if (ids.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"A {kind} id is empty.");
        }

        var repeated = ids.Where(id => !string.IsNullOrWhiteSpace(id)).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0)
        {
            problems.Add($"{char.ToUpperInvariant(kind[0])}{kind[1..]} ids must be distinct; repeated: {string.Join(", ", repeated)}.");
        }
    }

    private static void CheckNames(List<string> problems, string kind, IEnumerable<string?> names)
    {
        var list = names.ToList();
        if (list.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"A {kind} is missing or has no name.");
        }

        var repeated = list.Where(n => !string.IsNullOrWhiteSpace(n)).GroupBy(n => n!, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0)
        {
            problems.Add($"The {kind} names must be distinct; repeated: {string.Join(", ", repeated)}.");
        }
    }

    private async Task<EvaluationRun> RunVariantAsync(
        Experiment experiment, ExperimentVariant variant, ExperimentRun? existing, SemaphoreSlim slots, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = await _storage.Runs.GetAsync(variant.RunId, cancellationToken).ConfigureAwait(false);
            var record = existing ?? new ExperimentRun
            {
                ExperimentId = experiment.Id,
                RunId = variant.RunId,
                VariantIndex = variant.Index,
                Label = variant.Label,
                BenchmarkId = variant.BenchmarkId,
                ModelId = variant.ModelId,
                PromptVariant = variant.PromptVariant,
                OptionsVariant = variant.OptionsVariant,
                StartedAt = _time.GetUtcNow(),
            };
            if (run is { Status: RunStatus.Completed })
            {
                await SaveRecordAsync(record with { Status = RunStatus.Completed, CompletedAt = record.CompletedAt ?? run.CompletedAt, Error = null }).ConfigureAwait(false);
                return run;
            }

            await SaveRecordAsync(record with { Status = RunStatus.Running, CompletedAt = null, Error = null }).ConfigureAwait(false);
            try
            {
                run = run is null
                    ? await _engine.EvaluateAsync(await RequestAsync(experiment, variant, cancellationToken).ConfigureAwait(false), progress, cancellationToken).ConfigureAwait(false)
                    : await _engine.ResumeAsync(variant.RunId, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await SaveRecordAsync(record with { Status = RunStatus.Cancelled, CompletedAt = _time.GetUtcNow() }).ConfigureAwait(false);
                throw;
            }
            catch (Exception e)
            {
                await SaveRecordAsync(record with { Status = RunStatus.Failed, CompletedAt = _time.GetUtcNow(), Error = Security.SecretText.Scrub(e.Message) }).ConfigureAwait(false);
                throw;
            }

            await SaveRecordAsync(record with { Status = run.Status, CompletedAt = run.CompletedAt ?? _time.GetUtcNow(), Error = run.Error }).ConfigureAwait(false);
            return run;
        }
        finally
        {
            slots.Release();
        }
    }

    private ValueTask SaveRecordAsync(ExperimentRun record) => _storage.Experiments.SaveRunAsync(record, CancellationToken.None);

    /// <summary>
    /// The request of a variant: the benchmark as it is, or, when a prompt variant changes the prompt, the benchmark's dataset
    /// and scorers (the primary metric first, so the run records it) with the variant's prompt.
    /// </summary>
    private async ValueTask<EvaluationRequest> RequestAsync(Experiment experiment, ExperimentVariant variant, CancellationToken cancellationToken)
    {
        var prompt = variant.PromptVariant is null ? null : experiment.Definition.PromptVariants.First(p => p.Name == variant.PromptVariant);
        if (prompt is null || prompt.KeepsBenchmarkPrompt)
        {
            return new EvaluationRequest { ModelId = variant.ModelId, BenchmarkId = variant.BenchmarkId, Options = variant.Options, RunId = variant.RunId, ProjectId = experiment.Definition.ProjectId };
        }

        var benchmark = await _storage.Benchmarks.GetAsync(variant.BenchmarkId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("benchmark", variant.BenchmarkId);
        var primary = experiment.Definition.PrimaryMetric;
        var scorers = benchmark.Scorers.Count == 0 ? [ExactMatchScorer.DefaultName] : benchmark.Scorers.ToList();
        if (primary is not null && scorers.Remove(primary))
        {
            scorers.Insert(0, primary);
        }

        return new EvaluationRequest
        {
            ModelId = variant.ModelId,
            DatasetId = benchmark.DatasetId,
            ScorerNames = scorers,
            PromptTemplate = prompt.PromptTemplate ?? benchmark.PromptTemplate,
            SystemPrompt = prompt.SystemPrompt ?? benchmark.SystemPrompt,
            FewShot = prompt.FewShot ?? benchmark.FewShot,
            Options = variant.Options,
            RunId = variant.RunId,
            ProjectId = experiment.Definition.ProjectId,
        };
    }

    private async Task<ExperimentResults> ResultsAsync(Experiment experiment, CancellationToken cancellationToken)
    {
        var records = new List<ExperimentRun>();
        await foreach (var record in _storage.Experiments.ListRunsAsync(experiment.Id, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        var comparisons = new List<RunComparison>();
        var d = experiment.Definition;
        foreach (var benchmarkId in d.BenchmarkIds)
        {
            var loaded = new List<RunAnalysis.LoadedRun>();
            foreach (var variant in experiment.Variants.Where(v => v.BenchmarkId == benchmarkId))
            {
                var run = await _storage.Runs.GetAsync(variant.RunId, cancellationToken).ConfigureAwait(false);
                if (run is { Status: RunStatus.Completed })
                {
                    loaded.Add(new RunAnalysis.LoadedRun(variant.Label, run, await ReadResultsAsync(run.Id, cancellationToken).ConfigureAwait(false)));
                }
            }

            if (loaded.Count >= 2)
            {
                comparisons.Add(RunAnalysis.Compare(loaded, new RunComparisonOptions { PrimaryMetric = d.PrimaryMetric, Alpha = d.Alpha, Correction = d.Correction, PassThreshold = d.PassThreshold }));
            }
        }

        return new ExperimentResults { Experiment = experiment, Runs = records, Comparisons = comparisons };
    }

    private async Task<List<CaseResult>> ReadResultsAsync(string runId, CancellationToken cancellationToken)
    {
        var results = new List<CaseResult>();
        await foreach (var result in _storage.Results.ReadAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return results;
    }
}
