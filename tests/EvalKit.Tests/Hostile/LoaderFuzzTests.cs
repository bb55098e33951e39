using EvalKit.Datasets;
using EvalKit.Storage.Specification.Tests;
using FsCheck;
using FsCheck.Fluent;
using DatasetFiles = EvalKit.Datasets.Datasets;

namespace EvalKit.Tests.Hostile;

/// <summary>
/// Property tests over random and mutated input (fixed seeds, a few hundred inputs each): a loader either returns cases or
/// throws <see cref="DatasetFormatException"/>, never anything else, and the in-memory and streamed readers agree.
/// </summary>
public sealed class LoaderFuzzTests : IDisposable
{
    private static readonly DatasetFileFormat[] Formats = [DatasetFileFormat.Jsonl, DatasetFileFormat.Json, DatasetFileFormat.Csv];
    private readonly string _folder = Directory.CreateTempSubdirectory("evalkit-fuzz-").FullName;

    public LoaderFuzzTests()
    {
        File.WriteAllText(Path.Combine(_folder, "data.jsonl"), HostileInputs.ValidJsonl);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_RandomOrMutatedBytes_ReturnsCasesOrThrowsDatasetFormatException()
    {
        var property = Prop.ForAll(HostileInputs.AnyDataset().ToArbitrary(), bytes => Formats.All(format => LoadsOrRejects(bytes, format)));

        property.Check(Config.QuickThrowOnFailure.WithMaxTest(400).WithReplay(20260101UL, 0x9E3779B97F4A7C15UL));
    }

    [Fact]
    public void Load_TightLimits_ReturnsCasesOrThrowsDatasetFormatException()
    {
        // Small limits make the limit checks fire on ordinary-looking input, at every position in a file.
        var limits = new InputLimits { MaxLineBytes = 64, MaxCaseBytes = 24, MaxIdLength = 4, MaxCases = 2, MaxDepth = 3, MaxMetadataEntries = 1, MaxMetadataValueLength = 4 };
        var property = Prop.ForAll(HostileInputs.AnyDataset().ToArbitrary(), bytes => Formats.All(format => LoadsOrRejects(bytes, format, limits)));

        property.Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(77UL, 0x2545F4914F6CDD1DUL));
    }

    [Fact]
    public async Task ReadAsync_RandomOrMutatedBytes_AgreesWithTheInMemoryLoader()
    {
        var inputs = HostileInputs.AnyDataset().Sample(30, new Rnd(4242UL, 0x5851F42D4C957F2DUL), 300);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2)); // a hang fails the test instead of stalling the run

        foreach (var bytes in inputs)
        {
            foreach (var format in Formats)
            {
                var loaded = Outcome(() => DatasetFiles.Load(new MemoryStream(bytes), format, "fuzz", source: "fuzz").Cases.Count);
                var streamed = await OutcomeAsync(async () =>
                {
                    var count = 0;
                    await foreach (var unused in DatasetFiles.ReadAsync(new MemoryStream(bytes), format, source: "fuzz", cancellationToken: timeout.Token))
                    {
                        count++;
                    }

                    return count;
                });

                var because = $"{format} input {Convert.ToHexString(bytes)} should load the same both ways";
                loaded.Error.Should().BeNull(OrFormatError(loaded.Error), because);
                streamed.Error.Should().BeNull(OrFormatError(streamed.Error), because);
                if (streamed.Error is null && streamed.Failure is null && streamed.Count == 0)
                {
                    // Only the in-memory loader insists on at least one case; a store import does the same.
                    loaded.Failure.Should().Contain("no cases", because);
                }
                else
                {
                    loaded.Failure.Should().Be(streamed.Failure, because);
                    loaded.Count.Should().Be(streamed.Count, because);
                }
            }
        }
    }

    [Fact]
    public void LoadSuite_RandomOrMutatedBytes_ReturnsASuiteOrThrowsDatasetFormatException()
    {
        var inputs = Gen.Frequency((1, HostileInputs.RandomBytes()), (4, HostileInputs.Mutations(HostileInputs.ValidSuite)));
        var options = new BenchmarkSuiteFileOptions { KnownScorers = ["exact_match", "contains"] };
        var property = Prop.ForAll(inputs.ToArbitrary(), bytes =>
        {
            try
            {
                var suite = BenchmarkSuiteFile.Load(new MemoryStream(bytes), _folder, "fuzz-suite.json", options);
                return suite.Benchmark.Id.Length > 0;
            }
            catch (DatasetFormatException e)
            {
                return e.Source == "fuzz-suite.json" && e.Message.StartsWith("fuzz-suite.json", StringComparison.Ordinal);
            }
        });

        property.Check(Config.QuickThrowOnFailure.WithMaxTest(400).WithReplay(99UL, 0x14057B7EF767814FUL));
    }

    [Fact]
    public void HostileInputs_SameSeed_SameInputs()
    {
        var first = HostileInputs.AnyDataset().Sample(30, new Rnd(5UL, 7UL), 20);
        var second = HostileInputs.AnyDataset().Sample(30, new Rnd(5UL, 7UL), 20);

        first.Should().BeEquivalentTo(second, o => o.WithStrictOrdering());
        first.Select(Convert.ToHexString).Distinct().Should().HaveCountGreaterThan(10);
    }

    private static bool LoadsOrRejects(byte[] bytes, DatasetFileFormat format, InputLimits? limits = null)
    {
        try
        {
            var dataset = DatasetFiles.Load(new MemoryStream(bytes), format, "fuzz", limits: limits, source: "fuzz");
            return dataset.Cases.Count > 0 && dataset.Cases.All(c => c.Id.Length > 0);
        }
        catch (DatasetFormatException e)
        {
            // The error says where: the source always, and a line whenever it is past the first read.
            return e.Source == "fuzz" && e.Problem is { Length: > 0 };
        }
    }

    private static string OrFormatError(Exception? error) => error is null ? string.Empty : $"only DatasetFormatException may escape, got {error}";

    private static (int Count, string? Failure, Exception? Error) Outcome(Func<int> load)
    {
        try
        {
            return (load(), null, null);
        }
        catch (DatasetFormatException e)
        {
            return (0, e.Message, null);
        }
        catch (Exception e)
        {
            return (0, null, e);
        }
    }

    private static async Task<(int Count, string? Failure, Exception? Error)> OutcomeAsync(Func<Task<int>> load)
    {
        try
        {
            return (await load(), null, null);
        }
        catch (DatasetFormatException e)
        {
            return (0, e.Message, null);
        }
        catch (Exception e)
        {
            return (0, null, e);
        }
    }
}
