using System.Text;
using EvalKit.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using DatasetFiles = EvalKit.Datasets.Datasets;

namespace EvalKit.Tests.Hostile;

public sealed class InputLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Defaults_AreTheDocumentedValues()
    {
        var limits = new InputLimits();

        limits.MaxCaseBytes.Should().Be(16 * 1024 * 1024);
        limits.MaxDatasetBytes.Should().Be(4L * 1024 * 1024 * 1024);
        limits.MaxCases.Should().Be(10_000_000);
        limits.MaxLineBytes.Should().Be(64 * 1024 * 1024);
        limits.MaxIdLength.Should().Be(1_024);
        limits.MaxNameLength.Should().Be(256);
        limits.MaxMetadataEntries.Should().Be(1_024);
        limits.MaxMetadataKeyLength.Should().Be(256);
        limits.MaxMetadataValueLength.Should().Be(1_048_576);
        limits.MaxDepth.Should().Be(64);
        limits.MaxSuiteFileBytes.Should().Be(4 * 1024 * 1024);
        FluentActions.Invoking(limits.Validate).Should().NotThrow();
    }

    [Fact]
    public void Validate_OutOfRangeLimits_ListsEveryOne()
    {
        var limits = new InputLimits { MaxCases = 0, MaxLineBytes = -1, MaxDepth = 5_000, MaxMetadataEntries = -2 };

        var error = FluentActions.Invoking(limits.Validate).Should().Throw<ArgumentException>().Which;

        error.Message.Should().Contain("MaxCases must be at least 1 (was 0)")
            .And.Contain("MaxLineBytes must be at least 1 (was -1)")
            .And.Contain("MaxDepth must lie in [1, 1000] (was 5000)")
            .And.Contain("MaxMetadataEntries must not be negative (was -2)");
    }

    [Fact]
    public void EvalKitOptionsValidate_InvalidInputLimits_NamesThem()
    {
        var options = new EvalKitOptions { InputLimits = new InputLimits { MaxCaseBytes = 0 } };

        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentException>().WithMessage("*InputLimits: *MaxCaseBytes must be at least 1*");
        FluentActions.Invoking(() => DatasetFiles.ReadAsync(new MemoryStream(), DatasetFileFormat.Jsonl, limits: options.InputLimits))
            .Should().Throw<ArgumentException>().WithMessage("*MaxCaseBytes*");
    }

    [Fact]
    public async Task AddEvalKit_InputLimits_ApplyToEveryImport()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.InputLimits.MaxCases = 2);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IDatasetStore>();
        var cases = new[] { Case("a"), Case("b"), Case("c") };

        var act = async () => await store.ImportAsync(new Dataset("three", "1", cases), Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Message.Should().Contain("more than 2 cases (InputLimits.MaxCases)");
        (await store.ListAsync(Ct).CountAsync(Ct)).Should().Be(0);
        (await store.ImportAsync(new Dataset("two", "1", cases[..2]), Ct)).CaseCount.Should().Be(2);
    }

    [Fact]
    public async Task ReadAsync_LimitsChangedAfterTheCall_KeepsTheLimitsOfTheCall()
    {
        var limits = new InputLimits { MaxCases = 1 };
        var cases = DatasetFiles.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"input\": \"a\"}\n{\"input\": \"b\"}\n")), DatasetFileFormat.Jsonl, limits: limits, source: "s", cancellationToken: Ct);
        limits.MaxCases = 10;

        var act = async () => await cases.CountAsync(Ct);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Line.Should().Be(2);
    }

    [Fact]
    public async Task LoadSuite_LimitsReachTheDatasetFile()
    {
        var folder = Directory.CreateTempSubdirectory("evalkit-limits-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "data.jsonl"), "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\", \"input\": \"" + new string('y', 100) + "\"}\n", Ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "suite.json"), "{\"id\": \"s\", \"dataset\": {\"path\": \"data.jsonl\"}, \"scorers\": [\"exact_match\"]}", Ct);
            var suite = await BenchmarkSuiteFile.LoadAsync(Path.Combine(folder, "suite.json"), new BenchmarkSuiteFileOptions { Limits = new InputLimits { MaxCaseBytes = 50 } }, Ct);
            var store = new DatasetStore(new EvalKit.Storage.InMemoryEvalKitStorage(), TimeProvider.System, Options.Create(new EvalKitOptions()));

            var act = async () => await suite.ImportAsync(store, Ct);

            var error = (await act.Should().ThrowAsync<DatasetFormatException>()).Which;
            error.Line.Should().Be(2);
            error.Source.Should().EndWith("data.jsonl");
            error.Message.Should().Contain("InputLimits.MaxCaseBytes");
            (await store.ListAsync(Ct).CountAsync(Ct)).Should().Be(0);
            (await store.ListBenchmarksAsync(Ct).CountAsync(Ct)).Should().Be(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static EvalCase Case(string id) => new() { Id = id, Input = "q " + id, References = ["a"] };
}
