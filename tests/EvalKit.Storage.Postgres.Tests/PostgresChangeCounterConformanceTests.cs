using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Postgres.Tests;

public sealed class PostgresChangeCounterStorageTests : ChangeCounterStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
