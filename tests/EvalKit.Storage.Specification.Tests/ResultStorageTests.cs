namespace EvalKit.Storage.Specification.Tests;

public abstract class ResultStorageTests : StorageTestBase
{
    [Fact]
    public virtual async Task Append_ThenRead_RoundTripsEveryFieldInKeyOrder()
    {
        var results = new[] { TestData.Result("r", 3, 1), TestData.Result("r", 0), TestData.Result("r", 3, 0), TestData.Result("r", 1, failed: true), TestData.Result("r", 7) };

        (await Storage.Results.AppendAsync(results, Ct)).Should().Be(5);

        var stored = await ToListAsync(Storage.Results.ReadAsync("r", Ct));
        stored.Select(r => (r.CaseOrdinal, r.Repetition)).Should().Equal((0L, 0), (1L, 0), (3L, 0), (3L, 1), (7L, 0));
        stored.Should().BeEquivalentTo(results);
        stored.Single(r => r.CaseOrdinal == 1).Error!.Category.Should().Be(Evaluation.ErrorCategory.RateLimited);
        stored.Single(r => r.CaseOrdinal == 0).Cost.Should().Be(0.000123456789m);
    }

    [Fact]
    public virtual async Task Append_RowsThatDifferInOneField_KeepEachRowsOwnValues()
    {
        // Consecutive rows of one batch where a field goes from a value to empty, to null, to a value again: a provider that
        // reuses the previous row's bindings must still store each row's own value.
        var results = new[]
        {
            TestData.Result("r", 0) with { Output = "answer", Group = "g1", Error = new Evaluation.CaseError(Evaluation.ErrorCategory.Timeout, "slow"), Cost = 1.5m },
            TestData.Result("r", 1) with { Output = string.Empty, Group = string.Empty, Error = null, Cost = null },
            TestData.Result("r", 2) with { Output = null, Group = null, Error = new Evaluation.CaseError(Evaluation.ErrorCategory.Timeout, string.Empty), Cost = 0.10m },
            TestData.Result("r", 3) with { Output = "x\0y", Group = "g1", Error = null, Cost = 0.1m },
        };

        (await Storage.Results.AppendAsync(results, Ct)).Should().Be(4);

        var stored = await ToListAsync(Storage.Results.ReadAsync("r", Ct));
        stored.Select(r => r.Output).Should().Equal("answer", string.Empty, null, "x\0y");
        stored.Select(r => r.Group).Should().Equal("g1", string.Empty, null, "g1");
        stored.Select(r => r.Error?.Message).Should().Equal("slow", null, string.Empty, null);
        stored.Select(r => r.Cost).Should().Equal(1.5m, null, 0.10m, 0.1m);
    }

    [Fact]
    public virtual async Task Append_SameKeyTwice_WritesOnce()
    {
        await Storage.Results.AppendAsync([TestData.Result("r", 0), TestData.Result("r", 1)], Ct);

        var written = await Storage.Results.AppendAsync([TestData.Result("r", 1) with { Output = "second try" }, TestData.Result("r", 2)], Ct);

        written.Should().Be(1);
        var stored = await ToListAsync(Storage.Results.ReadAsync("r", Ct));
        stored.Should().HaveCount(3);
        stored.Single(r => r.CaseOrdinal == 1).Output.Should().Be("answer 1");
    }

    [Fact]
    public virtual async Task ReadKeysAndCount_SeeOnlyTheirRun()
    {
        await Storage.Results.AppendAsync([TestData.Result("a", 0), TestData.Result("a", 0, 1), TestData.Result("a", 4, failed: true), TestData.Result("b", 9)], Ct);

        (await ToListAsync(Storage.Results.ReadKeysAsync("a", Ct))).Should().BeEquivalentTo([new ResultKey(0, 0), new ResultKey(0, 1), new ResultKey(4, 0)]);
        (await Storage.Results.CountAsync("a", Ct)).Should().Be(new ResultCounts(3, 1));
        (await Storage.Results.CountAsync("b", Ct)).Should().Be(new ResultCounts(1, 0));
        (await Storage.Results.CountAsync("none", Ct)).Should().Be(new ResultCounts(0, 0));
    }

    [Fact]
    public virtual async Task Append_ManyInOneBatch_StoresAll()
    {
        var results = Enumerable.Range(0, 5_000).Select(i => TestData.Result("big", i / 2, i % 2)).ToList();

        (await Storage.Results.AppendAsync(results, Ct)).Should().Be(5_000);

        (await Storage.Results.CountAsync("big", Ct)).Total.Should().Be(5_000);
    }

    [Fact]
    public virtual async Task OddOutput_RoundTripsVerbatim()
    {
        var odd = "'; DELETE FROM evaluation_results; --" + "\0" + "🧪\u202E" + new string('é', 1_000_000);
        var result = TestData.Result("odd", 0) with { Output = odd, CaseId = odd[..20] };

        await Storage.Results.AppendAsync([result], Ct);

        (await ToListAsync(Storage.Results.ReadAsync("odd", Ct))).Single().Should().Be(result);
    }
}
