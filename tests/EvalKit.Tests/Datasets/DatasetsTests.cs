using System.Text;
using EvalKit.Datasets;

namespace EvalKit.Tests.Datasets;

public sealed class DatasetsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-datasets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content) => WriteBytes(name, Encoding.UTF8.GetBytes(content));

    private string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void LoadJsonl_ReadsTextChatReferencesGroupsAndMetadata()
    {
        var path = Write("qa.jsonl", """
            {"id": "q1", "input": "2+2?", "reference": "4", "group": "arith", "metadata": {"level": "easy", "points": 3}}

            {"input": "Capital of France?", "references": ["Paris", "paris"]}
            {"id": 7, "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}], "reference": 42}
            """);

        var dataset = EvalKit.Datasets.Datasets.LoadJsonl(path);

        dataset.Name.Should().Be("qa");
        dataset.Cases.Should().HaveCount(3);
        dataset.Cases[0].Should().Be(new EvalCase
        {
            Id = "q1", Input = "2+2?", References = ["4"], Group = "arith",
            Metadata = new Dictionary<string, string> { ["level"] = "easy", ["points"] = "3" },
        });
        dataset.Cases[1].Id.Should().Be("3", "the id defaults to the line number");
        dataset.Cases[1].References.Should().Equal("Paris", "paris");
        dataset.Cases[2].Id.Should().Be("7");
        dataset.Cases[2].Input.Messages.Should().Equal(new ChatTurn("system", "Be terse."), new ChatTurn("user", "Hi"));
        dataset.Cases[2].References.Should().Equal("42");
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\", \"input\": }", 2, null, "not valid JSON")]
    [InlineData("{\"id\": \"a\"}", 1, "input", "missing")]
    [InlineData("{\"id\": \"a\", \"input\": [1]}", 1, "input", "Expected a string")]
    [InlineData("{\"id\": \"a\", \"input\": \"x\", \"references\": [\"ok\", {\"no\": 1}]}", 1, "references[1]", "Expected a string")]
    [InlineData("{\"id\": \"a\", \"input\": \"x\", \"metadata\": {\"deep\": {\"x\": 1}}}", 1, "metadata.deep", "Expected a string")]
    [InlineData("{\"id\": \"a\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}", 1, "messages[0].role", "Unknown role")]
    [InlineData("{\"id\": \"a\", \"messages\": []}", 1, "messages", "non-empty")]
    [InlineData("[1, 2]", 1, null, "Expected a JSON object")]
    public void LoadJsonl_MalformedLine_NamesFileLineAndField(string content, long line, string? field, string problem)
    {
        var path = Write("bad.jsonl", content);

        var act = () => EvalKit.Datasets.Datasets.LoadJsonl(path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.Source.Should().Be(path);
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(problem).And.Contain(path).And.Contain($"line {line}");
    }

    [Fact]
    public void LoadJsonl_InvalidUtf8_NamesTheLine()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"id\": \"a\", \"input\": \"ok\"}\n{\"id\": \"b\", \"input\": \"").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray();
        var path = WriteBytes("latin.jsonl", bytes);

        var act = () => EvalKit.Datasets.Datasets.LoadJsonl(path);

        act.Should().Throw<DatasetFormatException>().Which.Line.Should().Be(2);
    }

    [Fact]
    public void LoadJsonl_DuplicateIdOrNoCases_Throws()
    {
        var duplicate = Write("dup.jsonl", "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"a\", \"input\": \"y\"}\n");
        var empty = Write("empty.jsonl", "\n\n");

        FluentActions.Invoking(() => EvalKit.Datasets.Datasets.LoadJsonl(duplicate)).Should().Throw<DatasetFormatException>()
            .Where(e => e.Field == "id" && e.Message.Contains("Duplicate case id 'a'", StringComparison.Ordinal));
        FluentActions.Invoking(() => EvalKit.Datasets.Datasets.LoadJsonl(empty)).Should().Throw<DatasetFormatException>().WithMessage("*no cases*");
    }

    [Fact]
    public async Task ReadJsonlAsync_StreamsTheSameCasesAsLoadJsonl()
    {
        var path = Write("many.jsonl", string.Join('\n', Enumerable.Range(0, 100).Select(i => $"{{\"id\": \"c{i}\", \"input\": \"q{i}\", \"reference\": \"a{i}\"}}")));

        var streamed = await EvalKit.Datasets.Datasets.ReadJsonlAsync(path, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        streamed.Should().Equal(EvalKit.Datasets.Datasets.LoadJsonl(path).Cases);
    }

    [Fact]
    public async Task ReadJsonlAsync_BadLineMidway_ThrowsWithItsLine()
    {
        var path = Write("mid.jsonl", "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\", \"input\": \"y\"}\n{oops}\n");

        var act = async () => await EvalKit.Datasets.Datasets.ReadJsonlAsync(path, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Line.Should().Be(3);
    }
}
