using EvalKit.Storage.Specification.Tests;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests;

public sealed class SqliteOddTextStorageTests : OddTextStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

/// <summary>Failed imports on a real SQLite file: the case table itself is counted too, not only what the store reports.</summary>
public sealed class SqliteHostileImportStorageTests : HostileImportStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    protected override async ValueTask<long?> CountCaseRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_db.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM evaluation_cases";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public void Dispose() => _db.Dispose();
}
