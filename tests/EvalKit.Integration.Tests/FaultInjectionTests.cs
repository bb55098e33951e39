using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;

namespace EvalKit.Integration.Tests;

/// <summary>
/// Fault injection: a model that fails a deterministic share of its calls (transiently, by timing out, rate limited, fatally),
/// and a prediction of every case's outcome made independently from the same script.
/// </summary>
public sealed class FaultInjectionTests
{
    private const string ModelId = "local/flaky";
    private const int Cases = 2_000;
    private const int MaxRetries = 3;
    private const ulong Seed = 0x5EED_2026_0001UL;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private enum Fault
    {
        None,
        Timeout,
        Transient,
        Unavailable,
        RateLimited,
        BadRequest,
    }

    /// <summary>The script: what attempt <paramref name="attempt"/> (1-based) of <paramref name="prompt"/> does, by a seeded hash of both.</summary>
    private static Fault FaultOf(string prompt, int attempt)
    {
        var roll = Hash(prompt, attempt) % 10_000;
        return roll switch
        {
            < 500 => Fault.Timeout,        // 5 %
            < 2_000 => Fault.Transient,    // 15 %: ModelCallException(Transient)
            < 3_500 => Fault.Unavailable,  // 15 %: HttpRequestException 503
            < 4_500 => Fault.RateLimited,  // 10 %: ModelCallException(RateLimited, RetryAfter 1 ms)
            < 4_600 => Fault.BadRequest,   // 1 %: HttpRequestException 400, never retried
            _ => Fault.None,
        };
    }

    private static ulong Hash(string prompt, int attempt)
    {
        // FNV-1a over the prompt and the attempt, then SplitMix64's finalizer: stable across processes and runtimes.
        var h = 14_695_981_039_346_656_037UL ^ Seed;
        foreach (var c in prompt)
        {
            h = (h ^ c) * 1_099_511_628_211UL;
        }

        h = (h ^ (ulong)attempt) * 1_099_511_628_211UL;
        h = (h ^ (h >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return h ^ (h >> 31);
    }

    private static string Prompt(int i) => TestData.Case(i).Input.Text!;

    /// <summary>The expected outcome of a case, from the script alone: the final error category (null on success) and the retries.</summary>
    private static (ErrorCategory? Category, int Retries) Expected(string prompt)
    {
        for (var attempt = 1; ; attempt++)
        {
            ErrorCategory? category = FaultOf(prompt, attempt) switch
            {
                Fault.None => null,
                Fault.Timeout => ErrorCategory.Timeout,
                Fault.Transient or Fault.Unavailable => ErrorCategory.Transient,
                Fault.RateLimited => ErrorCategory.RateLimited,
                _ => ErrorCategory.Fatal,
            };
            if (category is null || category == ErrorCategory.Fatal || attempt == MaxRetries + 1)
            {
                return (category, attempt - 1);
            }
        }
    }

    [Fact]
    public async Task Evaluate_ModelFailingByScript_EveryCaseAndEveryTotalIsExactlyAsPredicted()
    {
        var attempts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var model = new FakeChatClient(async (messages, _, ct) =>
        {
            var prompt = messages[^1].Text;
            var attempt = attempts.AddOrUpdate(prompt, 1, (_, a) => a + 1);
            switch (FaultOf(prompt, attempt))
            {
                case Fault.Timeout:
                    await Task.Delay(Timeout.Infinite, ct);
                    throw new UnreachableException();
                case Fault.Transient:
                    throw new ModelCallException(ErrorCategory.Transient, "scripted transient failure");
                case Fault.Unavailable:
                    throw new HttpRequestException("scripted 503", null, HttpStatusCode.ServiceUnavailable);
                case Fault.RateLimited:
                    throw new ModelCallException(ErrorCategory.RateLimited, "scripted 429", TimeSpan.FromMilliseconds(1));
                case Fault.BadRequest:
                    throw new HttpRequestException("scripted 400", null, HttpStatusCode.BadRequest);
                default:
                    var n = int.Parse(prompt.Split(' ')[2], CultureInfo.InvariantCulture);
                    return new ChatResponse(new ChatMessage(ChatRole.Assistant, (n + n).ToString(CultureInfo.InvariantCulture)))
                    {
                        Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 },
                    };
            }
        });

        await using var kit = EvalKitHost.Create(o => o.RetryBaseDelay = TimeSpan.Zero, new InMemoryEvalKitStorage(), new ModelClientMap().Add(ModelId, model));
        await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        var dataset = await kit.Datasets.ImportAsync(new Dataset("arith", "1", TestData.Cases(Cases)), Ct);

        var started = Stopwatch.GetTimestamp();
        var run = await kit.Engine.EvaluateAsync(
            new EvaluationRequest
            {
                ModelId = ModelId,
                DatasetId = dataset.Id,
                Options = new EvaluationOptions { MaxRetries = MaxRetries, Timeout = TimeSpan.FromMilliseconds(100), MaxConcurrency = 64, WriteBatchSize = 256 },
            },
            cancellationToken: Ct);
        var elapsed = Stopwatch.GetElapsedTime(started);

        run.Status.Should().Be(RunStatus.Completed);
        var results = (await kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        results.Should().HaveCount(Cases);
        results.Select(r => r.CaseOrdinal).Should().OnlyHaveUniqueItems();

        // Every case as predicted: its final category (or success), its retries, and the calls the model saw.
        var expected = Enumerable.Range(0, Cases).ToDictionary(i => (long)i, i => Expected(Prompt(i)));
        var mismatches = results
            .Where(r => (r.Error?.Category, r.RetryCount) != expected[r.CaseOrdinal] || attempts[Prompt((int)r.CaseOrdinal)] != r.RetryCount + 1)
            .Select(r => $"case {r.CaseOrdinal}: got ({r.Error?.Category}, {r.RetryCount} retries, {attempts[Prompt((int)r.CaseOrdinal)]} calls), expected {expected[r.CaseOrdinal]}")
            .ToList();
        mismatches.Should().BeEmpty();
        results.Where(r => r.Succeeded).Should().OnlyContain(r => r.GetScore("exact_match")!.Passed == true && r.InputTokens == 10);

        // The script exercises every path, so the totals below are not vacuous.
        var outcomes = expected.Values.GroupBy(e => e.Category).ToDictionary(g => g.Key?.ToString() ?? "success", g => g.Count());
        outcomes.Keys.Should().BeEquivalentTo("success", "Timeout", "Transient", "RateLimited", "Fatal");
        outcomes.Values.Should().OnlyContain(count => count >= 5, string.Join(", ", outcomes));
        expected.Values.Where(e => e.Category is null).Select(e => e.Retries).Distinct().Should().BeEquivalentTo([0, 1, 2, 3]);

        var failed = expected.Values.Count(e => e.Category is not null);
        var retries = expected.Values.Sum(e => e.Retries);
        var retried = expected.Values.Count(e => e.Retries > 0);
        var summary = run.Summary!;
        summary.Total.Should().Be(Cases);
        summary.Failed.Should().Be(failed);
        summary.Succeeded.Should().Be(Cases - failed);
        summary.Retries.Should().Be(retries);
        summary.RetryRate.Should().Be((double)retried / Cases);
        summary.ErrorRate.Should().Be((double)failed / Cases);
        summary.InputTokens.Should().Be(10L * (Cases - failed));
        model.Calls.Should().Be(Cases + retries);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
