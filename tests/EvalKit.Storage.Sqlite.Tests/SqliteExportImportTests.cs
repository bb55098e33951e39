using System.Globalization;
using System.Text.Json.Nodes;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;
using EvalKit.Reporting;
using EvalKit.Scoring;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>A JSON export of an in-memory store imported into SQLite, and exported again from the file.</summary>
public sealed class SqliteExportImportTests : IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ExportFromMemory_ImportIntoSqlite_RoundTripsEverything_SummariesWithNaNIncluded()
    {
        var clients = new ModelClientMap()
            .Add("local/a", FakeChatClient.Answering(p => p.Contains("3 + 3", StringComparison.Ordinal) ? "7" : Sum(p), 10, 2))
            .Add("local/b", FakeChatClient.Answering(Sum, 12, 3));
        var broken = new DelegateScorer("broken", (Func<ScoringContext, double>)(_ => throw new InvalidOperationException("the scorer is broken")));
        await using var source = EvalKitHost.Create(clients: clients, scorers: [broken]);
        var info = await source.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(12, groups: 3)), Ct);
        await source.Datasets.SaveBenchmarkAsync(new Benchmark { Id = "arith", DatasetId = info.Id, Scorers = ["exact_match", "broken"], PrimaryMetric = "exact_match" }, Ct);
        foreach (var id in new[] { "local/a", "local/b" })
        {
            await source.Registry.RegisterAsync(new ModelDescriptor { Id = id, Pricing = new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 } }, Ct);
        }

        await source.Experiments.SaveTemplateAsync("t", new ExperimentDefinition { Name = "t", BenchmarkIds = ["arith"], ModelIds = ["local/a"] }, Ct);
        var experiment = await source.Experiments.CreateFromTemplateAsync("t", d => d with { ModelIds = ["local/a", "local/b"] }, Ct);
        await source.Experiments.ExecuteAsync(experiment.Id, cancellationToken: Ct);
        var request = new ReportRequest { ExperimentId = experiment.Id };
        using var exported = new MemoryStream();
        await source.Experiments.ExportAsync(request, ReportFormat.Json, exported, Ct);

        await using (var target = EvalKitHost.Create(storage: _db.Open()))
        {
            using var input = new MemoryStream(exported.ToArray());
            var summary = await target.Experiments.ImportAsync(input, Ct);
            summary.Runs.Added.Should().Be(2);
            summary.Results.Should().Be(24);
            summary.Templates.Added.Should().Be(1);
        }

        await using var reopened = EvalKitHost.Create(storage: _db.Open());
        foreach (var variant in experiment.Variants)
        {
            var run = (await source.Storage.Runs.GetAsync(variant.RunId, Ct))!;
            var copy = (await reopened.Storage.Runs.GetAsync(variant.RunId, Ct))!;
            copy.Should().Be(run);
            copy.Summary.Should().BeEquivalentTo(run.Summary);
            copy.Summary!.Metrics["broken"].Mean.Should().Be(double.NaN);
            (await reopened.Storage.Results.ReadAsync(variant.RunId, Ct).ToListAsync(Ct)).Should().Equal(await source.Storage.Results.ReadAsync(variant.RunId, Ct).ToListAsync(Ct));
        }

        (await reopened.Experiments.GetAsync(experiment.Id, Ct)).Should().Be(await source.Experiments.GetAsync(experiment.Id, Ct));
        (await reopened.Experiments.GetTemplateAsync("t", Ct)).Should().Be(await source.Experiments.GetTemplateAsync("t", Ct));
        using var again = new MemoryStream();
        await reopened.Experiments.ExportAsync(request, ReportFormat.Json, again, Ct);
        var first = JsonNode.Parse(exported.ToArray())!.AsObject();
        var second = JsonNode.Parse(again.ToArray())!.AsObject();
        first.Remove("exportedAt");
        second.Remove("exportedAt");
        second.ToJsonString().Should().Be(first.ToJsonString());
        (await reopened.Experiments.CompareRunsAsync([.. experiment.Variants.Select(v => v.RunId)], cancellationToken: Ct)).Flips[0].FailToPass.Should().ContainSingle().Which.CaseId.Should().Be("case-3");
    }

    private static string Sum(string prompt)
    {
        var i = int.Parse(prompt.Split(' ')[2], CultureInfo.InvariantCulture);
        return (2 * i).ToString(CultureInfo.InvariantCulture);
    }
}
