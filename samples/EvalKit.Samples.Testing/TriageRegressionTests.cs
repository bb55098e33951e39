using EvalKit.Experiments;

namespace EvalKit.Samples.Testing;

/// <summary>The candidate must not regress against the released model's run, stored in <c>baselines/</c>.</summary>
public sealed class TriageRegressionTests
{
    [Fact]
    public async Task Candidate_DoesNotRegressAgainstTheStoredBaseline()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var baseline = TriageBaseline.OutputPath;
        if (TriageBaseline.UpdateRequested)
        {
            baseline = TriageBaseline.SourcePath();
            await TriageBaseline.RecordAsync(baseline, cancellationToken);
        }

        await using var kit = await TriageSuite.CreateHostAsync([TriageSuite.Candidate()], cancellationToken);
        var imported = await TriageBaseline.ImportAsync(kit, baseline, cancellationToken);
        var run = await TriageSuite.EvaluateAsync(kit, TriageSuite.CandidateModelId, cancellationToken: cancellationToken);

        // Fails with the gate's report as the message: the verdict, the numbers, each check and the cases that flipped.
        var result = await kit.Experiments.EnsureNoRegressionAsync(
            new RegressionGate
            {
                BaselineRunId = TriageBaseline.RunId,
                CandidateRunId = run.Id,
                Metric = TriageSuite.Metric,
                Alpha = 0.05,
                MinimumScore = TriageQualityTests.RequiredExactMatch,
                MaximumDecrease = 0.03,
                MaximumErrorRate = 0,
            },
            cancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(result.Report);
        imported.Results.Should().Be(TriageSuite.Dataset.Cases.Count, "the baseline holds one result per ticket");
        result.PairedCases.Should().Be(TriageSuite.Dataset.Cases.Count);
        result.BaselineModelId.Should().Be(TriageSuite.ReleasedModelId);
    }
}
