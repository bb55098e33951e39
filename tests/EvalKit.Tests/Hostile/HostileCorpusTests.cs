using System.Text.Json;
using EvalKit.Datasets;
using EvalKit.Registry;
using EvalKit.Serialization;
using EvalKit.Storage;
using Microsoft.Extensions.Options;
using DatasetFiles = EvalKit.Datasets.Datasets;

namespace EvalKit.Tests.Hostile;

/// <summary>
/// Runs every malformed input of the corpus (Hostile/corpus, listed with its expected error in manifest.json) through its
/// loader: the error must have the expected type and name the file, line and field, and a failed import stores nothing.
/// </summary>
public sealed class HostileCorpusTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Hostile", "corpus");
    private static readonly JsonSerializerOptions ManifestOptions = new(JsonSerializerDefaults.Web);
    private static readonly Lazy<IReadOnlyDictionary<string, CorpusEntry>> Entries = new(ReadManifest);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Entries.Value.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void Manifest_ListsEveryCorpusFile_AndCoversEveryLoader()
    {
        var listed = Entries.Value.Keys.ToHashSet(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => f != "manifest.json" && !Path.GetFileName(f).StartsWith('.'))
            .ToHashSet(StringComparer.Ordinal);

        listed.Should().HaveCountGreaterThanOrEqualTo(50);
        present.Should().BeEquivalentTo(listed);
        Entries.Value.Values.Select(e => e.Loader).Distinct().Should().BeEquivalentTo(["jsonl", "json", "csv", "suite", "model"]);
        Entries.Value.Values.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Message) && !string.IsNullOrWhiteSpace(e.Why));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Load_MalformedInput_FailsWithTheExpectedErrorAndStoresNothing(string file)
    {
        var entry = Entries.Value[file];
        var path = Path.Combine(Root, entry.File);
        switch (entry.Loader)
        {
            case "jsonl" or "json" or "csv":
                await CheckDatasetAsync(entry, path);
                break;
            case "suite":
                await CheckSuiteAsync(entry, path);
                break;
            case "model":
                await CheckModelAsync(entry, path);
                break;
            default:
                Assert.Fail($"Unknown loader '{entry.Loader}' in the manifest entry for {entry.File}.");
                break;
        }
    }

    private static async Task CheckDatasetAsync(CorpusEntry entry, string path)
    {
        entry.Exception.Should().Be(nameof(DatasetFormatException));
        var format = entry.Loader switch { "jsonl" => DatasetFileFormat.Jsonl, "json" => DatasetFileFormat.Json, _ => DatasetFileFormat.Csv };
        var limits = entry.InputLimits();

        // In memory, from the file.
        var loaded = Assert.Throws<DatasetFormatException>(() => DatasetFiles.Load(path, format, null, limits));
        ShouldLocate(loaded, entry, path);

        // Streamed into a store: the same error, and nothing stored.
        var storage = new InMemoryEvalKitStorage();
        var store = new DatasetStore(storage, TimeProvider.System, Options.Create(new EvalKitOptions { InputLimits = limits ?? new InputLimits() }));
        var streamed = await Assert.ThrowsAsync<DatasetFormatException>(async () =>
            await store.ImportAsync("hostile", "1", DatasetFiles.ReadAsync(path, format, null, limits, TestContext.Current.CancellationToken), null, TestContext.Current.CancellationToken));
        ShouldLocate(streamed, entry, path, importMayOmitSource: true);
        (await storage.Datasets.ListAsync(TestContext.Current.CancellationToken).CountAsync(TestContext.Current.CancellationToken)).Should().Be(0);
    }

    private static async Task CheckSuiteAsync(CorpusEntry entry, string path)
    {
        entry.Exception.Should().Be(nameof(DatasetFormatException));
        var options = new BenchmarkSuiteFileOptions { Limits = entry.InputLimits(), KnownScorers = entry.KnownScorers };

        var loaded = Assert.Throws<DatasetFormatException>(() => BenchmarkSuiteFile.Load(path, options));
        ShouldLocate(loaded, entry, path);

        var loadedAsync = await Assert.ThrowsAsync<DatasetFormatException>(async () => await BenchmarkSuiteFile.LoadAsync(path, options, TestContext.Current.CancellationToken));
        loadedAsync.Message.Should().Be(loaded.Message);

        using var stream = File.OpenRead(path);
        var fromStream = Assert.Throws<DatasetFormatException>(() => BenchmarkSuiteFile.Load(stream, Path.GetDirectoryName(path), path, options));
        fromStream.Message.Should().Be(loaded.Message);
    }

    private static async Task CheckModelAsync(CorpusEntry entry, string path)
    {
        entry.Exception.Should().Be(nameof(ValidationException));
        var model = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), EvalKitJsonContext.Default.ModelDescriptor)!;
        var storage = new InMemoryEvalKitStorage();
        var registry = new ModelRegistry(storage, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ValidationException>(async () => await registry.RegisterAsync(model, TestContext.Current.CancellationToken));

        error.Errors.Should().Contain(e => e.Field == entry.Field && e.Message.Contains(entry.Message, StringComparison.Ordinal),
            $"{entry.File} ({entry.Why}) should be rejected on {entry.Field} with \"{entry.Message}\"; the errors were: {error.Message}");
        error.Message.Should().Contain(entry.Field!);
        (await storage.Models.ListAsync(TestContext.Current.CancellationToken).CountAsync(TestContext.Current.CancellationToken)).Should().Be(0);
    }

    private static void ShouldLocate(DatasetFormatException error, CorpusEntry entry, string path, bool importMayOmitSource = false)
    {
        var because = $"{entry.File} ({entry.Why}) failed with: {error.Message}";
        if (!(importMayOmitSource && error.Source is null && entry.Line is null))
        {
            error.Source.Should().Be(path, because);
            error.Message.Should().StartWith(path, because);
        }

        error.Line.Should().Be(entry.Line, because);
        error.Field.Should().Be(entry.Field, because);
        error.Message.Should().Contain(entry.Message, because);
        if (entry.Line is { } line)
        {
            error.Message.Should().Contain($"line {line}", because);
        }

        if (entry.Field is { } field)
        {
            error.Message.Should().Contain($"field '{field}'", because);
        }
    }

    private static Dictionary<string, CorpusEntry> ReadManifest()
    {
        var json = File.ReadAllBytes(Path.Combine(Root, "manifest.json"));
        var entries = JsonSerializer.Deserialize<List<CorpusEntry>>(json, ManifestOptions) ?? [];
        return entries.ToDictionary(e => e.File, StringComparer.Ordinal);
    }

    /// <summary>One manifest entry: a corpus file, the loader it goes through and the error it must raise.</summary>
    internal sealed record CorpusEntry
    {
        public required string File { get; init; }

        public required string Loader { get; init; }

        public required string Exception { get; init; }

        public long? Line { get; init; }

        public string? Field { get; init; }

        public required string Message { get; init; }

        public string? Why { get; init; }

        /// <summary>Gets the limits that differ from the defaults (camelCase <see cref="EvalKit.Datasets.InputLimits"/> names).</summary>
        public Dictionary<string, long>? Limits { get; init; }

        public string[]? KnownScorers { get; init; }

        public InputLimits? InputLimits()
        {
            if (Limits is null)
            {
                return null;
            }

            var limits = new InputLimits();
            foreach (var (name, value) in Limits)
            {
                var property = typeof(InputLimits).GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)
                    ?? throw new InvalidOperationException($"The manifest entry for {File} names an unknown limit '{name}'.");
                property.SetValue(limits, Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
            }

            return limits;
        }
    }
}
