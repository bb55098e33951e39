using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvalKit.Evaluation;
using EvalKit.Serialization;
using EvalKit.Storage.Tests.Workers;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// Nothing lost, nothing twice: a run whose process is killed hard (SIGKILL) and that is resumed by another process
/// stores every (case, repetition) exactly once and ends with the summary of an uninterrupted run.
/// The runs execute in EvalKit.Storage.Sqlite.Tests.Worker, with a deterministic fake model.
/// </summary>
public sealed class SqliteKillResumeTests : IDisposable
{
    private const string RunId = "kill-resume";

    private readonly SqliteTestDatabase _db = new();
    private readonly SqliteTestDatabase _reference = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _db.Dispose();
        _reference.Dispose();
    }

    [Fact]
    public async Task RunKilledMidway_ResumedInANewProcess_StoresEveryResultOnce_AndSummarizesLikeAnUninterruptedRun()
    {
        const int cases = 20_000, repetitions = 2;
        const long total = (long)cases * repetitions;

        await using (var doomed = WorkerProcess.Start("evaluate", _db.Path, RunId, Text(cases), Text(repetitions)))
        {
            await doomed.WaitForLineAsync("started");
            await doomed.KillAsync();
        }

        long storedAtKill;
        await using (var store = _db.Open())
        {
            storedAtKill = (await store.Results.CountAsync(RunId, Ct)).Total;
            (await store.Runs.GetAsync(RunId, Ct))!.Status.Should().Be(RunStatus.Running, "a killed process cannot record how its run ended");
        }

        storedAtKill.Should().BeInRange(2_000, total - 1, "the kill must land after the worker reported 2,000 stored results and before the run ended");

        var resumed = await WorkerProcess.RunAsync("resume", _db.Path, RunId);
        resumed.Evaluated.Should().Be(total - storedAtKill, "a resumed run asks the model only about what is not stored");
        var run = await AssertStoredExactlyOnceAsync(_db, cases, repetitions);
        resumed.Summary.Should().BeEquivalentTo(run.Summary!, o => ExcludingTimings(o));

        var uninterrupted = await WorkerProcess.RunAsync("evaluate", _reference.Path, RunId, Text(cases), Text(repetitions));
        uninterrupted.Evaluated.Should().Be(total);
        var reference = await AssertStoredExactlyOnceAsync(_reference, cases, repetitions);

        run.Summary!.Failed.Should().BePositive("the model fails some cases on purpose");
        run.Summary.Retries.Should().BePositive("the model fails some calls once on purpose");
        run.Summary.Metrics.Should().ContainKeys("exact_match", "numeric_match");
        run.Summary.Should().BeEquivalentTo(reference.Summary!, o => ExcludingTimings(o));
        run.Summary.Metrics.Should().BeEquivalentTo(reference.Summary!.Metrics, "every score, N and interval is deterministic");
    }

    [Fact]
    public async Task FourWorkerProcessesOnOneRun_OneKilledMidway_StoreEveryResultOnce_AndSummarizeLikeOneProcess()
    {
        const int cases = 20_000, repetitions = 1, shardSize = 500;
        const long total = (long)cases * repetitions;

        var enqueued = await WorkerProcess.RunLinesAsync("enqueue", _db.Path, RunId, Text(cases), Text(repetitions), Text(shardSize));
        enqueued.Should().Contain($"enqueued {total}");

        var survivors = new List<Task<WorkerOutput>>();
        await using (var doomed = WorkerProcess.Start("work", _db.Path, RunId, "250", "--hang"))
        {
            // The doomed worker stops answering after 250 cases, holding its shard, and is killed.
            await doomed.WaitForLineAsync("started");
            survivors.AddRange(Enumerable.Range(0, 3).Select(_ => WorkerProcess.RunAsync("work", _db.Path, RunId, "0")));
            await doomed.KillAsync();
        }

        var outputs = await Task.WhenAll(survivors);
        var run = await AssertStoredExactlyOnceAsync(_db, cases, repetitions);
        outputs.Should().OnlyContain(o => o.Summary != null && o.Summary.Total == total, "every worker returns once the run is complete");

        await using (var store = _db.Open())
        {
            var shards = new List<RunShard>();
            await foreach (var shard in store.Shards.ListAsync(RunId, Ct))
            {
                shards.Add(shard);
            }

            shards.Should().HaveCount((cases / shardSize) + 1).And.OnlyContain(s => s.State == ShardState.Done);
            shards.Should().Contain(s => s.Claims > 1, "the killed worker's shard was claimed again after its lease expired");
        }

        var reference = await WorkerProcess.RunAsync("evaluate", _reference.Path, RunId, Text(cases), Text(repetitions));
        reference.Evaluated.Should().Be(total);
        var uninterrupted = await AssertStoredExactlyOnceAsync(_reference, cases, repetitions);
        run.Summary!.Failed.Should().BePositive("the model fails some cases on purpose");
        run.Summary.Should().BeEquivalentTo(uninterrupted.Summary!, o => ExcludingTimings(o));
    }

    [Fact]
    public async Task ProcessKilledDuringDatasetImport_LeavesNothing_AndEvaluatingAgainCompletes()
    {
        const int cases = 2_000, repetitions = 1;

        await using (var doomed = WorkerProcess.Start("evaluate", _db.Path, RunId, Text(cases), Text(repetitions), "--hang-at", "import"))
        {
            await doomed.WaitForLineAsync("importing");
            await doomed.KillAsync();
        }

        (await ScalarAsync(_db, "SELECT COUNT(*) FROM evaluation_datasets")).Should().Be(0, "the import transaction never committed");
        (await ScalarAsync(_db, "SELECT COUNT(*) FROM evaluation_cases")).Should().Be(0, "the import transaction never committed");
        (await ScalarAsync(_db, "SELECT COUNT(*) FROM evaluation_runs")).Should().Be(0);

        var again = await WorkerProcess.RunAsync("evaluate", _db.Path, RunId, Text(cases), Text(repetitions));

        again.Evaluated.Should().Be(cases);
        var run = await AssertStoredExactlyOnceAsync(_db, cases, repetitions);
        (await ScalarAsync(_db, "SELECT COUNT(*) FROM evaluation_cases")).Should().Be(cases);
        again.Summary.Should().BeEquivalentTo(run.Summary!, o => ExcludingTimings(o));
    }

    [Fact]
    public async Task ProcessKilledAfterTheRunStarted_BeforeAnyResult_ResumeCompletesIt()
    {
        const int cases = 2_000, repetitions = 2;

        await using (var doomed = WorkerProcess.Start("evaluate", _db.Path, RunId, Text(cases), Text(repetitions), "--hang-at", "start"))
        {
            await doomed.WaitForLineAsync("running");
            await doomed.KillAsync();
        }

        await using (var store = _db.Open())
        {
            (await store.Results.CountAsync(RunId, Ct)).Total.Should().Be(0);
            (await store.Runs.GetAsync(RunId, Ct))!.Status.Should().Be(RunStatus.Running);
        }

        var resumed = await WorkerProcess.RunAsync("resume", _db.Path, RunId);

        resumed.Evaluated.Should().Be(cases * repetitions);
        var run = await AssertStoredExactlyOnceAsync(_db, cases, repetitions);
        resumed.Summary.Should().BeEquivalentTo(run.Summary!, o => ExcludingTimings(o));

        var summary = await WorkerProcess.RunAsync("summary", _db.Path, RunId);
        summary.Summary.Should().BeEquivalentTo(run.Summary!, o => ExcludingTimings(o));
    }

    private static FluentAssertions.Equivalency.EquivalencyAssertionOptions<EvaluationSummary> ExcludingTimings(FluentAssertions.Equivalency.EquivalencyAssertionOptions<EvaluationSummary> options) =>
        options
            .Excluding(s => s.Latency)
            .Excluding(s => s.TimeToFirstToken)
            .Excluding(s => s.Duration)
            .Excluding(s => s.Throughput);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks that the run completed and that the store holds every (case, repetition) of it once, and nothing else.</summary>
    private static async Task<EvaluationRun> AssertStoredExactlyOnceAsync(SqliteTestDatabase db, int cases, int repetitions)
    {
        var total = (long)cases * repetitions;
        await using var store = db.Open();
        var run = await store.Runs.GetAsync(RunId, Ct);
        run.Should().NotBeNull();
        run!.Status.Should().Be(RunStatus.Completed);
        run.TotalCount.Should().Be(total);
        run.Summary.Should().NotBeNull();
        run.Summary!.Total.Should().Be(total);

        (await store.Results.CountAsync(RunId, Ct)).Total.Should().Be(total);
        var keys = new List<ResultKey>();
        await foreach (var key in store.Results.ReadKeysAsync(RunId, Ct))
        {
            keys.Add(key);
        }

        keys.Should().HaveCount(checked((int)total));
        keys.Distinct().Should().HaveCount(checked((int)total), "no (case, repetition) may be stored twice");
        keys.Should().OnlyContain(k => k.CaseOrdinal >= 0 && k.CaseOrdinal < cases && k.Repetition >= 0 && k.Repetition < repetitions);

        var where = $"run_id = '{RunId}'";
        (await ScalarAsync(db, $"SELECT COUNT(*) FROM evaluation_results WHERE {where}")).Should().Be(total);
        (await ScalarAsync(db, $"SELECT COUNT(*) FROM (SELECT DISTINCT case_ordinal, repetition FROM evaluation_results WHERE {where})")).Should().Be(total);
        (await ScalarAsync(db, "SELECT COUNT(*) FROM evaluation_results")).Should().Be(total, "no result belongs to another run");
        return run;
    }

    private static async Task<long> ScalarAsync(SqliteTestDatabase db, string sql)
    {
        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }
}
