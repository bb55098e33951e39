using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Tests.Experiments;

public sealed class InMemoryExperimentStorageTests : ExperimentStorageTests
{
    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(new InMemoryEvalKitStorage());
}
