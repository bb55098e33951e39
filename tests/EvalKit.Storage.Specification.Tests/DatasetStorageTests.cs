using EvalKit.Datasets;

namespace EvalKit.Storage.Specification.Tests;

public abstract class DatasetStorageTests : StorageTestBase
{
    [Fact]
    public virtual async Task Create_StoresHeaderAndCasesInOrder()
    {
        var cases = TestData.Cases(25, groups: 4).ToList();

        var info = await Storage.Datasets.CreateAsync(TestData.Import("arith", cases), Ct);

        info.Id.Should().Be("arith@1");
        info.CaseCount.Should().Be(25);
        info.ContentHash.Should().MatchRegex("^[0-9a-f]{64}$");
        (await Storage.Datasets.GetAsync("arith@1", Ct)).Should().Be(info);
        var stored = await ToListAsync(Storage.Datasets.ReadCasesAsync("arith@1", 0, Ct));
        stored.Select(s => s.Ordinal).Should().Equal(Enumerable.Range(0, 25).Select(i => (long)i));
        stored.Select(s => s.Case).Should().Equal(cases);
    }

    [Fact]
    public virtual async Task ReadCases_FromOrdinal_SkipsEarlierCases()
    {
        await Storage.Datasets.CreateAsync(TestData.Import("arith", TestData.Cases(10)), Ct);

        var tail = await ToListAsync(Storage.Datasets.ReadCasesAsync("arith@1", 7, Ct));

        tail.Select(s => s.Case.Id).Should().Equal("case-7", "case-8", "case-9");
    }

    [Fact]
    public virtual async Task Create_SameContentTwice_GivesTheSameHash()
    {
        var a = await Storage.Datasets.CreateAsync(TestData.Import("a", TestData.Cases(5)), Ct);
        var b = await Storage.Datasets.CreateAsync(TestData.Import("b", TestData.Cases(5)), Ct);
        var c = await Storage.Datasets.CreateAsync(TestData.Import("c", TestData.Cases(6)), Ct);

        a.ContentHash.Should().Be(b.ContentHash);
        c.ContentHash.Should().NotBe(a.ContentHash);
    }

    [Fact]
    public virtual async Task Create_DuplicateCaseId_ThrowsAndWritesNothing()
    {
        var cases = TestData.Cases(5).Append(TestData.Case(2));

        var act = async () => await Storage.Datasets.CreateAsync(TestData.Import("dup", cases), Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Field.Should().Be("id");
        (await Storage.Datasets.GetAsync("dup@1", Ct)).Should().BeNull();
        (await ToListAsync(Storage.Datasets.ReadCasesAsync("dup@1", 0, Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Create_NoCases_ThrowsAndWritesNothing()
    {
        var act = async () => await Storage.Datasets.CreateAsync(TestData.Import("empty", []), Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Message.Should().Contain("no cases");
        (await ToListAsync(Storage.Datasets.ListAsync(Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Create_SourceThrowsMidway_WritesNothing()
    {
        static async IAsyncEnumerable<EvalCase> Broken()
        {
            yield return TestData.Case(0);
            yield return TestData.Case(1);
            await Task.Yield();
            throw new DatasetFormatException("bad line", "broken.jsonl", 3, "input");
        }

        var import = new DatasetImport("broken", "1", Broken(), TestData.Epoch);
        var act = async () => await Storage.Datasets.CreateAsync(import, Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Line.Should().Be(3);
        (await Storage.Datasets.GetAsync("broken@1", Ct)).Should().BeNull();
        (await ToListAsync(Storage.Datasets.ReadCasesAsync("broken@1", 0, Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Create_ExistingId_Throws()
    {
        await Storage.Datasets.CreateAsync(TestData.Import("once", TestData.Cases(2)), Ct);

        var act = async () => await Storage.Datasets.CreateAsync(TestData.Import("once", TestData.Cases(3)), Ct);

        await act.Should().ThrowAsync<EvalKitException>().WithMessage("*once@1*immutable*");
        (await Storage.Datasets.GetAsync("once@1", Ct))!.CaseCount.Should().Be(2);
    }

    [Fact]
    public virtual async Task ChatCasesAndOddText_RoundTripVerbatim()
    {
        var odd = "it's \"quoted\"; DROP TABLE evaluation_cases; -- \0 🧪 \u202Eabc " + new string('x', 100_000);
        var chat = new EvalCase
        {
            Id = odd[..40],
            Input = CaseInput.FromMessages([new ChatTurn("system", "Be terse."), new ChatTurn("user", odd), new ChatTurn("assistant", "ok"), new ChatTurn("user", "again")]),
            References = [odd, "second"],
            Group = odd[..10],
        };

        await Storage.Datasets.CreateAsync(TestData.Import("chat", [chat]), Ct);

        (await ToListAsync(Storage.Datasets.ReadCasesAsync("chat@1", 0, Ct))).Single().Case.Should().Be(chat);
    }
}
