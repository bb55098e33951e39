using System.Globalization;
using System.Text;
using System.Text.Json;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Reporting;
using EvalKit.Scoring;
using EvalKit.Storage;

namespace EvalKit.Experiments;

/// <content>Reports and exports.</content>
public sealed partial class ExperimentService
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <inheritdoc/>
    public async Task<EvaluationReport> BuildReportAsync(ReportRequest request, CancellationToken cancellationToken = default)
    {
        var selection = await SelectAsync(request, cancellationToken).ConfigureAwait(false);
        var d = selection.Experiment?.Definition;
        var alpha = request.Alpha ?? d?.Alpha ?? 0.05;
        var correction = request.Correction ?? d?.Correction ?? PValueCorrection.Holm;
        var threshold = request.PassThreshold ?? d?.PassThreshold ?? 0.5;

        var runs = new List<ReportRun>();
        for (var i = 0; i < selection.Runs.Count; i++)
        {
            var run = selection.Runs[i];
            var results = await ReadResultsAsync(run.Id, cancellationToken).ConfigureAwait(false);
            var summary = run.Summary ?? await SummaryCalculator.ComputeAsync(results.ToAsyncEnumerable(), run, _options.DefaultConfidenceLevel, cancellationToken).ConfigureAwait(false);
            var model = await _storage.Models.GetAsync(run.ModelId, cancellationToken).ConfigureAwait(false);
            runs.Add(new ReportRun { Label = selection.Labels[i], Run = run, Summary = summary, Results = results, Model = model });
        }

        var primary = request.PrimaryMetric ?? d?.PrimaryMetric ?? runs[0].Run.PrimaryMetric
            ?? runs.SelectMany(r => r.Summary.Metrics.Keys).FirstOrDefault() ?? ExactMatchScorer.DefaultName;

        var cases = new Dictionary<string, IReadOnlyList<EvalCase>>(StringComparer.Ordinal);
        foreach (var datasetId in runs.Select(r => r.Run.DatasetId).Distinct(StringComparer.Ordinal))
        {
            var list = new List<EvalCase>();
            await foreach (var stored in _storage.Datasets.ReadCasesAsync(datasetId, 0, cancellationToken).ConfigureAwait(false))
            {
                list.Add(stored.Case);
            }

            cases[datasetId] = list;
        }

        var comparisons = new List<RunComparison>();
        foreach (var group in runs.Where(r => r.Run.Status == RunStatus.Completed).GroupBy(r => (r.Run.DatasetId, r.Run.DatasetHash)))
        {
            var loaded = group.Select(r => new RunAnalysis.LoadedRun(r.Label, r.Run, r.Results)).ToList();
            if (loaded.Count < 2)
            {
                continue;
            }

            var common = RunAnalysis.CommonMetrics(loaded);
            if (common.Count == 0)
            {
                continue;
            }

            comparisons.Add(RunAnalysis.Compare(loaded, new RunComparisonOptions
            {
                PrimaryMetric = common.Contains(primary) ? primary : common[0],
                Alpha = alpha,
                Correction = correction,
                PassThreshold = threshold,
            }));
        }

        var abTests = new List<ComparisonResults>();
        foreach (var test in selection.AbTests)
        {
            abTests.Add(await _abTests.GetResultsAsync(test.Id, cancellationToken).ConfigureAwait(false));
        }

        var gate = request.Gate is null ? null : await CheckRegressionAsync(request.Gate, cancellationToken).ConfigureAwait(false);
        return new EvaluationReport
        {
            Title = request.Title ?? d?.Name ?? "EvalKit report",
            Description = d?.Description,
            Hypothesis = d?.Hypothesis,
            GeneratedAt = _time.GetUtcNow(),
            PrimaryMetric = primary,
            Alpha = alpha,
            PassThreshold = threshold,
            MaxCases = request.MaxCases,
            Runs = runs,
            Comparisons = comparisons,
            AbTests = abTests,
            Gate = gate,
            Experiment = selection.Experiment,
            Cases = cases,
        };
    }

    /// <inheritdoc/>
    public async Task ExportAsync(ReportRequest request, ReportFormat format, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentException($"Unknown report format '{format}'.", nameof(format));
        }

        switch (format)
        {
            case ReportFormat.Json:
                await WriteJsonAsync(await SelectAsync(request, cancellationToken).ConfigureAwait(false), destination, cancellationToken).ConfigureAwait(false);
                return;
            case ReportFormat.Csv:
                await WriteCsvAsync(request, destination, cancellationToken).ConfigureAwait(false);
                return;
            case ReportFormat.JUnit:
                JUnitReport.Write(await BuildReportAsync(request, cancellationToken).ConfigureAwait(false), destination);
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
        }

        var report = await BuildReportAsync(request, cancellationToken).ConfigureAwait(false);
        var writer = new StreamWriter(destination, Utf8, bufferSize: 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            if (format == ReportFormat.Html)
            {
                HtmlReport.Write(report, writer);
            }
            else
            {
                MarkdownReport.Write(report, writer);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Selection> SelectAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (request.MaxCases < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxCases must not be negative (was {request.MaxCases})."));
        }

        problems.AddRange(RunAnalysis.Problems(request.Alpha ?? 0.05, request.Correction ?? PValueCorrection.Holm, request.PassThreshold ?? 0.5));
        if (request.RunIds?.Any(string.IsNullOrWhiteSpace) == true || request.AbTestIds?.Any(string.IsNullOrWhiteSpace) == true)
        {
            problems.Add("A run or A/B test id is empty.");
        }

        if (request.ExperimentId is not null && string.IsNullOrWhiteSpace(request.ExperimentId))
        {
            problems.Add("The experiment id is empty.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The report request is invalid: {string.Join(" ", problems)}", nameof(request));
        }

        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        Experiment? experiment = null;
        if (request.ExperimentId is not null)
        {
            experiment = await _storage.Experiments.GetAsync(request.ExperimentId, cancellationToken).ConfigureAwait(false);
            if (experiment is null)
            {
                missing.Add($"experiment '{request.ExperimentId}'");
            }
            else
            {
                foreach (var variant in experiment.Variants)
                {
                    if (await _storage.Runs.GetAsync(variant.RunId, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        ids.Add(variant.RunId);
                        given[variant.RunId] = variant.Label;
                    }
                }
            }
        }

        var abTests = new List<Comparisons.AbTest>();
        foreach (var testId in (request.AbTestIds ?? []).Distinct(StringComparer.Ordinal))
        {
            var test = await _storage.AbTests.GetAsync(testId, cancellationToken).ConfigureAwait(false);
            if (test is null)
            {
                missing.Add($"A/B test '{testId}'");
                continue;
            }

            abTests.Add(test);
            foreach (var modelId in test.Definition.ModelIds)
            {
                if (test.RunIds.TryGetValue(modelId, out var runId) && await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
                {
                    ids.Add(runId);
                }
            }
        }

        foreach (var runId in request.RunIds ?? [])
        {
            if (await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is null)
            {
                missing.Add($"run '{runId}'");
            }
            else
            {
                ids.Add(runId);
            }
        }

        if (missing.Count > 0)
        {
            throw new NotFoundException($"The report names what does not exist: {string.Join(", ", missing)}.");
        }

        var runs = new List<EvaluationRun>();
        foreach (var runId in ids.Distinct(StringComparer.Ordinal))
        {
            runs.Add((await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false))!);
        }

        if (runs.Count == 0)
        {
            throw new ArgumentException(
                "The report covers no run: name runs (RunIds), an experiment that has run (ExperimentId) or A/B tests (AbTestIds).", nameof(request));
        }

        foreach (var (runId, label) in request.Labels ?? new Dictionary<string, string>())
        {
            given[runId] = label;
        }

        return new Selection(experiment, runs, RunLabels.For(runs, given), abTests);
    }

    private async Task WriteCsvAsync(ReportRequest request, Stream destination, CancellationToken cancellationToken)
    {
        var selection = await SelectAsync(request, cancellationToken).ConfigureAwait(false);
        var d = selection.Experiment?.Definition;
        var primary = request.PrimaryMetric ?? d?.PrimaryMetric ?? selection.Runs[0].PrimaryMetric ?? ExactMatchScorer.DefaultName;
        var writer = new StreamWriter(destination, Utf8, bufferSize: 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            using (var csv = new CsvResultWriter(writer, CsvReport.MetricsOf(selection.Runs), primary, request.PassThreshold ?? d?.PassThreshold ?? 0.5))
            {
                for (var i = 0; i < selection.Runs.Count; i++)
                {
                    var run = selection.Runs[i];

                    // Results and cases are both in ordinal order: walk them together, holding one case at a time.
                    var cases = _storage.Datasets.ReadCasesAsync(run.DatasetId, 0, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    await using (cases.ConfigureAwait(false))
                    {
                        var hasCase = await cases.MoveNextAsync().ConfigureAwait(false);
                        var count = 0;
                        await foreach (var result in _storage.Results.ReadAsync(run.Id, cancellationToken).ConfigureAwait(false))
                        {
                            while (hasCase && cases.Current.Ordinal < result.CaseOrdinal)
                            {
                                hasCase = await cases.MoveNextAsync().ConfigureAwait(false);
                            }

                            csv.Write(selection.Labels[i], run, hasCase && cases.Current.Ordinal == result.CaseOrdinal ? cases.Current.Case : null, result);
                            if (++count % 4096 == 0)
                            {
                                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                            }
                        }
                    }
                }
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteJsonAsync(Selection selection, Stream destination, CancellationToken cancellationToken)
    {
        var json = ArchiveJsonContext.Default;
        var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = false });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("format", ExportArchive.FormatName);
            writer.WriteNumber("version", ExportArchive.CurrentVersion);
            writer.WriteString("exportedAt", _time.GetUtcNow());

            writer.WriteStartArray("models");
            foreach (var modelId in selection.Runs.Select(r => r.ModelId).Distinct(StringComparer.Ordinal))
            {
                var revisions = new List<Registry.ModelRevision>();
                await foreach (var revision in _storage.Models.GetRevisionsAsync(modelId, cancellationToken).ConfigureAwait(false))
                {
                    revisions.Add(revision);
                }

                if (revisions.Count > 0)
                {
                    JsonSerializer.Serialize(writer, new ArchivedModel { Id = modelId, Revisions = revisions }, json.ArchivedModel);
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("datasets");
            foreach (var datasetId in selection.Runs.Select(r => r.DatasetId).Distinct(StringComparer.Ordinal))
            {
                var info = await _storage.Datasets.GetAsync(datasetId, cancellationToken).ConfigureAwait(false);
                if (info is null)
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WritePropertyName("info");
                JsonSerializer.Serialize(writer, info, json.DatasetInfo);
                writer.WriteStartArray("cases");
                await foreach (var stored in _storage.Datasets.ReadCasesAsync(datasetId, 0, cancellationToken).ConfigureAwait(false))
                {
                    JsonSerializer.Serialize(writer, stored.Case, json.EvalCase);
                    await FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            var benchmarkIds = selection.Runs.Select(r => r.BenchmarkId)
                .Concat(selection.Experiment?.Definition.BenchmarkIds ?? [])
                .Concat(selection.AbTests.Select(t => t.Definition.BenchmarkId))
                .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            writer.WriteStartArray("benchmarks");
            foreach (var benchmarkId in benchmarkIds)
            {
                if (await _storage.Benchmarks.GetAsync(benchmarkId, cancellationToken).ConfigureAwait(false) is { } benchmark)
                {
                    JsonSerializer.Serialize(writer, benchmark, json.Benchmark);
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("templates");
            if (selection.Experiment?.TemplateId is { } templateId && await _storage.Experiments.GetTemplateAsync(templateId, cancellationToken).ConfigureAwait(false) is { } template)
            {
                JsonSerializer.Serialize(writer, template, json.ExperimentTemplate);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("experiments");
            if (selection.Experiment is { } experiment)
            {
                JsonSerializer.Serialize(writer, experiment, json.Experiment);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("experimentRuns");
            if (selection.Experiment is not null)
            {
                await foreach (var record in _storage.Experiments.ListRunsAsync(selection.Experiment.Id, cancellationToken).ConfigureAwait(false))
                {
                    JsonSerializer.Serialize(writer, record, json.ExperimentRun);
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("abTests");
            foreach (var test in selection.AbTests)
            {
                JsonSerializer.Serialize(writer, test, json.AbTest);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("runs");
            foreach (var run in selection.Runs)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("run");
                JsonSerializer.Serialize(writer, run, json.EvaluationRun);
                writer.WriteStartArray("results");
                await foreach (var result in _storage.Results.ReadAsync(run.Id, cancellationToken).ConfigureAwait(false))
                {
                    JsonSerializer.Serialize(writer, result, json.CaseResult);
                    await FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask FlushIfFullAsync(Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        if (writer.BytesPending > 64 * 1024)
        {
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What a report or export covers.</summary>
    private sealed record Selection(Experiment? Experiment, List<EvaluationRun> Runs, List<string> Labels, List<Comparisons.AbTest> AbTests);
}
