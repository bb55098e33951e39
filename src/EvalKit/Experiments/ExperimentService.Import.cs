using System.Globalization;
using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Reporting;
using EvalKit.Storage;

namespace EvalKit.Experiments;

/// <content>The import of JSON exports.</content>
public sealed partial class ExperimentService
{
    private const int ImportBatchSize = 1_000;
    private const int ListedProblems = 20;

    /// <inheritdoc/>
    public async Task<ImportSummary> ImportAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return await _guard.RunAsync(
            Security.EvalKitOperationKinds.ExperimentImport, Security.EvalKitRecordTypes.ExportArchive, null, () => ImportCoreAsync(source, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImportSummary> ImportCoreAsync(Stream source, CancellationToken cancellationToken)
    {
        ExportArchive? archive;
        try
        {
            archive = await JsonSerializer.DeserializeAsync(source, ArchiveJsonContext.Default.ExportArchive, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            // System.Text.Json appends "Path: ... | LineNumber: ... | BytePositionInLine: ..." (0-based); the exception says where, 1-based.
            var message = e.Message.Split(" Path: ", 2)[0];
            if (e.BytePositionInLine is { } position)
            {
                message += string.Create(CultureInfo.InvariantCulture, $" (byte {position + 1} of the line)");
            }

            throw new ImportException(message, e.Path ?? "$", e.LineNumber is { } line ? line + 1 : null, e);
        }
        catch (NotSupportedException e)
        {
            throw new ImportException(e.Message, "$", null, e);
        }

        if (archive is null)
        {
            throw new ImportException("The document is null; expected the object of a JSON export.", "$", null);
        }

        var problems = new List<(string Path, string Message)>();
        await CheckArchiveAsync(archive, problems, cancellationToken).ConfigureAwait(false);
        Throw(problems, "The export contradicts itself");

        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var plan = await PlanAsync(archive, problems, cancellationToken).ConfigureAwait(false);
        Throw(problems, "The export conflicts with the store (nothing was written)");
        return await WriteAsync(archive, plan, cancellationToken).ConfigureAwait(false);
    }

    private static void Throw(List<(string Path, string Message)> problems, string what)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var listed = string.Join(" ", problems.Take(ListedProblems).Select(p => $"{p.Path}: {p.Message}"));
        var more = problems.Count > ListedProblems ? string.Create(CultureInfo.InvariantCulture, $" (and {problems.Count - ListedProblems} more)") : string.Empty;
        throw new ImportException(string.Create(CultureInfo.InvariantCulture, $"{what}: {problems.Count} problem(s): {listed}{more}"), problems[0].Path, null);
    }

    /// <summary>Checks the document against itself: identity, references between its parts, dataset content hashes.</summary>
    private static async Task CheckArchiveAsync(ExportArchive a, List<(string Path, string Message)> problems, CancellationToken cancellationToken)
    {
        void Problem(string path, string message) => problems.Add((path, message));
        static string P(FormattableString path) => FormattableString.Invariant(path);

        if (a.Format != ExportArchive.FormatName)
        {
            Problem("$.format", $"expected \"{ExportArchive.FormatName}\", found \"{a.Format}\".");
        }

        if (a.Version != ExportArchive.CurrentVersion)
        {
            Problem("$.version", string.Create(CultureInfo.InvariantCulture, $"this EvalKit reads version {ExportArchive.CurrentVersion}, the document is version {a.Version}."));
            return;
        }

        Duplicates(problems, a.Models.Select(m => m.Id), i => P($"$.models[{i}].id"));
        for (var i = 0; i < a.Models.Count; i++)
        {
            var model = a.Models[i];
            if (model.Revisions.Count == 0)
            {
                Problem(P($"$.models[{i}].revisions"), $"model '{model.Id}' has no revision.");
            }

            for (var k = 0; k < model.Revisions.Count; k++)
            {
                var revision = model.Revisions[k];
                if (revision.Model.Id != model.Id)
                {
                    Problem(P($"$.models[{i}].revisions[{k}].model.id"), $"the revision is of model '{revision.Model.Id}', not '{model.Id}'.");
                }

                if (k > 0 && revision.Revision <= model.Revisions[k - 1].Revision)
                {
                    Problem(P($"$.models[{i}].revisions[{k}].model.revision"), "revisions must be in increasing order.");
                }

                // An archive must not bring a credential into the store that the registry would have refused.
                foreach (var secret in Registry.ModelValidation.GetCredentialErrors(revision.Model))
                {
                    Problem(P($"$.models[{i}].revisions[{k}].model"), $"{secret.Field}: {secret.Message}");
                }
            }
        }

        Duplicates(problems, a.Datasets.Select(d => d.Info.Id), i => P($"$.datasets[{i}].info.id"));
        for (var i = 0; i < a.Datasets.Count; i++)
        {
            var dataset = a.Datasets[i];
            var info = dataset.Info;
            if (info.Id != DatasetInfo.MakeId(info.Name, info.Version))
            {
                Problem(P($"$.datasets[{i}].info.id"), $"the id '{info.Id}' is not name@version ('{DatasetInfo.MakeId(info.Name, info.Version)}').");
                continue;
            }

            if (dataset.Cases.Count != info.CaseCount)
            {
                Problem(P($"$.datasets[{i}].cases"), string.Create(CultureInfo.InvariantCulture, $"dataset '{info.Id}' declares {info.CaseCount} cases but has {dataset.Cases.Count}."));
                continue;
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < dataset.Cases.Count; k++)
            {
                if (dataset.Cases[k].Id is { } caseId && !ids.Add(caseId))
                {
                    Problem(P($"$.datasets[{i}].cases[{k}].id"), $"case id '{caseId}' repeats an earlier case's.");
                }
            }

            try
            {
                var import = new DatasetImport(info.Name, info.Version, dataset.Cases.ToAsyncEnumerable(), info.CreatedAt, info.Description, P($"$.datasets[{i}].cases"));
                await foreach (var unused in import.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // Validate every case and hash the content.
                }

                var hash = import.Complete().ContentHash;
                if (hash != info.ContentHash)
                {
                    Problem(P($"$.datasets[{i}].info.contentHash"), $"the cases of dataset '{info.Id}' hash to {hash}, not to the declared {info.ContentHash}; the cases were changed.");
                }
            }
            catch (DatasetFormatException e)
            {
                Problem(P($"$.datasets[{i}].cases"), e.Message);
            }
        }

        Duplicates(problems, a.Benchmarks.Select(b => b.Id), i => P($"$.benchmarks[{i}].id"));
        Duplicates(problems, a.Templates.Select(t => t.Id), i => P($"$.templates[{i}].id"));
        Duplicates(problems, a.Experiments.Select(e => e.Id), i => P($"$.experiments[{i}].id"));
        Duplicates(problems, a.ExperimentRuns.Select(r => r.ExperimentId + "\n" + r.RunId), i => P($"$.experimentRuns[{i}]"));
        Duplicates(problems, a.AbTests.Select(t => t.Id), i => P($"$.abTests[{i}].id"));
        Duplicates(problems, a.Runs.Select(r => r.Run.Id), i => P($"$.runs[{i}].run.id"));
        var caseCounts = a.Datasets.GroupBy(d => d.Info.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Info.CaseCount, StringComparer.Ordinal);
        for (var i = 0; i < a.Runs.Count; i++)
        {
            var run = a.Runs[i].Run;
            var keys = new HashSet<(long, int)>();
            var results = a.Runs[i].Results;
            for (var j = 0; j < results.Count; j++)
            {
                var result = results[j];
                if (result.RunId != run.Id)
                {
                    Problem(P($"$.runs[{i}].results[{j}].runId"), $"the result belongs to run '{result.RunId}', not to '{run.Id}'.");
                }

                if (result.CaseOrdinal < 0 || (caseCounts.TryGetValue(run.DatasetId, out var count) && result.CaseOrdinal >= count))
                {
                    Problem(P($"$.runs[{i}].results[{j}].caseOrdinal"), string.Create(CultureInfo.InvariantCulture, $"case ordinal {result.CaseOrdinal} is outside dataset '{run.DatasetId}'."));
                }

                if (result.Repetition < 0 || result.Repetition >= run.Options.Repetitions)
                {
                    Problem(P($"$.runs[{i}].results[{j}].repetition"), string.Create(CultureInfo.InvariantCulture, $"repetition {result.Repetition} is outside the run's {run.Options.Repetitions} repetition(s)."));
                }

                if (!keys.Add((result.CaseOrdinal, result.Repetition)))
                {
                    Problem(P($"$.runs[{i}].results[{j}]"), string.Create(CultureInfo.InvariantCulture, $"a second result for case ordinal {result.CaseOrdinal}, repetition {result.Repetition}."));
                }

                if (problems.Count > ListedProblems)
                {
                    return;
                }
            }
        }
    }

    private static void Duplicates(List<(string Path, string Message)> problems, IEnumerable<string> ids, Func<int, string> path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var id in ids)
        {
            if (!seen.Add(id))
            {
                problems.Add((path(i), $"'{id.Replace('\n', '/')}' appears twice."));
            }

            i++;
        }
    }

    /// <summary>Decides, for every record, whether it is new or already stored identically; anything else is a conflict.</summary>
    private async Task<ImportPlan> PlanAsync(ExportArchive a, List<(string Path, string Message)> problems, CancellationToken cancellationToken)
    {
        static string P(FormattableString path) => FormattableString.Invariant(path);
        var plan = new ImportPlan();
        for (var i = 0; i < a.Models.Count; i++)
        {
            plan.Models.Add(await _storage.Models.GetAsync(a.Models[i].Id, cancellationToken).ConfigureAwait(false) is null);
        }

        var datasets = new HashSet<string>(a.Datasets.Select(d => d.Info.Id), StringComparer.Ordinal);
        for (var i = 0; i < a.Datasets.Count; i++)
        {
            var info = a.Datasets[i].Info;
            var stored = await _storage.Datasets.GetAsync(info.Id, cancellationToken).ConfigureAwait(false);
            if (stored is not null && stored.ContentHash != info.ContentHash)
            {
                problems.Add((P($"$.datasets[{i}]"), $"dataset '{info.Id}' is stored with content hash {stored.ContentHash}, the export's has {info.ContentHash}."));
            }

            plan.Datasets.Add(stored is null);
        }

        async ValueTask<bool> DatasetKnownAsync(string id) => datasets.Contains(id) || await _storage.Datasets.GetAsync(id, cancellationToken).ConfigureAwait(false) is not null;

        for (var i = 0; i < a.Benchmarks.Count; i++)
        {
            var benchmark = a.Benchmarks[i];
            var stored = await _storage.Benchmarks.GetAsync(benchmark.Id, cancellationToken).ConfigureAwait(false);
            if (stored is null && !await DatasetKnownAsync(benchmark.DatasetId).ConfigureAwait(false))
            {
                problems.Add((P($"$.benchmarks[{i}].datasetId"), $"benchmark '{benchmark.Id}' names dataset '{benchmark.DatasetId}', which is neither in the export nor in the store."));
            }
            else if (stored is not null && !stored.Equals(benchmark))
            {
                problems.Add((P($"$.benchmarks[{i}]"), $"benchmark '{benchmark.Id}' is stored with a different definition."));
            }

            plan.Benchmarks.Add(stored is null);
        }

        var runs = new HashSet<string>(a.Runs.Select(r => r.Run.Id), StringComparer.Ordinal);
        for (var i = 0; i < a.Runs.Count; i++)
        {
            var run = a.Runs[i].Run;
            var stored = await _storage.Runs.GetAsync(run.Id, cancellationToken).ConfigureAwait(false);
            if (stored is null && !await DatasetKnownAsync(run.DatasetId).ConfigureAwait(false))
            {
                problems.Add((P($"$.runs[{i}].run.datasetId"), $"run '{run.Id}' evaluated dataset '{run.DatasetId}', which is neither in the export nor in the store."));
            }
            else if (stored is not null && !stored.Equals(run))
            {
                problems.Add((P($"$.runs[{i}].run"), $"run '{run.Id}' is stored with different content (status {stored.Status} in the store, {run.Status} in the export)."));
            }

            plan.Runs.Add(stored is null);
        }

        for (var i = 0; i < a.Templates.Count; i++)
        {
            var template = a.Templates[i];
            var stored = await _storage.Experiments.GetTemplateAsync(template.Id, cancellationToken).ConfigureAwait(false);
            if (stored is not null && !stored.Equals(template))
            {
                problems.Add((P($"$.templates[{i}]"), $"experiment template '{template.Id}' is stored with a different definition."));
            }

            plan.Templates.Add(stored is null);
        }

        var experiments = new HashSet<string>(a.Experiments.Select(e => e.Id), StringComparer.Ordinal);
        for (var i = 0; i < a.Experiments.Count; i++)
        {
            var experiment = a.Experiments[i];
            var stored = await _storage.Experiments.GetAsync(experiment.Id, cancellationToken).ConfigureAwait(false);
            if (stored is not null && !stored.Equals(experiment))
            {
                problems.Add((P($"$.experiments[{i}]"), $"experiment '{experiment.Id}' is stored with different content (status {stored.Status} in the store, {experiment.Status} in the export)."));
            }

            plan.Experiments.Add(stored is null);
        }

        for (var i = 0; i < a.ExperimentRuns.Count; i++)
        {
            var record = a.ExperimentRuns[i];
            if (!experiments.Contains(record.ExperimentId) && await _storage.Experiments.GetAsync(record.ExperimentId, cancellationToken).ConfigureAwait(false) is null)
            {
                problems.Add((P($"$.experimentRuns[{i}].experimentId"), $"experiment '{record.ExperimentId}' is neither in the export nor in the store."));
            }

            if (!runs.Contains(record.RunId) && await _storage.Runs.GetAsync(record.RunId, cancellationToken).ConfigureAwait(false) is null)
            {
                problems.Add((P($"$.experimentRuns[{i}].runId"), $"run '{record.RunId}' is neither in the export nor in the store."));
            }

            ExperimentRun? stored = null;
            await foreach (var existing in _storage.Experiments.ListRunsAsync(record.ExperimentId, cancellationToken).ConfigureAwait(false))
            {
                if (existing.RunId == record.RunId)
                {
                    stored = existing;
                    break;
                }
            }

            if (stored is not null && !stored.Equals(record))
            {
                problems.Add((P($"$.experimentRuns[{i}]"), $"the record of run '{record.RunId}' in experiment '{record.ExperimentId}' is stored with different content."));
            }

            plan.ExperimentRuns.Add(stored is null);
        }

        for (var i = 0; i < a.AbTests.Count; i++)
        {
            var test = a.AbTests[i];
            var stored = await _storage.AbTests.GetAsync(test.Id, cancellationToken).ConfigureAwait(false);
            if (stored is not null && !stored.Equals(test))
            {
                problems.Add((P($"$.abTests[{i}]"), $"A/B test '{test.Id}' is stored with different content."));
            }

            plan.AbTests.Add(stored is null);
        }

        return plan;
    }

    private async Task<ImportSummary> WriteAsync(ExportArchive a, ImportPlan plan, CancellationToken cancellationToken)
    {
        for (var i = 0; i < a.Models.Count; i++)
        {
            if (!plan.Models[i])
            {
                continue;
            }

            var revisions = a.Models[i].Revisions;
            if (!await _storage.Models.TryAddAsync(revisions[0], cancellationToken).ConfigureAwait(false))
            {
                plan.Models[i] = false;
                continue;
            }

            for (var k = 1; k < revisions.Count; k++)
            {
                await _storage.Models.TryUpdateAsync(revisions[k], revisions[k - 1].Revision, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < a.Datasets.Count; i++)
        {
            if (plan.Datasets[i])
            {
                var info = a.Datasets[i].Info;
                await _storage.Datasets.CreateAsync(new DatasetImport(info.Name, info.Version, a.Datasets[i].Cases.ToAsyncEnumerable(), info.CreatedAt, info.Description), cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < a.Benchmarks.Count; i++)
        {
            if (plan.Benchmarks[i])
            {
                await _storage.Benchmarks.SaveAsync(a.Benchmarks[i], cancellationToken).ConfigureAwait(false);
            }
        }

        long results = 0;
        for (var i = 0; i < a.Runs.Count; i++)
        {
            if (plan.Runs[i] && !await _storage.Runs.TryAddAsync(a.Runs[i].Run, cancellationToken).ConfigureAwait(false))
            {
                plan.Runs[i] = false;
            }

            // Also for runs already stored: a result already there is ignored, a missing one (an interrupted import) is written.
            foreach (var batch in a.Runs[i].Results.Chunk(ImportBatchSize))
            {
                results += await _storage.Results.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < a.Templates.Count; i++)
        {
            if (plan.Templates[i])
            {
                await _storage.Experiments.SaveTemplateAsync(a.Templates[i], cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < a.Experiments.Count; i++)
        {
            if (plan.Experiments[i] && !await _storage.Experiments.TryAddAsync(a.Experiments[i], cancellationToken).ConfigureAwait(false))
            {
                plan.Experiments[i] = false;
            }
        }

        for (var i = 0; i < a.ExperimentRuns.Count; i++)
        {
            if (plan.ExperimentRuns[i])
            {
                await _storage.Experiments.SaveRunAsync(a.ExperimentRuns[i], cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < a.AbTests.Count; i++)
        {
            if (plan.AbTests[i] && !await _storage.AbTests.TryAddAsync(a.AbTests[i], cancellationToken).ConfigureAwait(false))
            {
                plan.AbTests[i] = false;
            }
        }

        return new ImportSummary
        {
            Models = Count(plan.Models),
            Datasets = Count(plan.Datasets),
            Benchmarks = Count(plan.Benchmarks),
            Runs = Count(plan.Runs),
            Results = results,
            Templates = Count(plan.Templates),
            Experiments = Count(plan.Experiments),
            ExperimentRuns = Count(plan.ExperimentRuns),
            AbTests = Count(plan.AbTests),
        };
    }

    private static ImportCount Count(List<bool> added) => new(added.Count(x => x), added.Count(x => !x));

    /// <summary>For every record of the document, in document order: <see langword="true"/> when it is to be written.</summary>
    private sealed class ImportPlan
    {
        public List<bool> Models { get; } = [];

        public List<bool> Datasets { get; } = [];

        public List<bool> Benchmarks { get; } = [];

        public List<bool> Runs { get; } = [];

        public List<bool> Templates { get; } = [];

        public List<bool> Experiments { get; } = [];

        public List<bool> ExperimentRuns { get; } = [];

        public List<bool> AbTests { get; } = [];
    }
}
