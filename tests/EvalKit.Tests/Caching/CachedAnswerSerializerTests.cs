using System.Buffers;
using EvalKit.Caching;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.Caching.Hybrid;

namespace EvalKit.Tests.Caching;

/// <summary>The answers that may go to a distributed level survive the round trip, with their tenant and stamp.</summary>
public sealed class CachedAnswerSerializerTests
{
    private static CachedAnswer<T> RoundTrip<T>(CachedAnswer<T> answer)
    {
        new CachedAnswerSerializerFactory().TryCreateSerializer<CachedAnswer<T>>(out var serializer).Should().BeTrue();
        var buffer = new ArrayBufferWriter<byte>();
        serializer!.Serialize(answer, buffer);
        return serializer.Deserialize(new ReadOnlySequence<byte>(buffer.WrittenMemory));
    }

    [Fact]
    public void Models_RoundTrip()
    {
        IReadOnlyList<ModelDescriptor> models = [TestData.Model("m/a"), TestData.Model("m/b", revision: 3) with { Status = ModelStatus.Deprecated, StatusReason = "old" }];

        var back = RoundTrip(new CachedAnswer<IReadOnlyList<ModelDescriptor>>("tenant-a", -42, models));

        back.Tenant.Should().Be("tenant-a");
        back.Stamp.Should().Be(-42);
        back.Value.Should().Equal(models);
    }

    [Fact]
    public void MetricBuckets_RoundTrip()
    {
        IReadOnlyList<MetricBucket> buckets =
        [
            new MetricBucket { Start = TestData.Epoch, End = TestData.Epoch.AddHours(1), Count = 3, Sum = 6.5, Min = 1, Max = 4.25, P50 = 1.25, P95 = 4, P99 = 4.2 },
        ];

        RoundTrip(new CachedAnswer<IReadOnlyList<MetricBucket>>("t", 7, buckets)).Value.Should().BeEquivalentTo(buckets);
    }

    [Fact]
    public void TypesWithoutAContract_StayLocal()
    {
        new CachedAnswerSerializerFactory().TryCreateSerializer<CachedAnswer<Version>>(out _).Should().BeFalse();
        new CachedAnswerSerializerFactory().TryCreateSerializer<string>(out _).Should().BeFalse("only EvalKit's cached answers are EvalKit's to serialize");
        CachedAnswerSerializerFactory.Supports<Version>().Should().BeFalse();
        CachedAnswerSerializerFactory.Supports<MetricComparison>().Should().BeTrue();
    }

    [Fact]
    public void Deserialize_AnAnswerWithoutItsStamp_Fails()
    {
        new CachedAnswerSerializerFactory().TryCreateSerializer<CachedAnswer<IReadOnlyList<MetricBucket>>>(out var serializer).Should().BeTrue();
        var bytes = System.Text.Encoding.UTF8.GetBytes("""{"tenant":"t","value":[]}""");

        var act = () => serializer!.Deserialize(new ReadOnlySequence<byte>(bytes));

        act.Should().Throw<System.Text.Json.JsonException>().WithMessage("*stamp*");
    }
}
