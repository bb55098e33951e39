using EvalKit.Evaluation;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Storage.Sqlite.Tests;

public sealed class SqliteEvalKitStorageTests : IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task Initialize_AppliesEveryMigrationOnce_InWalMode()
    {
        await using (var first = _db.Open())
        {
            await first.InitializeAsync(Ct);
            (await first.GetAppliedMigrationsAsync(Ct)).Should().Equal(Enumerable.Range(1, SqliteEvalKitStorage.LatestSchemaVersion));
        }

        await using (var second = _db.Open())
        {
            await second.InitializeAsync(Ct);
            (await second.GetAppliedMigrationsAsync(Ct)).Should().HaveCount(SqliteEvalKitStorage.LatestSchemaVersion);
        }

        (await ScalarAsync("PRAGMA journal_mode")).Should().Be("wal");
        (await ScalarAsync("SELECT COUNT(*) FROM schema_version")).Should().Be(SqliteEvalKitStorage.LatestSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Initialize_ManyInstancesAtOnce_MigrateOnce()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => _db.Open()).ToList();

        await Task.WhenAll(stores.Select(s => s.InitializeAsync(Ct).AsTask()));

        (await ScalarAsync("SELECT COUNT(*) FROM schema_version")).Should().Be(SqliteEvalKitStorage.LatestSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Initialize_DatabaseFromANewerEvalKit_IsRefusedWithItsVersion()
    {
        await using (var store = _db.Open())
        {
            await store.InitializeAsync(Ct);
        }

        await ScalarAsync("INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'future', 0)");

        await using var newer = _db.Open();
        var act = async () => await newer.InitializeAsync(Ct);
        await act.Should().ThrowAsync<StorageException>().WithMessage("*schema version 999*upgrade EvalKit*");
    }

    [Fact]
    public async Task Initialize_PathThatCannotBeOpened_ThrowsStorageExceptionNamingThePath()
    {
        var path = Path.Combine(_db.Folder, "no", "such", "folder", "evalkit.db");
        await using var store = new SqliteEvalKitStorage($"Data Source={path}");

        var act = async () => await store.InitializeAsync(Ct);

        var error = (await act.Should().ThrowAsync<StorageException>()).Which;
        error.Message.Should().Contain(path).And.Contain("cannot be opened");
        error.InnerException.Should().BeOfType<SqliteException>();
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task ReadOnlyDatabase_WriteFailsWithStorageException_AndStoredDataStaysIntact()
    {
        await using (var store = _db.Open())
        {
            await store.Results.AppendAsync([TestData.Result("r", 0), TestData.Result("r", 1)], Ct);
        }

        await using var readOnly = new SqliteEvalKitStorage($"Data Source={_db.Path};Mode=ReadOnly");
        var act = async () => await readOnly.Results.AppendAsync([TestData.Result("r", 2), TestData.Result("r", 3)], Ct);

        (await act.Should().ThrowAsync<StorageException>()).Which.Message.Should().Contain(_db.Path);
        (await readOnly.Results.CountAsync("r", Ct)).Total.Should().Be(2);
    }

    [Fact]
    public void Constructor_ConnectionStringWithoutDataSource_Throws()
    {
        FluentActions.Invoking(() => new SqliteEvalKitStorage("Mode=Memory")).Should().Throw<ArgumentException>().WithMessage("*Data Source*");
        FluentActions.Invoking(() => new SqliteEvalKitStorage("Not a=connection=string;;==")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task UseSqliteStorage_ReplacesTheDefaultStore_AndEvaluationsLandInTheFile()
    {
        var services = new ServiceCollection();
        services.AddEvalKit(o => o.RetryBaseDelay = TimeSpan.Zero).UseSqliteStorage(_db.ConnectionString);
        services.AddKeyedChatClient("local/model", FakeChatClient.Answering(_ => "0"));
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<SqliteEvalKitStorage>().Which.DataSource.Should().Be(_db.Path);
            await provider.GetRequiredService<EvalKit.Registry.IModelRegistry>().RegisterAsync(TestData.Model("local/model"), Ct);
            await provider.GetRequiredService<EvalKit.Datasets.IDatasetStore>().ImportAsync(new EvalKit.Datasets.Dataset("arith", "1", TestData.Cases(4)), Ct);
            var run = await provider.GetRequiredService<IEvaluationEngine>().EvaluateAsync(new EvaluationRequest { ModelId = "local/model", DatasetId = "arith@1" }, cancellationToken: Ct);
            run.Summary!.Metrics["exact_match"].Mean.Should().Be(0.25);
        }

        (await ScalarAsync("SELECT COUNT(*) FROM evaluation_results")).Should().Be("4");
        (await ScalarAsync("SELECT status FROM evaluation_runs")).Should().Be("Completed");
    }
}
