using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Storage.Tests.Workers;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// Eight processes append results to one SQLite file at once, each evaluating its own run of the same dataset (which all
/// eight import at the same moment): no busy error reaches any of them, and every run holds all of its results, once.
/// </summary>
public sealed class SqliteConcurrentProcessTests : IDisposable
{
    private const int Processes = 8;
    private const int Cases = 2_500;

    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task EightProcessesAppendingToOneFile_NoBusyErrorSurfaces_AndNothingIsLost()
    {
        var runs = Enumerable.Range(0, Processes).Select(i => $"writer-{i}").ToArray();

        // Each process exits with 0 only if its run completed; any error (a busy database included) fails it, with its output.
        var outputs = await Task.WhenAll(runs.Select(run => WorkerProcess.RunAsync("evaluate", _db.Path, run, Text(Cases), "1")));

        outputs.Should().OnlyContain(o => o.Evaluated == Cases, "each process asked the model about each of its cases once");
        await using var store = _db.Open();
        foreach (var runId in runs)
        {
            var run = await store.Runs.GetAsync(runId, Ct);
            run!.Status.Should().Be(RunStatus.Completed);
            (await store.Results.CountAsync(runId, Ct)).Total.Should().Be(Cases);
            var keys = new List<ResultKey>();
            await foreach (var key in store.Results.ReadKeysAsync(runId, Ct))
            {
                keys.Add(key);
            }

            keys.Should().HaveCount(Cases).And.OnlyHaveUniqueItems();
            run.Summary.Should().BeEquivalentTo(outputs[0].Summary!, o => o
                .Excluding(s => s.Latency).Excluding(s => s.TimeToFirstToken).Excluding(s => s.Duration).Excluding(s => s.Throughput),
                "the same deterministic model over the same dataset gives the same summary in every process");
        }

        (await ScalarAsync("SELECT COUNT(*) FROM evaluation_results")).Should().Be((long)Processes * Cases);
        (await ScalarAsync("SELECT COUNT(*) FROM evaluation_datasets")).Should().Be(1, "eight concurrent imports of the same dataset version store it once");
        (await ScalarAsync("SELECT COUNT(*) FROM evaluation_cases")).Should().Be(Cases);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }
}
