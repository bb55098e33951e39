using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Storage.Tests.Workers;

namespace EvalKit.Storage.Postgres.Tests;

/// <summary>
/// Scale-out on PostgreSQL: four worker processes share one run of 20,000 cases; one is killed with SIGKILL while it holds a
/// shard; the others take its shard over once its lease expires, every (case, repetition) is stored exactly once, the run
/// completes, and its summary equals that of the same run evaluated in one process.
/// </summary>
public sealed class PostgresDistributedRunTests
{
    private const string RunId = "distributed";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FourWorkerProcessesOnOneRun_OneKilledMidway_StoreEveryResultOnce_AndSummarizeLikeOneProcess()
    {
        const int cases = 20_000, shardSize = 500;
        await using var schema = new PostgresTestSchema();
        await using var referenceSchema = new PostgresTestSchema();
        var db = $"postgres|{schema.Name}|{schema.ConnectionString}";

        (await WorkerProcess.RunLinesAsync("enqueue", db, RunId, Text(cases), "1", Text(shardSize))).Should().Contain($"enqueued {cases}");

        var survivors = new List<Task<WorkerOutput>>();
        await using (var doomed = WorkerProcess.Start("work", db, RunId, "250", "--hang"))
        {
            await doomed.WaitForLineAsync("started");
            survivors.AddRange(Enumerable.Range(0, 3).Select(_ => WorkerProcess.RunAsync("work", db, RunId, "0")));
            await doomed.KillAsync();
        }

        var outputs = await Task.WhenAll(survivors);
        outputs.Should().OnlyContain(o => o.Summary != null && o.Summary.Total == cases);

        await using var store = schema.Open();
        var run = await store.Runs.GetAsync(RunId, Ct);
        run!.Status.Should().Be(RunStatus.Completed);
        (await store.Results.CountAsync(RunId, Ct)).Total.Should().Be(cases);
        var keys = await store.Results.ReadKeysAsync(RunId, Ct).ToListAsync(Ct);
        keys.Should().HaveCount(cases).And.OnlyHaveUniqueItems("no (case, repetition) may be stored twice");
        Convert.ToInt64(await schema.ScalarAsync($"SELECT COUNT(DISTINCT (case_ordinal, repetition)) FROM \"{schema.Name}\".evaluation_results WHERE run_id = $1", RunId), CultureInfo.InvariantCulture)
            .Should().Be(cases);
        var shards = await store.Shards.ListAsync(RunId, Ct).ToListAsync(Ct);
        shards.Should().HaveCount((cases / shardSize) + 1).And.OnlyContain(s => s.State == ShardState.Done);
        shards.Should().Contain(s => s.Claims > 1, "the killed worker's shard was claimed again after its lease expired");

        var referenceDb = $"postgres|{referenceSchema.Name}|{referenceSchema.ConnectionString}";
        var uninterrupted = await WorkerProcess.RunAsync("evaluate", referenceDb, RunId, Text(cases), "1");
        uninterrupted.Evaluated.Should().Be(cases);
        run.Summary!.Failed.Should().BePositive("the model fails some cases on purpose");
        run.Summary.Should().BeEquivalentTo(uninterrupted.Summary!, o => o
            .Excluding(s => s.Latency).Excluding(s => s.TimeToFirstToken).Excluding(s => s.Duration).Excluding(s => s.Throughput));
    }

    [Fact]
    public async Task SixteenWorkerProcessesOnOneRun_NoErrorSurfaces_AndEveryResultIsStoredOnce()
    {
        const int cases = 16_000, shardSize = 250, workers = 16;
        await using var schema = new PostgresTestSchema();
        var db = $"postgres|{schema.Name}|{schema.ConnectionString}";
        (await WorkerProcess.RunLinesAsync("enqueue", db, RunId, Text(cases), "1", Text(shardSize))).Should().Contain($"enqueued {cases}");

        // Every worker exits with 0 only once the run is complete; an error in any of them fails the test with its output.
        var outputs = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkerProcess.RunAsync("work", db, RunId, "0")));

        outputs.Should().OnlyContain(o => o.Summary != null && o.Summary.Total == cases);
        await using var store = schema.Open();
        (await store.Runs.GetAsync(RunId, Ct))!.Status.Should().Be(RunStatus.Completed);
        var keys = await store.Results.ReadKeysAsync(RunId, Ct).ToListAsync(Ct);
        keys.Should().HaveCount(cases).And.OnlyHaveUniqueItems("no (case, repetition) may be stored twice");
        var shards = await store.Shards.ListAsync(RunId, Ct).ToListAsync(Ct);
        shards.Should().OnlyContain(s => s.State == ShardState.Done);

        // Sixteen processes on two cores can starve a heartbeat past its 2 s lease: the shard is then taken over and asked
        // again (and still stored once). Nothing else is asked twice.
        var takenOver = shards.Sum(s => s.Claims - 1);
        outputs.Sum(o => o.Evaluated).Should().BeInRange(cases, cases + ((long)takenOver * shardSize), "a case is asked again only when its shard was taken over");
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
