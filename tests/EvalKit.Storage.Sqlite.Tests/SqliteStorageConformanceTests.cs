using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>Each test gets its own database file in a fresh temporary folder.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    public SqliteTestDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("evalkit-sqlite-").FullName;
        Path = System.IO.Path.Combine(Folder, "evalkit.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public SqliteEvalKitStorage Open() => new(ConnectionString);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp folder is cleaned by the OS.
        }
    }
}

public sealed class SqliteModelStorageTests : ModelStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => ValueTask.FromResult<IEvalKitStorage?>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteDatasetStorageTests : DatasetStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteBenchmarkStorageTests : BenchmarkStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteRunStorageTests : RunStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteResultStorageTests : ResultStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteMetricStorageTests : MetricStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteEvaluationStorageTests : EvaluationStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => ValueTask.FromResult<IEvalKitStorage?>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteConformanceCoverageTests
{
    [Fact]
    public void EverySuiteOfTheSpecification_HasASqliteImplementation() =>
        ConformanceCoverage.MissingSuites(typeof(SqliteConformanceCoverageTests).Assembly).Should().BeEmpty();
}

public sealed class SqliteResponseCacheStorageTests : ResponseCacheStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteAbTestStorageTests : AbTestStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => ValueTask.FromResult<IEvalKitStorage?>(_db.Open());

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteShardStorageTests : ShardStorageTests, IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => ValueTask.FromResult<IEvalKitStorage>(_db.Open());

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => ValueTask.FromResult<IEvalKitStorage?>(_db.Open());

    public void Dispose() => _db.Dispose();
}
