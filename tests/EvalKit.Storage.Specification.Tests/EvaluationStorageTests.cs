using EvalKit.Evaluation;
using EvalKit.Registry;
using Microsoft.Extensions.AI;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>The engine end to end over the provider: every result stored once, summaries right, resume exact.</summary>
public abstract class EvaluationStorageTests : StorageTestBase
{
    private EvalKitHost CreateHost(IChatClient client) =>
        EvalKitHost.Create(
            o => o.RetryBaseDelay = TimeSpan.Zero,
            Storage,
            new ModelClientMap().Add("local/model", client),
            ownsStorage: false);

    // Right on even numbers, wrong on odd ones.
    private static FakeChatClient HalfRight() => FakeChatClient.Answering(prompt =>
    {
        var n = int.Parse(prompt.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        return n % 2 == 0 ? (n + n).ToString(System.Globalization.CultureInfo.InvariantCulture) : "wrong";
    }, inputTokens: 12, outputTokens: 2);

    [Fact]
    public virtual async Task Evaluate_StoresEveryResultAndTheSummary()
    {
        var client = HalfRight();
        await using var kit = CreateHost(client);
        await kit.Registry.RegisterAsync(TestData.Model("local/model"), Ct);
        var dataset = await kit.Datasets.ImportAsync("arith", "1", TestData.Cases(40).ToAsyncEnumerable(), cancellationToken: Ct);

        var run = await kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = "local/model", DatasetId = dataset.Id, Options = new EvaluationOptions { MaxConcurrency = 4, Repetitions = 2, WriteBatchSize = 7 } },
            cancellationToken: Ct);

        run.Status.Should().Be(RunStatus.Completed);
        client.Calls.Should().Be(80);
        (await Storage.Results.CountAsync(run.Id, Ct)).Should().Be(new ResultCounts(80, 0));
        var summary = run.Summary!;
        summary.Total.Should().Be(80);
        summary.Metrics["exact_match"].Mean.Should().Be(0.5);
        summary.Metrics["exact_match"].N.Should().Be(40);
        summary.InputTokens.Should().Be(80 * 12);
        summary.OutputTokens.Should().Be(80 * 2);
        // 0.15 $/M input and 0.60 $/M output tokens.
        summary.TotalCost.Should().Be(80 * ((12 * 0.15m) + (2 * 0.60m)) / 1_000_000m);
        summary.CostPerRequest.Should().Be(((12 * 0.15m) + (2 * 0.60m)) / 1_000_000m);

        var stored = await Storage.Runs.GetAsync(run.Id, Ct);
        stored!.Summary.Should().BeEquivalentTo(summary);
    }

    [Fact]
    public virtual async Task Evaluate_ThenReopenTheStore_ReadsTheSameResultsBack()
    {
        string runId;
        EvaluationSummary summary;
        await using (var kit = CreateHost(HalfRight()))
        {
            await kit.Registry.RegisterAsync(TestData.Model("local/model"), Ct);
            await kit.Datasets.ImportAsync("arith", "1", TestData.Cases(10).ToAsyncEnumerable(), cancellationToken: Ct);
            var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1" }, cancellationToken: Ct);
            runId = run.Id;
            summary = run.Summary!;
        }

        var reopened = await ReopenAsync();
        Assert.SkipWhen(reopened is null, "This provider keeps nothing after it is disposed.");
        await using (reopened)
        {
            await using var kit = EvalKitHost.Create(storage: reopened, ownsStorage: false);
            var results = await kit.Engine.GetResultsAsync(runId, Ct);
            results.Summary.Should().BeEquivalentTo(summary);
            results.Results.Should().HaveCount(10);
            results.Results.Select(r => r.CaseId).Should().Equal(Enumerable.Range(0, 10).Select(i => $"case-{i}"));
        }
    }

    [Fact]
    public virtual async Task Cancel_ThenResume_EvaluatesEachCaseExactlyOnce()
    {
        var calls = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var gate = new SemaphoreSlim(0);
        var client = new FakeChatClient(async (messages, options, ct) =>
        {
            var prompt = messages.Last().Text;
            calls.AddOrUpdate($"{prompt}#{options?.Seed}", 1, (_, c) => c + 1);
            if (calls.Count >= 30)
            {
                gate.Release();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
        });
        await using var kit = CreateHost(client);
        await kit.Registry.RegisterAsync(TestData.Model("local/model"), Ct);
        await kit.Datasets.ImportAsync("arith", "1", TestData.Cases(50).ToAsyncEnumerable(), cancellationToken: Ct);
        var request = new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1", RunId = "resumable", Options = new EvaluationOptions { MaxConcurrency = 3, Repetitions = 2, Seed = 100 } };

        var running = kit.Engine.EvaluateAsync(request, cancellationToken: Ct);
        await gate.WaitAsync(Ct);
        (await kit.Engine.CancelAsync("resumable", Ct)).Should().BeTrue();
        await FluentActions.Awaiting(() => running).Should().ThrowAsync<OperationCanceledException>();

        var afterCancel = await kit.Engine.GetStatusAsync("resumable", Ct);
        afterCancel.Status.Should().Be(RunStatus.Cancelled);
        afterCancel.Done.Should().BeInRange(1, 99);

        var keysBefore = await ToListAsync(Storage.Results.ReadKeysAsync("resumable", Ct));
        calls.Clear();
        var client2Calls = new System.Collections.Concurrent.ConcurrentBag<(string Prompt, long? Seed)>();
        await using var kit2 = EvalKitHost.Create(
            storage: Storage,
            clients: new ModelClientMap().Add("local/model", new FakeChatClient((messages, options, _) =>
            {
                client2Calls.Add((messages.Last().Text, options?.Seed));
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));
            })),
            ownsStorage: false);

        var resumed = await kit2.Engine.ResumeAsync("resumable", Ct);

        resumed.Status.Should().Be(RunStatus.Completed);
        resumed.Summary!.Total.Should().Be(100);
        client2Calls.Should().HaveCount(100 - keysBefore.Count, "only what was not stored is evaluated again");
        client2Calls.Distinct().Should().HaveCount(client2Calls.Count);
        var keys = await ToListAsync(Storage.Results.ReadKeysAsync("resumable", Ct));
        keys.Should().HaveCount(100).And.OnlyHaveUniqueItems();
        foreach (var key in keysBefore)
        {
            client2Calls.Should().NotContain(c => c.Prompt == $"What is {key.CaseOrdinal} + {key.CaseOrdinal}?" && c.Seed == 100 + key.Repetition);
        }
    }
}
