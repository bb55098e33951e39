using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Postgres.Tests;

public sealed class PostgresProjectStorageTests : ProjectStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresUsageStorageTests : UsageStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
