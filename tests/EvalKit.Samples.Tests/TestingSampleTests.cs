using System.Globalization;
using EvalKit.Experiments;
using EvalKit.Samples.Testing;
using EvalKit.Statistics;

namespace EvalKit.Samples.Tests;

/// <summary>
/// The unit-test style evaluation sample (samples/EvalKit.Samples.Testing): its assertion and its regression gate fail,
/// with messages a reader understands, when the model is bad. Run in-process: the failures are caught and read.
/// </summary>
public sealed class TestingSampleTests
{
    private const double Required = 0.80;

    [Fact]
    public async Task LowerBoundAtLeast_ABadModel_FailsWithAReadableMessage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var bad = new TriageModel("local/triage-broken", TriageSuite.AnswerKey, wrongPercent: 30);
        await using var kit = await TriageSuite.CreateHostAsync([bad], cancellationToken);
        var run = await TriageSuite.EvaluateAsync(kit, bad.Id, cancellationToken: cancellationToken);

        var act = () => EvalAssert.LowerBoundAtLeastAsync(kit.Engine, run.Id, TriageSuite.Metric, Required, cancellationToken: cancellationToken);

        var failure = (await act.Should().ThrowAsync<EvaluationAssertionException>()).Which;
        var lines = failure.Message.ReplaceLineEndings("\n").Split('\n');

        // The numbers, recomputed from the stored results: the share of passes and its 95% Wilson interval.
        var results = await kit.Engine.GetResultsAsync(run.Id, cancellationToken);
        var n = results.Results.Count;
        var passes = results.Results.Count(r => r.GetScore(TriageSuite.Metric)?.Passed == true);
        var wilson = ConfidenceIntervals.Wilson(passes, n);
        n.Should().Be(100);
        ((double)passes / n).Should().BeLessThan(Required, "the deliberately bad model is below the bar, not just unsure");
        lines[0].Should().Be(string.Create(CultureInfo.InvariantCulture, $"exact_match {(double)passes / n:0.00} [{wilson.Lower:0.00}, {wilson.Upper:0.00}] is below the required 0.80 (n=100)"));
        lines[0].Should().MatchRegex(@"^exact_match 0\.\d\d \[0\.\d\d, 0\.\d\d\] is below the required 0\.80 \(n=100\)$");
        lines[1].Should().Be($"  model local/triage-broken, run {run.Id}; 95% Wilson interval over 100 cases");
        var missed = results.Results.Where(r => r.GetScore(TriageSuite.Metric)?.Passed != true).OrderBy(r => r.CaseOrdinal).Select(r => r.CaseId).ToList();
        lines[2].Should().Be($"  cases that missed ({missed.Count}): {string.Join(", ", missed.Take(EvalAssert.ListedCases))} and {missed.Count - EvalAssert.ListedCases} more");

