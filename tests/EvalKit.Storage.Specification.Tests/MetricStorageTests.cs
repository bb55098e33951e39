namespace EvalKit.Storage.Specification.Tests;

public abstract class MetricStorageTests : StorageTestBase
{
    [Fact]
    public virtual async Task Query_ReturnsPointsOfTheModelInTheHalfOpenRange_InTimeOrder()
    {
        var t = TestData.Epoch;
        await Storage.Metrics.AppendAsync(
        [
            TestData.Point("m", "latency", 3, t.AddMinutes(2)),
            TestData.Point("m", "latency", 1, t),
            TestData.Point("m", "latency", 2, t.AddMinutes(1)),
            TestData.Point("m", "latency", 9, t.AddMinutes(3)),
            TestData.Point("m", "cost", 7, t.AddMinutes(1)),
            TestData.Point("other", "latency", 8, t.AddMinutes(1)),
        ], Ct);

        var points = await ToListAsync(Storage.Metrics.QueryAsync("m", "latency", t, t.AddMinutes(3), Ct));

        points.Select(p => p.Value).Should().Equal(1, 2, 3);
        points[0].Should().Be(TestData.Point("m", "latency", 1, t));
        (await ToListAsync(Storage.Metrics.QueryAsync("m", null, t, t.AddHours(1), Ct))).Should().HaveCount(5);
    }
}
