using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public class StandardErrorsTests
{
    [Fact]
    public void Clustered_AllVariants_MatchLiteralFormulas()
    {
        foreach (var c in IntervalsReference.Cases("clustered"))
        {
            var x = c.Doubles("x");
            var ids = c.Ints("clusterIds");
            StandardErrors.Clustered(x, ids).ShouldMatch(c.D("CR1"));
            StandardErrors.Clustered(x, ids, ClusteredStandardErrorMethod.Compact).ShouldMatch(c.D("Compact"));
            StandardErrors.Clustered(x, ids, ClusteredStandardErrorMethod.MillerAppendix).ShouldMatch(c.D("MillerAppendix"));
            StandardErrors.Mean(x).ShouldMatch(c.D("meanSe"));
        }
    }

    [Fact]
    public void Clustered_DesignDocVector_MatchesPublishedValues()
    {
        double[] s = [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1];
        int[] ids = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4];
        StandardErrors.Mean(s).Should().BeApproximately(0.125, 1e-12);
        StandardErrors.Clustered(s, ids, ClusteredStandardErrorMethod.Compact).Should().BeApproximately(0.1375533, 1e-7);
        StandardErrors.Clustered(s, ids).Should().BeApproximately(0.1537892, 1e-7);
        StandardErrors.Clustered(s, ids, ClusteredStandardErrorMethod.MillerAppendix).Should().BeApproximately(0.1410584, 1e-7);
    }

    [Fact]
    public void Clustered_StringIds_EqualIntegerIds()
    {
        double[] s = [0.2, 0.9, 0.4, 0.7, 0.1, 0.8];
        string[] names = ["p1", "p1", "p2", "p3", "p3", "p2"];
        int[] ids = [5, 5, 9, 2, 2, 9];
        StandardErrors.Clustered(s, names).Should().Be(StandardErrors.Clustered(s, ids));
    }

    [Fact]
    public void PairedAndUnpaired_CovarianceForm_MatchesReference()
    {
        foreach (var c in IntervalsReference.Cases("paired"))
        {
            var a = c.Doubles("a");
            var b = c.Doubles("b");
            StandardErrors.Paired(a, b).ShouldMatch(c.D("paired"));
            StandardErrors.Unpaired(a, b).ShouldMatch(c.D("unpaired"));
            StandardErrors.Mean(a).ShouldMatch(c.D("meanA"));
        }
    }

    [Fact]
    public void Paired_DesignDocBinaryVector_Is0Point0157598()
    {
        var last = IntervalsReference.Cases("paired").Last();
        StandardErrors.Paired(last.Doubles("a"), last.Doubles("b")).Should().BeApproximately(0.0157598, 1e-7);
    }

    [Fact]
    public void Repeated_VarianceDecomposition_MatchesReference()
    {
        foreach (var c in IntervalsReference.Cases("repeated"))
        {
            var scores = c.GetProperty("scores").EnumerateArray()
                .Select(row => (IReadOnlyList<double>)row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
            var result = StandardErrors.Repeated(scores);
            result.Cases.Should().Be(scores.Count);
            result.TotalSamples.Should().Be(c.I("total"));
            result.MeanSamplesPerCase.ShouldMatch(c.D("meanK"));
            result.Mean.ShouldMatch(c.D("mean"));
            result.StandardError.ShouldMatch(c.D("standardError"));
            result.PerCaseMeanVariance.ShouldMatch(c.D("perCaseMeanVariance"));
            result.BetweenCaseVariance.ShouldMatch(c.D("between"));
            result.WithinCaseVariance.ShouldMatch(c.D("within"));
            result.ProjectedStandardError(10).ShouldMatch(c.D("projected10"));
        }
    }

    [Fact]
    public void Repeated_MoreSamplesPerCase_ProjectsSmallerError()
    {
        var result = StandardErrors.Repeated([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]);
        result.ProjectedStandardError(10).Should().BeLessThan(result.ProjectedStandardError(1));
        result.ProjectedStandardError(1_000_000).Should().BeApproximately(Math.Sqrt(result.BetweenCaseVariance / result.Cases), 1e-6);
    }

    [Fact]
    public void Proportion_BernoulliForm()
        => StandardErrors.Proportion(30, 120).Should().BeApproximately(Math.Sqrt(0.25 * 0.75 / 120), 1e-15);

    [Fact]
    public void Clustered_MismatchedIds_ThrowsNamingClusterIds()
    {
        var act = () => StandardErrors.Clustered([1.0, 2.0, 3.0], new[] { 1, 2 });
        act.Should().Throw<ArgumentException>().WithParameterName("clusterIds");
    }

    [Fact]
    public void Clustered_OneClusterWithCR1_Throws()
    {
        var act = () => StandardErrors.Clustered([1.0, 2.0, 3.0], new[] { 4, 4, 4 });
        act.Should().Throw<ArgumentException>().WithParameterName("clusterIds");
    }

    [Fact]
    public void Paired_MismatchedLengths_ThrowsNamingB()
    {
        var act = () => StandardErrors.Paired([1.0, 2.0, 3.0], [1.0, 2.0]);
        act.Should().Throw<ArgumentException>().WithParameterName("b");
    }

    [Fact]
    public void Mean_Empty_ThrowsNamingX()
    {
        var act = () => StandardErrors.Mean([]);
        act.Should().Throw<ArgumentException>().WithParameterName("x");
    }

    [Fact]
    public void Repeated_CaseWithOneSample_ThrowsNamingSamplesPerCase()
    {
        var act = () => StandardErrors.Repeated([[1.0, 0.0], [1.0]]);
        act.Should().Throw<ArgumentException>().WithParameterName("samplesPerCase");
    }
}
