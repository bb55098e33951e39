using System.Text;
using EvalKit.Datasets;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Options;
using DatasetFiles = EvalKit.Datasets.Datasets;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// An import that fails, whether on a malformed case or on an input limit, and however late in the stream, leaves the store
/// exactly as it was: checked on imports that break a limit after a thousand good cases, and on random and mutated files
/// (FsCheck, fixed seed) that either import whole or fail with <see cref="DatasetFormatException"/>.
/// </summary>
public abstract class HostileImportStorageTests : StorageTestBase
{
    /// <summary>Counts the rows of the provider's case table directly, when it has one (null otherwise).</summary>
    protected virtual ValueTask<long?> CountCaseRowsAsync() => ValueTask.FromResult<long?>(null);

    [Fact]
    public virtual async Task Import_IdOverTheLimitAfterManyGoodCases_WritesNothing()
    {
        var store = Store(new InputLimits { MaxIdLength = 16 });
        await store.ImportAsync("base", "1", TestData.Cases(5).ToAsyncEnumerable(), null, Ct);
        var before = await SnapshotAsync();
        var cases = TestData.Cases(1500).Select((c, i) => i == 1200 ? c with { Id = new string('x', 17) } : c);

        var act = async () => await store.ImportAsync("late", "1", cases.ToAsyncEnumerable(), null, Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Field.Should().Be("id");
        error.Message.Should().Contain("position 1201").And.Contain("InputLimits.MaxIdLength");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public virtual async Task Import_MoreCasesThanTheLimit_WritesNothing()
    {
        var store = Store(new InputLimits { MaxCases = 1_000 });
        var before = await SnapshotAsync();

        var act = async () => await store.ImportAsync("many", "1", TestData.Cases(1_001).ToAsyncEnumerable(), null, Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Message.Should().Contain("more than 1,000 cases");
        (await SnapshotAsync()).Should().Be(before);
        (await store.ImportAsync("many", "1", TestData.Cases(1_000).ToAsyncEnumerable(), null, Ct)).CaseCount.Should().Be(1_000);
    }

    [Fact]
    public virtual async Task Import_FileWithAnOverlongLineNearTheEnd_WritesNothing()
    {
        var limits = new InputLimits { MaxLineBytes = 256 };
        var store = Store(limits);
        var text = new StringBuilder();
        for (var i = 0; i < 2_000; i++)
        {
            text.Append("{\"id\": \"c").Append(i).Append("\", \"input\": \"").Append(i == 1_990 ? new string('x', 300) : "q").Append("\"}\n");
        }

        var before = await SnapshotAsync();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));

        var act = async () => await store.ImportAsync("long-line", "1", DatasetFiles.ReadAsync(stream, DatasetFileFormat.Jsonl, limits: limits, source: "late.jsonl", cancellationToken: Ct), null, Ct);

        var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
        error.Line.Should().Be(1_991);
        error.Message.Should().Contain("InputLimits.MaxLineBytes");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public virtual async Task Import_CaseOverTheSizeLimit_WritesNothing()
    {
        var store = Store(new InputLimits { MaxCaseBytes = 800 });
        var before = await SnapshotAsync();
        var cases = TestData.Cases(300).Append(new EvalCase { Id = "big", Input = new string('\u00E9', 400), References = ["r"] });

        var act = async () => await store.ImportAsync("big", "1", cases.ToAsyncEnumerable(), null, Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Message.Should().Contain("is 801 bytes").And.Contain("InputLimits.MaxCaseBytes");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public virtual async Task Import_RandomOrMutatedFiles_ImportWholeOrLeaveTheStoreUnchanged()
    {
        var store = Store(new InputLimits());
        await store.ImportAsync("base", "1", TestData.Cases(3).ToAsyncEnumerable(), null, Ct);
        var inputs = HostileInputs.AnyDataset().Sample(30, new Rnd(31337UL, 0x9E3779B97F4A7C15UL), 40);
        DatasetFileFormat[] formats = [DatasetFileFormat.Jsonl, DatasetFileFormat.Json, DatasetFileFormat.Csv];
        int imported = 0, rejected = 0;

        for (var i = 0; i < inputs.Length; i++)
        {
            foreach (var format in formats)
            {
                var before = await SnapshotAsync();
                using var stream = new MemoryStream(inputs[i]);
                var because = $"{format} input {Convert.ToHexString(inputs[i])}";
                try
                {
                    var info = await store.ImportAsync($"fuzz-{i}-{format}", "1", DatasetFiles.ReadAsync(stream, format, source: "fuzz", cancellationToken: Ct), null, Ct);
                    var after = await SnapshotAsync();
                    after.Datasets.Should().Be(before.Datasets + 1, because);
                    after.Cases.Should().Be(before.Cases + info.CaseCount, because);
                    imported++;
                }
                catch (DatasetFormatException)
                {
                    (await SnapshotAsync()).Should().Be(before, because);
                    rejected++;
                }
            }
        }

        // The generator yields both kinds, or the property says little.
        imported.Should().BePositive();
        rejected.Should().BePositive();
    }

    private DatasetStore Store(InputLimits limits) =>
        new(Storage, TimeProvider.System, Options.Create(new EvalKitOptions { InputLimits = limits }));

    private async Task<StoreCounts> SnapshotAsync()
    {
        var datasets = await ToListAsync(Storage.Datasets.ListAsync(Ct));
        long cases = 0;
        foreach (var dataset in datasets)
        {
            cases += (await ToListAsync(Storage.Datasets.ReadCasesAsync(dataset.Id, 0, Ct))).Count;
        }

        return new StoreCounts(datasets.Count, cases, await CountCaseRowsAsync());
    }

    private sealed record StoreCounts(int Datasets, long Cases, long? CaseRows);
}
