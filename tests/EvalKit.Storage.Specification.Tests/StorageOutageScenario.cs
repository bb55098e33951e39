using System.Globalization;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Scoring;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// Storage that fails mid-run (a SQLite file that turns read-only, a PostgreSQL server that goes away): the run stops with
/// a clear error, what was stored stays intact and stored once, and resuming once storage is back completes the run with
/// the summary of an uninterrupted one. A provider's test project derives one class and says how to break and mend its
/// storage. (Not a <see cref="StorageTestBase"/> suite: the in-memory provider cannot fail.)
/// </summary>
public abstract class StorageOutageScenario
{
    private const string ModelId = "local/outage";
    private const int Cases = 3_000;
    private const int Repetitions = 1;
    private const int GateAtCall = 1_500;
    private const int BrokenAfterStored = 1_000;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens a new instance of the provider over the test's store.</summary>
    protected abstract IEvalKitStorage OpenStorage();

    /// <summary>Makes the store refuse writes (or vanish) for every instance already open.</summary>
    protected abstract Task BreakAsync();

    /// <summary>Brings the store back.</summary>
    protected abstract Task MendAsync();

    [Fact]
    public async Task StorageFailsMidRun_RunStopsWithAClearError_StoredResultsIntact_ResumeCompletesOnceStorageIsBack()
    {
        const string runId = "outage-run";
        string datasetId;

        // 1. A run whose storage breaks after 1,000 results are stored; the model holds call 1,500 until then.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var model = new FakeChatClient(async (messages, _, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) >= GateAtCall)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            return Answer(messages);
        });
        var broken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new ThresholdProgress(BrokenAfterStored, broken);

        await using (var kit = CreateHost(model))
        {
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId, DisplayName = "Outage model", Provider = "local" }, Ct);
            datasetId = (await kit.Datasets.ImportAsync("outage", "1", CasesAsync(), "storage outage", Ct)).Id;

            var running = kit.Engine.EvaluateAsync(Request(runId, datasetId), progress, Ct);
            await broken.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await BreakAsync();
            try
            {
                gate.SetResult();
                var stop = await FluentActions.Awaiting(() => running).Should().ThrowAsync<StorageException>("writes fail once storage is gone");
                stop.Which.Message.Should().Contain(runId, "the error names the run whose results could not be written");
            }
            finally
            {
                await MendAsync();
            }
        }

        // 2. What was stored is intact: every stored (case, repetition) once, with its answer.
        long storedBefore;
        await using (var store = OpenStorage())
        {
            var stored = await ReadResultsAsync(store, runId);
            storedBefore = stored.Count;
            storedBefore.Should().BeInRange(BrokenAfterStored, (Cases * Repetitions) - 1);
            stored.Select(r => (r.CaseId, r.Repetition)).Should().OnlyHaveUniqueItems();
            stored.Should().OnlyContain(r => r.Output == ExpectedAnswer(r.CaseId), "a stored answer is never torn");
        }

        // 3. Storage is back: resuming asks the model only about what is missing and ends like an uninterrupted run.
        var resumeCalls = 0;
        var healthy = new FakeChatClient((messages, _, _) =>
        {
            Interlocked.Increment(ref resumeCalls);
            return Task.FromResult(Answer(messages));
        });
        await using (var kit = CreateHost(healthy))
        {
            var resumed = await kit.Engine.ResumeAsync(runId, Ct);
            resumed.Status.Should().Be(RunStatus.Completed);
            resumeCalls.Should().Be((int)((Cases * Repetitions) - storedBefore), "a resumed run asks only about results not stored");

            var stored = await ReadResultsAsync(kit.Storage, runId);
            stored.Should().HaveCount(Cases * Repetitions);
            stored.Select(r => (r.CaseId, r.Repetition)).Should().OnlyHaveUniqueItems();

            var reference = await kit.Engine.EvaluateAsync(Request("outage-reference", datasetId), null, Ct);
            resumed.Summary!.Total.Should().Be(reference.Summary!.Total);
            resumed.Summary.Failed.Should().Be(reference.Summary.Failed);
            resumed.Summary.Metrics.Should().BeEquivalentTo(reference.Summary.Metrics, "the same answers give the same scores and intervals");
        }
    }

    private EvalKitHost CreateHost(FakeChatClient model) =>
        EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, OpenStorage(), new ModelClientMap().Add(ModelId, model));

    private static EvaluationRequest Request(string runId, string datasetId) => new()
    {
        ModelId = ModelId,
        DatasetId = datasetId,
        RunId = runId,
        ScorerNames = [ExactMatchScorer.DefaultName],
        Options = new EvaluationOptions { MaxConcurrency = 8, Repetitions = Repetitions, WriteBatchSize = 50, UseResponseCache = false },
    };

    // The model is right about two cases in three, so the summary has something to compare.
    private static string ExpectedAnswer(string caseId)
    {
        var i = int.Parse(caseId.AsSpan("case-".Length), CultureInfo.InvariantCulture);
        return i % 3 == 0 ? "wrong" : (2L * i).ToString(CultureInfo.InvariantCulture);
    }

    private static Microsoft.Extensions.AI.ChatResponse Answer(IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> messages)
    {
        var text = messages.Last(m => m.Role == Microsoft.Extensions.AI.ChatRole.User).Text;
        var id = text[..text.IndexOf(':', StringComparison.Ordinal)];
        return new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, ExpectedAnswer(id)));
    }

    private static async IAsyncEnumerable<EvalCase> CasesAsync()
    {
        for (var i = 0; i < Cases; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            yield return new EvalCase { Id = $"case-{text}", Input = $"case-{text}: what is {text} + {text}?", References = [(2L * i).ToString(CultureInfo.InvariantCulture)] };
            await Task.CompletedTask;
        }
    }

    private static async Task<List<CaseResult>> ReadResultsAsync(IEvalKitStorage store, string runId)
    {
        var list = new List<CaseResult>();
        await foreach (var result in store.Results.ReadAsync(runId, Ct))
        {
            list.Add(result);
        }

        return list;
    }

    private sealed class ThresholdProgress(long threshold, TaskCompletionSource reached) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value)
        {
            if (value.Done >= threshold)
            {
                reached.TrySetResult();
            }
        }
    }
}
