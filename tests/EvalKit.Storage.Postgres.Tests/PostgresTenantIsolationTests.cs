using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Postgres.Tests;

public sealed class PostgresTenantIsolationTests : TenantIsolationTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
