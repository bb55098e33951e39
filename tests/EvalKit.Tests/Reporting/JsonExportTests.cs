using System.Text;
using System.Text.Json.Nodes;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Reporting;
using EvalKit.Storage;
using EvalKit.Tests.Experiments;

namespace EvalKit.Tests.Reporting;

public sealed class JsonExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ImportSummary> ImportAsync(IExperimentService target, byte[] json)
    {
        using var stream = new MemoryStream(json);
        return await target.ImportAsync(stream, Ct);
    }

    private static byte[] Edit(byte[] json, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static async Task<(int Runs, int Datasets, int Experiments)> CountAsync(IEvalKitStorage storage) =>
        ((await storage.Runs.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Count,
         (await storage.Datasets.ListAsync(Ct).ToListAsync(Ct)).Count,
         (await storage.Experiments.ListAsync(Ct).ToListAsync(Ct)).Count);

    [Fact]
    public async Task ExportThenImport_IntoAnotherStore_GivesTheSameRecordsAndResults()
    {
        await using var source = await ReportScenario.CreateAsync();
        var json = await source.ExportAsync(ReportFormat.Json);
        await using var target = new ExperimentKit();

        var summary = await ImportAsync(target.Host.Experiments, json);

        summary.Runs.Should().Be(new ImportCount(3, 0));
        summary.Results.Should().Be(3 * ReportScenario.Cases);
        summary.Models.Should().Be(new ImportCount(3, 0));
        summary.Datasets.Should().Be(new ImportCount(1, 0));
        summary.Benchmarks.Should().Be(new ImportCount(1, 0));
        summary.Experiments.Should().Be(new ImportCount(1, 0));
        summary.ExperimentRuns.Should().Be(new ImportCount(3, 0));
        var from = source.Kit.Host.Storage;
        var to = target.Host.Storage;
        foreach (var variant in source.Experiment.Variants)
        {
            var run = await from.Runs.GetAsync(variant.RunId, Ct);
            var copy = await to.Runs.GetAsync(variant.RunId, Ct);
            copy.Should().Be(run);
            copy!.Summary.Should().BeEquivalentTo(run!.Summary);
            (await to.Results.ReadAsync(variant.RunId, Ct).ToListAsync(Ct)).Should().Equal(await from.Results.ReadAsync(variant.RunId, Ct).ToListAsync(Ct));
        }

        (await to.Datasets.GetAsync("arith@1", Ct)).Should().Be(await from.Datasets.GetAsync("arith@1", Ct));
        (await to.Datasets.ReadCasesAsync("arith@1", 0, Ct).ToListAsync(Ct)).Should().Equal(await from.Datasets.ReadCasesAsync("arith@1", 0, Ct).ToListAsync(Ct));
        (await to.Benchmarks.GetAsync("arith", Ct)).Should().Be(await from.Benchmarks.GetAsync("arith", Ct));
        (await to.Models.GetRevisionsAsync(ExperimentKit.A, Ct).ToListAsync(Ct)).Should().BeEquivalentTo(await from.Models.GetRevisionsAsync(ExperimentKit.A, Ct).ToListAsync(Ct));
        (await to.Experiments.GetAsync(source.Experiment.Id, Ct)).Should().Be(await from.Experiments.GetAsync(source.Experiment.Id, Ct));
        (await to.Experiments.ListRunsAsync(source.Experiment.Id, Ct).ToListAsync(Ct)).Should().Equal(await from.Experiments.ListRunsAsync(source.Experiment.Id, Ct).ToListAsync(Ct));

        // The imported store answers the same questions: a gate, a comparison, and the same export again.
        var gate = source.Request().Gate!;
        (await target.Host.Experiments.CheckRegressionAsync(gate, Ct)).Report.Should().Be((await source.Experiments.CheckRegressionAsync(gate, Ct)).Report);
        using var again = new MemoryStream();
        await target.Host.Experiments.ExportAsync(source.Request(gate: false), ReportFormat.Json, again, Ct);
        var first = JsonNode.Parse(json)!.AsObject();
        var second = JsonNode.Parse(again.ToArray())!.AsObject();
        first.Remove("exportedAt");
        second.Remove("exportedAt");
        second.ToJsonString().Should().Be(first.ToJsonString(), "an imported store exports the same document");
    }

    [Fact]
    public async Task Import_Twice_WritesOnce()
    {
        await using var source = await ReportScenario.CreateAsync();
        var json = await source.ExportAsync(ReportFormat.Json);
        await using var target = new ExperimentKit();
        await ImportAsync(target.Host.Experiments, json);

        var again = await ImportAsync(target.Host.Experiments, json);

        again.Runs.Should().Be(new ImportCount(0, 3));
        again.Results.Should().Be(0);
        again.Datasets.Should().Be(new ImportCount(0, 1));
        again.Experiments.Should().Be(new ImportCount(0, 1));
        again.Models.Should().Be(new ImportCount(0, 3));
        (await CountAsync(target.Host.Storage)).Should().Be((3, 1, 1));
    }

    [Fact]
    public async Task Export_RunWhoseMetricHasNoValue_RoundTripsNaN()
    {
        await using var kit = new ExperimentKit();
        await kit.BenchmarkAsync(cases: 3);
        await kit.AddModelAsync(ExperimentKit.A, ExperimentKit.Correct(_ => true));
        var broken = new EvalKit.Scoring.DelegateScorer("broken", (Func<EvalKit.Scoring.ScoringContext, double>)(_ => throw new InvalidOperationException("the scorer is broken")));
        var run = await kit.Host.Engine.EvaluateAsync(new EvaluationRequest { ModelId = ExperimentKit.A, BenchmarkId = "arith", Scorers = [broken] }, cancellationToken: Ct);
        run.Summary!.Metrics["broken"].Mean.Should().Be(double.NaN);
        using var stream = new MemoryStream();
        await kit.Host.Experiments.ExportAsync(new ReportRequest { RunIds = [run.Id] }, ReportFormat.Json, stream, Ct);
        await using var target = new ExperimentKit();

        await ImportAsync(target.Host.Experiments, stream.ToArray());

        var copy = (await target.Host.Storage.Runs.GetAsync(run.Id, Ct))!;
        copy.Summary!.Metrics["broken"].Mean.Should().Be(double.NaN);
        copy.Summary.Metrics["broken"].ConfidenceInterval.Lower.Should().Be(double.NaN);
        copy.Summary.Metrics["exact_match"].Mean.Should().Be(1);
    }

    [Theory]
    [InlineData("syntax")]
    [InlineData("type")]
    [InlineData("missing")]
    [InlineData("unknown")]
    [InlineData("version")]
    public async Task Import_MalformedDocument_NamesTheJsonPath_AndWritesNothing(string defect)
    {
        await using var source = await ReportScenario.CreateAsync();
        var json = await source.ExportAsync(ReportFormat.Json);
        var (bad, path) = defect switch
        {
            "syntax" => (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace("\"results\":[{", "\"results\":[{,", StringComparison.Ordinal)), "$.runs[0].results[0]"),
            "type" => (Edit(json, r => r["runs"]![1]!["results"]![2]!["caseOrdinal"] = "seven"), "$.runs[1].results[2].caseOrdinal"),
            "missing" => (Edit(json, r => r["runs"]![0]!["results"]![1]!.AsObject().Remove("caseId")), "$.runs[0].results[1]"),
            "unknown" => (Edit(json, r => r["experiments"]![0]!["definition"]!["colour"] = "red"), "$.experiments[0].definition.colour"),
            _ => (Edit(json, r => r["version"] = 99), "$.version"),
        };
        await using var target = new ExperimentKit();

        var error = (await FluentActions.Awaiting(() => ImportAsync(target.Host.Experiments, bad)).Should().ThrowAsync<ImportException>()).Which;

        error.JsonPath.Should().Be(path);
        error.Message.Should().Contain(path);
        if (defect == "syntax")
        {
            error.LineNumber.Should().Be(1);
        }

        (await CountAsync(target.Host.Storage)).Should().Be((0, 0, 0));
        (await target.Host.Storage.Models.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Import_InconsistentDocument_ListsEveryProblemWithItsPath_AndWritesNothing()
    {
        await using var source = await ReportScenario.CreateAsync();
        var json = Edit(await source.ExportAsync(ReportFormat.Json), r =>
        {
            r["runs"]![0]!["results"]![4]!["runId"] = "someone-else";
            r["runs"]![1]!["results"]![0]!["caseOrdinal"] = 999;
            r["datasets"]![0]!["cases"]![7]!["input"]!["text"] = "tampered";
            r["runs"]![2]!["results"]!.AsArray().Add(r["runs"]![2]!["results"]![0]!.DeepClone());
        });
        await using var target = new ExperimentKit();

        var error = (await FluentActions.Awaiting(() => ImportAsync(target.Host.Experiments, json)).Should().ThrowAsync<ImportException>()).Which;

        error.Message.Should().Contain("4 problem(s)")
            .And.Contain("$.datasets[0].info.contentHash").And.Contain("the cases were changed")
            .And.Contain("$.runs[0].results[4].runId: the result belongs to run 'someone-else'")
            .And.Contain("$.runs[1].results[0].caseOrdinal: case ordinal 999 is outside dataset 'arith@1'")
            .And.Contain($"$.runs[2].results[{ReportScenario.Cases}]: a second result for case ordinal 0, repetition 0");
        (await CountAsync(target.Host.Storage)).Should().Be((0, 0, 0));
    }

    [Fact]
    public async Task Import_ConflictWithTheStore_NamesTheRecord_AndWritesNothing()
    {
        await using var source = await ReportScenario.CreateAsync();
        var json = await source.ExportAsync(ReportFormat.Json);
        await using var target = new ExperimentKit();
        var runId = source.Experiment.Variants[1].RunId;
        var run = (await source.Kit.Host.Storage.Runs.GetAsync(runId, Ct))!;
        await target.Host.Storage.Runs.TryAddAsync(run with { ModelId = "local/somebody-else" }, Ct);

        var error = (await FluentActions.Awaiting(() => ImportAsync(target.Host.Experiments, json)).Should().ThrowAsync<ImportException>()).Which;

        error.Message.Should().Contain("conflicts with the store").And.Contain($"run '{runId}' is stored with different content");
        error.JsonPath.Should().Be("$.runs[1].run");
        (await CountAsync(target.Host.Storage)).Should().Be((1, 0, 0));
        (await target.Host.Storage.Models.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Export_Json_IsOneObjectWithTheFormatAndEverySection()
    {
        await using var source = await ReportScenario.CreateAsync();

        var root = JsonNode.Parse(await source.ExportAsync(ReportFormat.Json))!.AsObject();

        root["format"]!.GetValue<string>().Should().Be("evalkit-export");
        root["version"]!.GetValue<int>().Should().Be(1);
        root.Select(p => p.Key).Should().Equal("format", "version", "exportedAt", "models", "datasets", "benchmarks", "templates", "experiments", "experimentRuns", "abTests", "runs");
        root["runs"]!.AsArray().Should().HaveCount(3);
        root["runs"]![0]!["results"]!.AsArray().Should().HaveCount(ReportScenario.Cases);
        root["datasets"]![0]!["cases"]!.AsArray().Should().HaveCount(ReportScenario.Cases);
    }
}
