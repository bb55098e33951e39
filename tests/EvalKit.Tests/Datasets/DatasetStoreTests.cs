using EvalKit.Datasets;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Datasets;

public sealed class DatasetStoreTests
{
    private readonly InMemoryEvalKitStorage _storage = new();
    private readonly DatasetStore _store;

    public DatasetStoreTests() => _store = new DatasetStore(_storage, TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_SameContentAgain_ReturnsTheStoredVersion()
    {
        var first = await _store.ImportAsync(new Dataset("qa", "1", TestData.Cases(5)), Ct);

        var again = await _store.ImportAsync(new Dataset("qa", "1", TestData.Cases(5)), Ct);

        again.Should().Be(first);
    }

    [Fact]
    public async Task Import_DifferentContentUnderAStoredVersion_IsRefused()
    {
        await _store.ImportAsync(new Dataset("qa", "1", TestData.Cases(5)), Ct);

        var act = async () => await _store.ImportAsync(new Dataset("qa", "1", TestData.Cases(6)), Ct);

        await act.Should().ThrowAsync<EvalKitException>().WithMessage("*qa@1*different content*new version*");
        (await _store.GetAsync("qa@1", Ct))!.CaseCount.Should().Be(5);
    }

    [Fact]
    public async Task Import_InvalidCase_WritesNothing()
    {
        var cases = TestData.Cases(3).Append(new EvalCase { Id = "blank", Input = CaseInput.FromMessages([]) });

        var act = async () => await _store.ImportAsync(new Dataset("bad", "1", cases), Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Field.Should().Be("input");
        (await _store.ListAsync(Ct).ToListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task SaveBenchmark_UnknownDataset_IsRefused()
    {
        var act = async () => await _store.SaveBenchmarkAsync(new Benchmark { Id = "suite", DatasetId = "nothing@1" }, Ct);

        await act.Should().ThrowAsync<NotFoundException>().WithMessage("*suite*nothing@1*");
    }

    [Fact]
    public async Task ReadCases_UnknownDataset_ThrowsNotFound()
    {
        var act = async () => await _store.ReadCasesAsync("nothing@1", Ct).ToListAsync(Ct);

        await act.Should().ThrowAsync<NotFoundException>();
    }
}
