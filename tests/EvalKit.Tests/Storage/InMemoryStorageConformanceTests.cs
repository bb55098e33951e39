using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Storage;

public sealed class InMemoryModelStorageTests : ModelStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryDatasetStorageTests : DatasetStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryBenchmarkStorageTests : BenchmarkStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryRunStorageTests : RunStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryResultStorageTests : ResultStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryMetricStorageTests : MetricStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryEvaluationStorageTests : EvaluationStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryConformanceCoverageTests
{
    [Fact]
    public void EverySuiteOfTheSpecification_HasAnInMemoryImplementation() =>
        ConformanceCoverage.MissingSuites(typeof(InMemoryConformanceCoverageTests).Assembly).Should().BeEmpty();
}

public sealed class InMemoryResponseCacheStorageTests : ResponseCacheStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryAbTestStorageTests : AbTestStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryShardStorageTests : ShardStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}
