using System.Text;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Storage;

namespace EvalKit.Tests.Datasets;

public sealed class BenchmarkSuiteFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-suites-").FullName;
    private readonly InMemoryEvalKitStorage _storage = new();
    private readonly DatasetStore _store;

    public BenchmarkSuiteFileTests() => _store = new DatasetStore(_storage, TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private const string Csv = "question,answer,level\n\"2+2, please\",4,easy\n3+3,6,hard\n";

    [Fact]
    public async Task Load_FullSuite_ImportsTheDatasetAndSavesTheBenchmark()
    {
        Write("data/arith.csv", Csv);
        var path = Write("suite.json", """
            {
              // A comment is allowed.
              "$schema": "https://example.invalid/suite.schema.json",
              "id": "arith", "name": "Arithmetic", "version": 2,
              "dataset": {"path": "data/arith.csv", "name": "arith-data", "version": "3", "description": "sums",
                          "mapping": {"input": "question", "reference": "answer", "metadataColumns": ["level"]}},
              "promptTemplate": "Q: {{input}}", "systemPrompt": "Answer with a number.",
              "fewShot": [{"input": "1+1", "output": "2"}, {"input": "5+5", "output": "10"}],
              "scorers": ["exact-match", "contains"], "primaryMetric": "exact-match",
              "defaultOptions": {"maxConcurrency": 4, "temperature": 0, "timeout": "00:00:30"},
            }
            """);

        var suite = BenchmarkSuiteFile.Load(path);
        var imported = await suite.ImportAsync(_store, Ct);

        suite.Dataset!.Format.Should().Be(DatasetFileFormat.Csv);
        suite.Dataset.Path.Should().Be(Path.Combine(_folder, "data", "arith.csv"));
        suite.Benchmark.Should().Be(new Benchmark
        {
            Id = "arith", Name = "Arithmetic", Version = "2", DatasetId = "arith-data@3",
            PromptTemplate = "Q: {{input}}", SystemPrompt = "Answer with a number.",
            FewShot = [new FewShotExample("1+1", "2"), new FewShotExample("5+5", "10")],
            Scorers = ["exact-match", "contains"], PrimaryMetric = "exact-match",
            DefaultOptions = new EvaluationOptions { MaxConcurrency = 4, Temperature = 0, Timeout = TimeSpan.FromSeconds(30) },
        });
        imported.Dataset!.Id.Should().Be("arith-data@3");
        imported.Dataset.CaseCount.Should().Be(2);
        imported.Dataset.Description.Should().Be("sums");
        (await _store.GetBenchmarkAsync("arith", Ct)).Should().Be(suite.Benchmark);
        var cases = await _store.ReadCasesAsync("arith-data@3", Ct).ToListAsync(Ct);
        cases[0].Should().Be(new EvalCase
        {
            Id = "2", Input = "2+2, please", References = ["4"], Metadata = new Dictionary<string, string> { ["level"] = "easy" },
        });
    }

    [Fact]
    public async Task Load_DatasetIdAndDefaults_SavesAgainstTheStoredDataset()
    {
        await _store.ImportAsync(new Dataset("qa", "1", [new EvalCase { Id = "a", Input = "x" }]), Ct);
        var path = Write("suite.json", """{"id": "qa-suite", "datasetId": "qa@1"}""");

        var suite = BenchmarkSuiteFile.Load(path);
        var imported = await suite.ImportAsync(_store, Ct);

        suite.Dataset.Should().BeNull();
        imported.Benchmark.Should().Be(new Benchmark { Id = "qa-suite", DatasetId = "qa@1" });
        imported.Dataset!.Id.Should().Be("qa@1");
    }

    [Fact]
    public async Task ImportAsync_FormatFromExtensionAndJsonlDataset_Works()
    {
        Write("qa.jsonl", "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\", \"input\": \"y\"}\n");
        var path = Write("suite.json", """{"id": "s", "dataset": {"path": "qa.jsonl"}, "scorers": ["exact-match"]}""");

        var imported = await (await BenchmarkSuiteFile.LoadAsync(path, Ct)).ImportAsync(_store, Ct);

        imported.Dataset!.Id.Should().Be("qa@1");
        imported.Dataset.CaseCount.Should().Be(2);
    }

    [Fact]
    public async Task ImportAsync_MalformedDataset_WritesNothing()
    {
        Write("qa.jsonl", "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\"}\n");
        var path = Write("suite.json", """{"id": "s", "dataset": {"path": "qa.jsonl"}}""");
        var suite = BenchmarkSuiteFile.Load(path);

        var act = async () => await suite.ImportAsync(_store, Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Line.Should().Be(2);
        error.Field.Should().Be("input");
        (await _store.ListAsync(Ct).CountAsync(Ct)).Should().Be(0);
        (await _store.GetBenchmarkAsync("s", Ct)).Should().BeNull();
    }

    [Theory]
    [InlineData("{\"id\": \"s\",\n \"datasetId\": \"d\",\n \"colour\": \"red\"}", 3, "colour", "Unknown property 'colour'")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"scorers\": \"exact\"}", 2, "scorers", "Expected an array of strings")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"scorers\": [\"a\", 3]}", 2, "scorers[1]", "Expected a string")]
    [InlineData("{\"id\": 5, \"datasetId\": \"d\"}", 1, "id", "Expected a string")]
    [InlineData("{\"datasetId\": \"d\"}", 1, "id", "missing")]
    [InlineData("{\"id\": \"s\"}", 1, "dataset", "names no dataset")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"fewShot\": [{\"input\": \"a\", \"output\": \"b\"},\n {\"input\": \"c\"}]}", 3, "fewShot[1].output", "missing")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"fewShot\": [{\"input\": \"a\", \"output\": \"b\", \"why\": \"x\"}]}", 2, "fewShot[0].why", "Unknown property")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"defaultOptions\": {\"maxConcurrency\": \"many\"}}", 2, "defaultOptions.maxConcurrency", "Invalid default options")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"defaultOptions\": {\"speed\": 3}}", 2, "defaultOptions.speed", "speed")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\",\n \"defaultOptions\": {\"maxConcurrency\": 0}}", 2, "defaultOptions.maxConcurrency", "MaxConcurrency")]
    [InlineData("{\"id\": \"s\",\n \"dataset\": {\"path\": \"missing.jsonl\"}}", 2, "dataset.path", "missing.jsonl' does not exist")]
    [InlineData("{\"id\": \"s\",\n \"dataset\": {\"path\": \"qa.jsonl\", \"format\": \"xml\"}}", 2, "dataset.format", "Unknown format 'xml'")]
    [InlineData("{\"id\": \"s\",\n \"dataset\": {\"path\": \"qa.jsonl\",\n \"mapping\": {\"input\": \"q\", \"answer\": \"a\"}}}", 3, "dataset.mapping.answer", "Unknown property 'answer'")]
    [InlineData("{\"id\": \"s\",\n \"dataset\": {\"path\": \"qa.jsonl\", \"mapping\": {\"input\": 1}}}", 2, "dataset.mapping.input", "Expected a string")]
    [InlineData("{\"id\": \"s\",\n \"dataset\": {\"path\": \"qa.jsonl\", \"rows\": 3}}", 2, "dataset.rows", "Unknown property")]
    [InlineData("{\"id\": \"s\", \"datasetId\": \"d\", \"dataset\": {\"path\": \"qa.jsonl\"}}", 1, "dataset", "not both")]
    [InlineData("{\"id\": \"s\", \"id\": \"t\", \"datasetId\": \"d\"}", 1, "id", "given twice")]
    [InlineData("{\"id\": \"s\",\n \"datasetId\": }", 2, null, "not valid JSON")]
    [InlineData("[1]", 1, null, "Expected an object")]
    public void Load_Malformed_NamesFileLineAndProperty(string content, long line, string? field, string problem)
    {
        Write("qa.jsonl", "{\"input\": \"x\"}\n");
        var path = Write("suite.json", content);

        var act = () => BenchmarkSuiteFile.Load(path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.Source.Should().Be(path);
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(problem).And.Contain(path);
    }

    [Fact]
    public void Load_Stream_ResolvesTheDatasetAgainstTheBaseDirectory()
    {
        Write("sub/qa.json", "[{\"input\": \"x\"}]");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"id": "s", "dataset": {"path": "qa.json", "version": "7"}}"""));

        var suite = BenchmarkSuiteFile.Load(stream, Path.Combine(_folder, "sub"), "inline");

        suite.Dataset!.Format.Should().Be(DatasetFileFormat.Json);
        suite.Benchmark.DatasetId.Should().Be("qa@7");
        suite.Source.Should().Be("inline");
    }
}
