using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Storage;

public sealed class InMemoryProjectStorageTests : ProjectStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}

public sealed class InMemoryUsageStorageTests : UsageStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}
