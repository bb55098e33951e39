using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Storage;

public sealed class InMemoryErasureStorageTests : ErasureStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}
