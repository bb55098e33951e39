namespace EvalKit.Samples.Testing;

/// <summary>The candidate must reach the bar with confidence, not by luck: the lower bound of its 95% interval must.</summary>
public sealed class TriageQualityTests
{
    /// <summary>The bar: the lower bound of the 95% interval of exact match.</summary>
    public const double RequiredExactMatch = 0.80;

    [Fact]
    public async Task Candidate_ReachesTheRequiredExactMatchWithConfidence()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var kit = await TriageSuite.CreateHostAsync([TriageSuite.Candidate()], cancellationToken);

        var run = await TriageSuite.EvaluateAsync(kit, TriageSuite.CandidateModelId, cancellationToken: cancellationToken);

        var estimate = await EvalAssert.LowerBoundAtLeastAsync(kit.Engine, run.Id, TriageSuite.Metric, RequiredExactMatch, cancellationToken: cancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(estimate.ToString());
        estimate.N.Should().Be(TriageSuite.Dataset.Cases.Count, "every ticket counts");
    }
}
