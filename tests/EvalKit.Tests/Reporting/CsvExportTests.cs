using System.Text;
using EvalKit.Reporting;
using EvalKit.Tests.Experiments;
using nietras.SeparatedValues;

namespace EvalKit.Tests.Reporting;

public sealed class CsvExportTests
{
    private static List<Dictionary<string, string>> Parse(string csv)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = false }).FromText(csv);
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                values[name] = row[name].ToString();
            }

            rows.Add(values);
        }

        return rows;
    }

    [Fact]
    public async Task Export_OneRowPerCaseResult_WithEveryColumnAndTheValuesAsStored()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var csv = Encoding.UTF8.GetString(await scenario.ExportAsync(ReportFormat.Csv));

        var header = csv[..csv.IndexOf("\r\n", StringComparison.Ordinal)].Split(',');
        header.Should().Equal([.. CsvReport.Columns.Take(14), "score.exact_match", "score.closeness", .. CsvReport.Columns.Skip(14)]);
        var rows = Parse(csv);
        rows.Should().HaveCount(3 * ReportScenario.Cases);
        var storage = scenario.Kit.Host.Storage;
        var index = 0;
        foreach (var variant in scenario.Experiment.Variants)
        {
            await foreach (var result in storage.Results.ReadAsync(variant.RunId, ExperimentKit.Ct))
            {
                var row = rows[index++];
                row["run_id"].Should().Be(variant.RunId);
                row["case_id"].Should().Be(result.CaseId);
                row["case_ordinal"].Should().Be(result.CaseOrdinal.ToString(ExperimentKit.Inv));
                row["output"].Should().Be(result.Output ?? string.Empty);
                row["cost"].Should().Be(result.Cost?.ToString(ExperimentKit.Inv) ?? string.Empty);
                row["score.exact_match"].Should().Be(result.GetScore("exact_match")?.Value?.ToString("R", ExperimentKit.Inv) ?? string.Empty);
                row["error_category"].Should().Be(result.Error?.Category.ToString() ?? string.Empty);
            }
        }

        rows.Single(r => r["run_label"] == ReportScenario.HostileLabel && r["case_id"] == "case-9")["output"].Should().Be("18 " + ReportScenario.HostileAnswer);
        var refused = rows.Single(r => r["model_id"] == ExperimentKit.C && r["case_id"] == "case-5");
        refused["passed"].Should().BeEmpty();
        refused["error_message"].Should().Be("refused: " + ReportScenario.ScriptInjection);
        var first = rows[0];
        first["input"].Should().Be("What is 0 + 0?");
        first["references"].Should().Be("[\"0\"]");
        first["group"].Should().Be(ReportScenario.HostileGroup);
        first["tags"].Should().Be("topic=even");
        first["passed"].Should().Be("false");
        rows[1]["passed"].Should().Be("true");
    }

    [Fact]
    public async Task Export_FollowsRfc4180_CrlfAndQuotedFields()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var csv = Encoding.UTF8.GetString(await scenario.ExportAsync(ReportFormat.Csv));

        csv.Should().EndWith("\r\n");
        csv.Replace("\r\n", string.Empty, StringComparison.Ordinal).Should().NotContain("\n").And.NotContain("\r", "every line break is CRLF, the one inside the answer too");
        csv.Should().Contain("\"18 </details><script>alert('answer')</script>\u0001\u001b[31m, \"\"quoted\"\"\r\nnext line | `tick` **bold**\"");
        csv.Should().Contain(",topic=odd & <odd>,", "a field without a comma, quote or line break is not quoted");
        csv.Should().Contain(",\"[\"\"2\"\"]\",", "quotes inside a field are doubled");
    }

    [Fact]
    public async Task Export_RunWithoutResults_IsTheHeaderRowAlone()
    {
        await using var kit = new ExperimentKit();
        await kit.BenchmarkAsync(cases: 3);
        var run = EvalKit.Storage.Specification.Tests.TestData.Run("pending", ExperimentKit.A, "arith@1") with { Status = EvalKit.Evaluation.RunStatus.Pending };
        await kit.Host.Storage.Runs.TryAddAsync(run, ExperimentKit.Ct);
        using var stream = new MemoryStream();

        await kit.Host.Experiments.ExportAsync(new ReportRequest { RunIds = ["pending"] }, ReportFormat.Csv, stream, ExperimentKit.Ct);

        var csv = Encoding.UTF8.GetString(stream.ToArray());
        csv.Should().StartWith("run_id,run_label,model_id,").And.EndWith(",completed_at\r\n").And.Contain("score.exact_match");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle();
    }

    [Fact]
    public async Task Render_OfTheReport_EqualsTheStreamingExport()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var streamed = Encoding.UTF8.GetString(await scenario.ExportAsync(ReportFormat.Csv));
        var rendered = CsvReport.Render(await scenario.ReportAsync());

        rendered.Should().Be(streamed);
    }
}
