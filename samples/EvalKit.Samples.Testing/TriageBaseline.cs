using System.Runtime.CompilerServices;
using System.Text.Json;
using EvalKit.Reporting;

namespace EvalKit.Samples.Testing;

/// <summary>
/// The stored baseline: the released model's run on the triage benchmark, kept in the repository as an EvalKit JSON
/// export (<c>baselines/ticket-triage.json</c>: the run with every result, its dataset, benchmark and model).
/// </summary>
/// <remarks>
/// To accept a new baseline, point <see cref="TriageSuite.Released"/> at the model that ships and run the tests once with
/// <c>EVALKIT_UPDATE_BASELINE=1</c>: the regression test records the file again in the sample's folder; commit it.
/// </remarks>
public static class TriageBaseline
{
    /// <summary>The id of the baseline run (fixed, so that tests can name it).</summary>
    public const string RunId = "ticket-triage-baseline";

    /// <summary>The environment variable that asks the regression test to record the baseline again.</summary>
    public const string UpdateVariable = "EVALKIT_UPDATE_BASELINE";

    /// <summary>The baseline's file name (under <c>baselines/</c>).</summary>
    public const string FileName = "ticket-triage.json";

    /// <summary>Gets the baseline copied beside the test assembly.</summary>
    public static string OutputPath => Path.Combine(AppContext.BaseDirectory, "baselines", FileName);

    /// <summary>Gets whether <see cref="UpdateVariable"/> asks to record the baseline again.</summary>
    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    /// <summary>Gets the baseline in the sample's source folder, where an update writes it.</summary>
    /// <returns>The path.</returns>
    /// <exception cref="InvalidOperationException">The source folder the assembly was built from is not on this machine.</exception>
    public static string SourcePath()
    {
        var folder = Path.GetDirectoryName(ThisFile())!;
        return Directory.Exists(folder)
            ? Path.Combine(folder, "baselines", FileName)
            : throw new InvalidOperationException($"The sample's source folder '{folder}' is not on this machine (built elsewhere, or with ContinuousIntegrationBuild): update the baseline from a local build.");
    }

    /// <summary>Imports the baseline into a host made by <see cref="TriageSuite.CreateHostAsync"/>.</summary>
    /// <param name="kit">The host.</param>
    /// <param name="path">The baseline file.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was imported.</returns>
    /// <exception cref="ImportException">
    /// The file cannot be imported, for example because the dataset or the benchmark changed since it was recorded
    /// (record it again, see <see cref="TriageBaseline"/>).
    /// </exception>
    public static async Task<ImportSummary> ImportAsync(EvalKitHost kit, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await using var stream = File.OpenRead(path);
        return await kit.Experiments.ImportAsync(stream, cancellationToken);
    }

    /// <summary>Evaluates the released model in a fresh in-memory host and writes the run's JSON export (indented).</summary>
    /// <param name="path">The file to write (replaced).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public static async Task RecordAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await using var kit = await TriageSuite.CreateHostAsync([TriageSuite.Released()], cancellationToken);
        await TriageSuite.EvaluateAsync(kit, TriageSuite.ReleasedModelId, RunId, cancellationToken);
        using var export = new MemoryStream();
        await kit.Experiments.ExportAsync(new ReportRequest { RunIds = [RunId] }, ReportFormat.Json, export, cancellationToken);

        // Indented, so that a reviewer sees in the diff which cases changed when the baseline is recorded again.
        export.Position = 0;
        using var document = await JsonDocument.ParseAsync(export, cancellationToken: cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        document.WriteTo(writer);
    }

    // The compiler fills in the path of this source file (the sample's folder at build time).
    private static string ThisFile([CallerFilePath] string path = "") => path;
}
