using EvalKit.Statistics;

namespace EvalKit.Tests.Statistics;

public sealed class DescriptiveTests
{
    // Expected values from numpy 1.24: np.percentile(x, q) with the default method="linear".
    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 95, 3.85)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 50, 2.5)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 25, 1.75)]
    [InlineData(new[] { 10.0 }, 99, 10.0)]
    [InlineData(new[] { 0.1, 0.5, 0.2, 9.0, 3.3 }, 99, 8.772)]
    [InlineData(new[] { 0.1, 0.5, 0.2, 9.0, 3.3 }, 0, 0.1)]
    [InlineData(new[] { 0.1, 0.5, 0.2, 9.0, 3.3 }, 100, 9.0)]
    public void Percentile_MatchesNumpyLinear(double[] values, double percent, double expected) =>
        Descriptive.Percentile(values, percent).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void MeanVarianceStandardDeviation_UseTheUnbiasedDenominator()
    {
        double[] x = [2, 4, 4, 4, 5, 5, 7, 9];

        Descriptive.Mean(x).Should().Be(5);
        Descriptive.Variance(x).Should().BeApproximately(32.0 / 7, 1e-12);
        Descriptive.StandardDeviation(x).Should().BeApproximately(Math.Sqrt(32.0 / 7), 1e-12);
    }

    [Fact]
    public void Percentile_DoesNotReorderTheInput()
    {
        double[] x = [3, 1, 2];

        Descriptive.Percentile(x, 50);

        x.Should().Equal(3, 1, 2);
    }

    [Fact]
    public void BadInput_ThrowsClearArgumentErrors()
    {
        FluentActions.Invoking(() => Descriptive.Mean([])).Should().Throw<ArgumentException>().WithMessage("*empty*");
        FluentActions.Invoking(() => Descriptive.Variance([1.0])).Should().Throw<ArgumentException>().WithMessage("*at least 2*");
        FluentActions.Invoking(() => Descriptive.Mean([1.0, double.NaN])).Should().Throw<ArgumentException>().WithMessage("*NaN at index 1*");
        FluentActions.Invoking(() => Descriptive.Percentile([1.0], 101)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
