using System.Text;
using EvalKit.Datasets;

namespace EvalKit.Tests.Datasets;

public sealed class DatasetLoaderTests : IDisposable
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-loaders-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content) => WriteBytes(name, Encoding.UTF8.GetBytes(content));

    private string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    // ---- JSONL with a mapping ----

    [Fact]
    public void LoadJsonl_RenamedFields_AreReadThroughTheMapping()
    {
        var path = Write("renamed.jsonl", """
            {"qid": "a", "question": "2+2?", "answer": "4", "answers": ["four"], "topic": "math", "extra": {"level": "easy"}}
            {"qid": "b", "conversation": [{"role": "user", "content": "Hi"}], "answer": "Hello"}
            """);
        var mapping = new DatasetFieldMapping
        {
            Id = "qid", Input = "question", Messages = "conversation", Reference = "answer", References = "answers", Group = "topic", Metadata = "extra",
        };

        var dataset = EvalKit.Datasets.Datasets.LoadJsonl(path, mapping);

        dataset.Cases[0].Should().Be(new EvalCase
        {
            Id = "a", Input = "2+2?", References = ["4", "four"], Group = "math",
            Metadata = new Dictionary<string, string> { ["level"] = "easy" },
        });
        dataset.Cases[1].Input.Messages.Should().Equal(new ChatTurn("user", "Hi"));
    }

    [Fact]
    public void LoadJsonl_MappedFieldMissing_NamesTheMappedField()
    {
        var path = Write("renamed.jsonl", "{\"id\": \"a\", \"input\": \"x\"}\n");

        var act = () => EvalKit.Datasets.Datasets.LoadJsonl(path, new DatasetFieldMapping { Input = "question" });

        act.Should().Throw<DatasetFormatException>().Where(e => e.Line == 1 && e.Field == "question" && e.Message.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadJsonlAsync_DuplicateId_NamesBothLines()
    {
        var path = Write("dup.jsonl", "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\", \"input\": \"x\"}\n\n{\"id\": \"a\", \"input\": \"y\"}\n");

        var act = async () => await EvalKit.Datasets.Datasets.ReadJsonlAsync(path, Ct).CountAsync(Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Line.Should().Be(4);
        error.Field.Should().Be("id");
        error.Message.Should().Contain("Duplicate case id 'a'").And.Contain("first at line 1");
    }

    [Theory]
    [InlineData(5_000, 1, 4_321)]
    [InlineData(50_000, 49_999, 17)]
    public async Task ReadJsonlAsync_DuplicateAmongManyIds_NamesBothLines(int count, int firstLine, int repeatedLine)
    {
        // Enough ids for the id table to grow several times before (or after) the repeat.
        var lines = Enumerable.Range(1, count).Select(i => $"{{\"id\": \"case-{i}\", \"input\": \"x\"}}").ToArray();
        lines[repeatedLine > firstLine ? repeatedLine - 1 : firstLine - 1] = $"{{\"id\": \"case-{Math.Min(firstLine, repeatedLine)}\", \"input\": \"y\"}}";
        var path = Write("many.jsonl", string.Join('\n', lines));

        var act = async () => await EvalKit.Datasets.Datasets.ReadJsonlAsync(path, Ct).CountAsync(Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Line.Should().Be(Math.Max(firstLine, repeatedLine));
        error.Message.Should().Contain($"Duplicate case id 'case-{Math.Min(firstLine, repeatedLine)}'").And.Contain($"first at line {Math.Min(firstLine, repeatedLine)}");
    }

    [Fact]
    public async Task ReadJsonlAsync_ManyDistinctIds_AreAllRead()
    {
        var path = Write("distinct.jsonl", string.Join('\n', Enumerable.Range(0, 100_000).Select(i => $"{{\"id\": \"{i}\", \"input\": \"x\"}}")));

        (await EvalKit.Datasets.Datasets.ReadJsonlAsync(path, Ct).CountAsync(Ct)).Should().Be(100_000);
    }

    [Fact]
    public void LoadJsonl_MappingWithEmptyName_IsRejected()
    {
        var path = Write("ok.jsonl", "{\"input\": \"x\"}\n");

        var act = () => EvalKit.Datasets.Datasets.LoadJsonl(path, new DatasetFieldMapping { Input = " " });

        act.Should().Throw<ArgumentException>().WithMessage("*Input*");
    }

    // ---- JSON array ----

    [Fact]
    public void LoadJson_ReadsTextChatReferencesGroupsMetadataAndBom()
    {
        var path = WriteBytes("qa.json", Join(Bom, Encoding.UTF8.GetBytes("""
            [
              {"id": "q1", "input": "2+2?", "reference": "4", "group": "arith", "metadata": {"level": "easy", "points": 3}},
              {"input": "Capital of France?", "references": ["Paris", "paris"]},
              {
                "id": 7,
                "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}]
              }
            ]
            """)));

        var dataset = EvalKit.Datasets.Datasets.LoadJson(path);

        dataset.Name.Should().Be("qa");
        dataset.Cases.Should().HaveCount(3);
        dataset.Cases[0].Should().Be(new EvalCase
        {
            Id = "q1", Input = "2+2?", References = ["4"], Group = "arith",
            Metadata = new Dictionary<string, string> { ["level"] = "easy", ["points"] = "3" },
        });
        dataset.Cases[1].Id.Should().Be("2", "the id defaults to the element's position");
        dataset.Cases[1].References.Should().Equal("Paris", "paris");
        dataset.Cases[2].Id.Should().Be("7");
        dataset.Cases[2].Input.Messages.Should().Equal(new ChatTurn("system", "Be terse."), new ChatTurn("user", "Hi"));
    }

    [Fact]
    public void LoadJson_RenamedFields_AreReadThroughTheMapping()
    {
        var path = Write("renamed.json", """[{"key": "k1", "prompt": "p", "gold": "g"}]""");

        var dataset = EvalKit.Datasets.Datasets.LoadJson(path, new DatasetFieldMapping { Id = "key", Input = "prompt", Reference = "gold" });

        dataset.Cases.Should().ContainSingle().Which.Should().Be(new EvalCase { Id = "k1", Input = "p", References = ["g"] });
    }

    [Theory]
    [InlineData("[\n {\"id\": \"a\", \"input\": \"x\"},\n {\"id\": \"b\"}\n]", 3, "input", "Array element 2")]
    [InlineData("[\n {\"id\": \"a\", \"input\": \"x\"},\n\n {\"id\": \"b\",\n  \"input\": \"y\", \"references\": [\"ok\", 1.5, {}]}]", 4, "references[2]", "Array element 2")]
    [InlineData("[{\"id\": \"a\", \"input\": \"x\"},\n 42]", 2, null, "Expected a JSON object")]
    [InlineData("[{\"id\": \"a\", \"input\": \"x\"},\n {\"id\": \"a\", \"input\": \"y\"}]", 2, "id", "Duplicate case id 'a' (array element 2)")]
    [InlineData("{\"id\": \"a\", \"input\": \"x\"}", 1, null, "Expected a JSON array")]
    [InlineData("[{\"id\": \"a\", \"input\": \"x\"},\n {\"id\": \"b\", \"input\": }]", 2, null, "not valid JSON")]
    [InlineData("[{\"id\": \"a\", \"input\": \"x\"},\n {\"id\": \"b\", \"input\": \"y\"}", 2, null, "JSON")]
    [InlineData("[{\"id\": \"a\", \"input\": \"x\"}]\n[]", 2, null, "JSON")]
    public void LoadJson_Malformed_NamesFileLineAndField(string content, long line, string? field, string problem)
    {
        var path = Write("bad.json", content);

        var act = () => EvalKit.Datasets.Datasets.LoadJson(path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.Source.Should().Be(path);
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(problem).And.Contain(path).And.Contain($"line {line}");
    }

    [Fact]
    public void LoadJson_InvalidUtf8_NamesTheLine()
    {
        var path = WriteBytes("latin.json", Join(
            Encoding.UTF8.GetBytes("[\n{\"id\": \"a\", \"input\": \"ok\"},\n{\"id\": \"b\",\n \"input\": \""), [0xC3, 0x28], Encoding.UTF8.GetBytes("\"}\n]")));

        var act = () => EvalKit.Datasets.Datasets.LoadJson(path);

        act.Should().Throw<DatasetFormatException>().Which.Line.Should().Be(4);
    }

    [Fact]
    public async Task ReadJsonAsync_ElementsLargerThanTheBuffer_AreReadWithTheirLines()
    {
        var big = new string('x', 200_000);
        var path = Write("big.json", $"[\n{{\"id\": \"a\", \"input\": \"{big}\"}},\n{{\"id\": \"b\", \"input\": \"{big}\"}},\n{{\"id\": \"c\", \"input\": 5, \"group\": []}}\n]");

        var cases = new List<string>();
        var act = async () =>
        {
            await foreach (var item in EvalKit.Datasets.Datasets.ReadJsonAsync(path, cancellationToken: Ct))
            {
                cases.Add(item.Id);
                item.Input.Text.Should().HaveLength(big.Length);
            }
        };

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        cases.Should().Equal("a", "b");
        error.Line.Should().Be(4);
        error.Field.Should().Be("group");
    }

    [Fact]
    public async Task ReadJsonAsync_StreamsTheSameCasesAsLoadJson()
    {
        var path = Write("many.json", "[" + string.Join(",\n", Enumerable.Range(0, 500).Select(i => $"{{\"id\": \"c{i}\", \"input\": \"q{i}\", \"reference\": \"a{i}\"}}")) + "]");

        var streamed = await EvalKit.Datasets.Datasets.ReadJsonAsync(path, cancellationToken: Ct).ToListAsync(Ct);

        streamed.Should().HaveCount(500).And.Equal(EvalKit.Datasets.Datasets.LoadJson(path).Cases);
    }

    [Fact]
    public void LoadJson_EmptyArray_HasNoCases()
    {
        var path = Write("empty.json", " [ ] ");

        FluentActions.Invoking(() => EvalKit.Datasets.Datasets.LoadJson(path)).Should().Throw<DatasetFormatException>().WithMessage("*no cases*");
    }

    // ---- CSV ----

    [Fact]
    public void LoadCsv_ReadsReferencesGroupsMetadataAndQuotedFields()
    {
        var path = WriteBytes("qa.csv", Join(Bom, Encoding.UTF8.GetBytes(
            "id,input,reference,reference_3,reference_2,references,group,level,source\r\n" +
            "q1,\"Add 2, then 2\",4,,four,IV|4.0,arith,easy,book\r\n" +
            ",\"Say \"\"hi\"\"\nand wave\",,,,,,hard,\r\n" +
            "q3,x,a,c,b,d||e,,,web\r\n")));

        var dataset = EvalKit.Datasets.Datasets.LoadCsv(path);

        dataset.Name.Should().Be("qa");
        dataset.Cases.Should().HaveCount(3);
        dataset.Cases[0].Should().Be(new EvalCase
        {
            Id = "q1", Input = "Add 2, then 2", References = ["4", "four", "IV", "4.0"], Group = "arith",
            Metadata = new Dictionary<string, string> { ["level"] = "easy", ["source"] = "book" },
        });
        dataset.Cases[1].Id.Should().Be("3", "an empty id defaults to the line the row starts on");
        dataset.Cases[1].Input.Text.Should().Be("Say \"hi\"\nand wave");
        dataset.Cases[1].References.Should().BeEmpty();
        dataset.Cases[1].Group.Should().BeNull();
        dataset.Cases[2].Id.Should().Be("q3");
        dataset.Cases[2].References.Should().Equal("a", "b", "c", "d", "e");
    }

    [Fact]
    public void LoadCsv_MessagesColumn_HoldsJsonTurns()
    {
        var path = Write("chat.csv", "id,messages,reference\nc1,\"[{\"\"role\"\": \"\"user\"\", \"\"content\"\": \"\"Hi, you\"\"}]\",Hello\n");

        var dataset = EvalKit.Datasets.Datasets.LoadCsv(path);

        dataset.Cases.Should().ContainSingle().Which.Input.Messages.Should().Equal(new ChatTurn("user", "Hi, you"));
    }

    [Fact]
    public void LoadCsv_RenamedColumnsAndListedMetadata_AreReadThroughTheMapping()
    {
        var path = Write("renamed.csv", "key;question;answer;answers;topic;difficulty;notes\nk1;What?;That;A/B;t;2;ignore me\n");
        var mapping = new DatasetFieldMapping
        {
            Id = "key", Input = "question", Reference = "answer", References = "answers", Group = "topic",
            MetadataColumns = ["difficulty"], ReferenceSeparator = "/", CsvDelimiter = ';',
        };

        var dataset = EvalKit.Datasets.Datasets.LoadCsv(path, mapping, name: "renamed", version: "2");

        dataset.Version.Should().Be("2");
        dataset.Cases.Should().ContainSingle().Which.Should().Be(new EvalCase
        {
            Id = "k1", Input = "What?", References = ["That", "A", "B"], Group = "t",
            Metadata = new Dictionary<string, string> { ["difficulty"] = "2" },
        });
    }

    [Theory]
    [InlineData("id,question\na,x\n", 1, "input", "no 'input'")]
    [InlineData("", 1, null, "header row")]
    [InlineData("id,input\na,x\nb,\n", 3, "input", "input cell is empty")]
    [InlineData("id,input\na,x\nb,y,z\n", 3, null, "not valid CSV")]
    [InlineData("id,input\na,x\n\"b,y\n", 3, null, "not valid CSV")]
    [InlineData("id,input\na,\"x\ny\"\na,z\n", 4, "id", "Duplicate case id 'a' (first at line 2)")]
    [InlineData("id,messages\na,[{role}]\n", 2, "messages", "not valid JSON")]
    [InlineData("id,messages\na,\"[{\"\"role\"\": \"\"bot\"\", \"\"content\"\": \"\"x\"\"}]\"\n", 2, "messages[0].role", "Unknown role")]
    public void LoadCsv_Malformed_NamesFileLineAndColumn(string content, long line, string? field, string problem)
    {
        var path = Write("bad.csv", content);

        var act = () => EvalKit.Datasets.Datasets.LoadCsv(path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.Source.Should().Be(path);
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(problem).And.Contain(path).And.Contain($"line {line}");
    }

    [Fact]
    public void LoadCsv_ListedMetadataColumnMissing_NamesIt()
    {
        var path = Write("meta.csv", "id,input\na,x\n");

        var act = () => EvalKit.Datasets.Datasets.LoadCsv(path, new DatasetFieldMapping { MetadataColumns = ["level"] });

        act.Should().Throw<DatasetFormatException>().Where(e => e.Line == 1 && e.Field == "level");
    }

    [Fact]
    public async Task ReadCsvAsync_InvalidUtf8_NamesTheLine()
    {
        var path = WriteBytes("latin.csv", Join(Encoding.UTF8.GetBytes("id,input\na,ok\nb,\"multi\nline\"\nc,caf"), [0xE9], Encoding.UTF8.GetBytes("\nd,ok\n")));

        var act = async () => await EvalKit.Datasets.Datasets.ReadCsvAsync(path, cancellationToken: Ct).CountAsync(Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Line.Should().Be(5);
        error.Message.Should().Contain("UTF-8").And.Contain(path);
    }

    [Fact]
    public async Task ReadCsvAsync_StreamsTheSameCasesAsLoadCsv()
    {
        var path = Write("many.csv", "id,input,reference\n" + string.Join('\n', Enumerable.Range(0, 500).Select(i => $"c{i},\"q, {i}\",a{i}")));

        var streamed = await EvalKit.Datasets.Datasets.ReadCsvAsync(path, cancellationToken: Ct).ToListAsync(Ct);

        streamed.Should().HaveCount(500).And.Equal(EvalKit.Datasets.Datasets.LoadCsv(path).Cases);
    }

    // ---- any format, streaming ----

    [Fact]
    public void Load_FormatFromExtension_PicksTheLoader()
    {
        var csv = Write("a.csv", "input\nx\n");
        var json = Write("b.json", "[{\"input\": \"x\"}]");
        var jsonl = Write("c.jsonl", "{\"input\": \"x\"}\n");

        EvalKit.Datasets.Datasets.Load(csv).Cases.Should().ContainSingle().Which.Id.Should().Be("2");
        EvalKit.Datasets.Datasets.Load(json).Cases.Should().ContainSingle().Which.Id.Should().Be("1");
        EvalKit.Datasets.Datasets.Load(jsonl).Cases.Should().ContainSingle().Which.Id.Should().Be("1");
        FluentActions.Invoking(() => EvalKit.Datasets.Datasets.Load(Write("d.txt", "x"))).Should().Throw<ArgumentException>().WithMessage("*jsonl, json or csv*");
    }

    [Fact]
    public async Task ReadJsonlAsync_200000Lines_StreamsWithoutMaterializing()
    {
        const int Count = 200_000;
        var path = Path.Combine(_folder, "big.jsonl");
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            for (var i = 0; i < Count; i++)
            {
                await writer.WriteLineAsync($"{{\"id\": \"c{i}\", \"input\": \"question {i}\", \"reference\": \"{i}\"}}".AsMemory(), Ct);
            }
        }

        var seen = 0L;
        await foreach (var item in EvalKit.Datasets.Datasets.ReadJsonlAsync(path, Ct))
        {
            seen++;
        }

        seen.Should().Be(Count);
    }

    [Fact]
    public async Task ReadCsvAsync_200000Lines_StreamsWithoutMaterializing()
    {
        const int Count = 200_000;
        var path = Path.Combine(_folder, "big.csv");
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("id,input,reference,level".AsMemory(), Ct);
            for (var i = 0; i < Count; i++)
            {
                await writer.WriteLineAsync($"c{i},\"question, {i}\",{i},easy".AsMemory(), Ct);
            }
        }

        var seen = 0L;
        string? last = null;
        await foreach (var item in EvalKit.Datasets.Datasets.ReadCsvAsync(path, cancellationToken: Ct))
        {
            seen++;
            last = item.Id;
        }

        seen.Should().Be(Count);
        last.Should().Be($"c{Count - 1}");
    }

    [Fact]
    public async Task ReadJsonAsync_200000Elements_StreamsWithoutMaterializing()
    {
        const int Count = 200_000;
        var path = Path.Combine(_folder, "big.json");
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("[".AsMemory(), Ct);
            for (var i = 0; i < Count; i++)
            {
                await writer.WriteLineAsync($"{{\"id\": \"c{i}\", \"input\": \"question {i}\"}}{(i < Count - 1 ? "," : "")}".AsMemory(), Ct);
            }

            await writer.WriteLineAsync("]".AsMemory(), Ct);
        }

        var seen = 0L;
        await foreach (var item in EvalKit.Datasets.Datasets.ReadJsonAsync(path, cancellationToken: Ct))
        {
            seen++;
        }

        seen.Should().Be(Count);
    }
}