        failure.Required.Should().Be(Required);
        failure.Estimate!.Interval.Should().Be(wilson);
        failure.Estimate.MissedCaseIds.Should().Equal(missed);
    }

    [Fact]
    public async Task LowerBoundAtLeast_AModelAboveTheBarByLuck_FailsSayingTheLowerBoundIsBelowIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var shaky = new TriageModel("local/triage-borderline", TriageSuite.AnswerKey, wrongPercent: 18);
        await using var kit = await TriageSuite.CreateHostAsync([shaky], cancellationToken);
        var run = await TriageSuite.EvaluateAsync(kit, shaky.Id, cancellationToken: cancellationToken);
        var results = await kit.Engine.GetResultsAsync(run.Id, cancellationToken);

        var act = () => EvalAssert.LowerBoundAtLeast(results, TriageSuite.Metric, Required);

        var failure = act.Should().Throw<EvaluationAssertionException>().Which;
        var estimate = failure.Estimate!;
        estimate.Mean.Should().BeGreaterThanOrEqualTo(Required, "the mean clears the bar");
        estimate.Interval.Lower.Should().BeLessThan(Required, "but the lower bound of its interval does not");
        failure.Message.ReplaceLineEndings("\n").Split('\n')[0].Should().Be(string.Create(
            CultureInfo.InvariantCulture,
            $"exact_match {estimate.Mean:0.00} [{estimate.Interval.Lower:0.00}, {estimate.Interval.Upper:0.00}] is not confidently above the required 0.80 (n=100): the lower bound of its 95% interval is {estimate.Interval.Lower:0.000}"));
    }

    [Fact]
    public async Task LowerBoundAtLeast_TheSampleCandidate_PassesWithTheWilsonIntervalOfItsPasses()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var kit = await TriageSuite.CreateHostAsync([TriageSuite.Candidate()], cancellationToken);
        var run = await TriageSuite.EvaluateAsync(kit, TriageSuite.CandidateModelId, cancellationToken: cancellationToken);
        var results = await kit.Engine.GetResultsAsync(run.Id, cancellationToken);

        var estimate = EvalAssert.LowerBoundAtLeast(results, TriageSuite.Metric, Required);

        var passes = results.Results.Count(r => r.GetScore(TriageSuite.Metric)?.Passed == true);
        estimate.Method.Should().Be("Wilson");
        estimate.Interval.Should().Be(ConfidenceIntervals.Wilson(passes, 100));
        estimate.Mean.Should().Be(passes / 100.0);
        estimate.Interval.Lower.Should().BeGreaterThanOrEqualTo(Required);
        estimate.ToString().Should().MatchRegex(@"^exact_match 0\.\d\d \[0\.\d\d, (0\.\d\d|1\.00)\] \(n=100\)$");
    }

    [Fact]
    public async Task LowerBoundAtLeast_AMetricTheRunDoesNotScore_NamesTheMetricAndTheRun()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var kit = await TriageSuite.CreateHostAsync([TriageSuite.Candidate()], cancellationToken);
        var run = await TriageSuite.EvaluateAsync(kit, TriageSuite.CandidateModelId, cancellationToken: cancellationToken);

        var act = () => EvalAssert.LowerBoundAtLeastAsync(kit.Engine, run.Id, "bleu", Required, cancellationToken: cancellationToken);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain($"Run {run.Id} of {TriageSuite.CandidateModelId} does not score 'bleu'; it scores exact_match");
    }

    [Fact]
    public async Task RegressionGate_ABadCandidateAgainstTheStoredBaseline_FailsWithTheGateReport()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var bad = new TriageModel("local/triage-broken", TriageSuite.AnswerKey, wrongPercent: 30);
        await using var kit = await TriageSuite.CreateHostAsync([bad], cancellationToken);
        var imported = await TriageBaseline.ImportAsync(kit, TriageBaseline.OutputPath, cancellationToken);
        var run = await TriageSuite.EvaluateAsync(kit, bad.Id, cancellationToken: cancellationToken);

        var act = () => kit.Experiments.EnsureNoRegressionAsync(
            new RegressionGate { BaselineRunId = TriageBaseline.RunId, CandidateRunId = run.Id, MinimumScore = Required, MaximumDecrease = 0.03 },
            cancellationToken);

        var failure = (await act.Should().ThrowAsync<RegressionException>()).Which;
        imported.Runs.Added.Should().Be(1, "the baseline file holds the released model's run");
        failure.Result!.Passed.Should().BeFalse();
        failure.Result.SignificantlyWorse.Should().BeTrue();
        failure.Result.PassToFail.Should().NotBeEmpty();
        failure.Message.Should().Be(failure.Result.Report);
        failure.Message.Should()
            .StartWith("Regression gate FAILED on 'exact_match'")
            .And.Contain($"baseline  run {TriageBaseline.RunId} ({TriageSuite.ReleasedModelId})")
            .And.Contain($"candidate run {run.Id} (local/triage-broken)")
            .And.Contain("[FAIL] not significantly worse")
            .And.Contain("[FAIL] minimum score")
            .And.Contain("[FAIL] maximum decrease");
    }
}
