using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Sqlite.Tests;

public sealed class SqliteProjectStorageTests : ProjectStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteUsageStorageTests : UsageStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}
