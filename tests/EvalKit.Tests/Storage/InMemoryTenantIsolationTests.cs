using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Storage;

public sealed class InMemoryTenantIsolationTests : TenantIsolationTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}
