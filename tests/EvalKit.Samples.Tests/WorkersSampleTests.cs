using EvalKit.Samples.Workers;
using Microsoft.Data.Sqlite;

namespace EvalKit.Samples.Tests;

/// <summary>The scale-out sample: three worker processes (the sample itself, started again) share one run in a SQLite file.</summary>
public sealed class WorkersSampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("evalkit-workers-").FullName;

    [Fact]
    public async Task RunAsync_ThreeWorkerProcesses_ShareTheShards_AndCompleteTheRun()
    {
        using var output = new StringWriter();

        var exitCode = await Workers.Workers.RunAsync(output, Workers.Workers.SqliteStore(Path.Combine(_directory, "evalkit.db")), Workers.Workers.ThisProgram(), TestContext.Current.CancellationToken);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var workerLines = lines.Where(l => l.StartsWith("worker-", StringComparison.Ordinal)).ToList();
        workerLines.Should().HaveCount(3, text);
        var shards = workerLines.Sum(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        shards.Should().Be(13, "twelve shards of 250 cases and the finalizing shard, each completed once");
        workerLines.Count(l => l.EndsWith("computed the summary", StringComparison.Ordinal)).Should().Be(1, text);
        lines[^1].Should().StartWith("Run Completed: 3,000 results, exact match 88.9%", text);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
